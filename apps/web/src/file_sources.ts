/** Files the user picked, by path relative to the picked folder (or the file's name). */
export type PickedFiles = Map<string, Uint8Array>;

interface FileHandleLike {
  kind: "file";
  name: string;
  getFile(): Promise<File>;
}
interface DirHandleLike {
  kind: "directory";
  name: string;
  values(): AsyncIterable<FileHandleLike | DirHandleLike>;
}
interface FsAccessWindow {
  showDirectoryPicker?: () => Promise<DirHandleLike>;
  showOpenFilePicker?: (options?: { multiple?: boolean }) => Promise<FileHandleLike[]>;
}

async function readDir(dir: DirHandleLike, prefix: string, out: PickedFiles): Promise<void> {
  for await (const entry of dir.values()) {
    if (entry.kind === "file") {
      out.set(prefix + entry.name, new Uint8Array(await (await entry.getFile()).arrayBuffer()));
    } else if (prefix.split("/").length < 3) {
      await readDir(entry, `${prefix}${entry.name}/`, out);
    }
  }
}

function viaInput(directory: boolean): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement("input");
    input.type = "file";
    if (directory) input.setAttribute("webkitdirectory", "");
    input.addEventListener("change", () => resolve(Array.from(input.files ?? [])));
    input.addEventListener("cancel", () => resolve([]));
    input.click();
  });
}

async function filesToMap(files: File[], stripFolder: boolean): Promise<PickedFiles> {
  const out: PickedFiles = new Map();
  for (const f of files) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    const key = stripFolder ? rel.split("/").slice(1).join("/") || f.name : f.name;
    out.set(key, new Uint8Array(await f.arrayBuffer()));
  }
  return out;
}

/**
 * Lets the user pick a model folder (File System Access API where the browser has it,
 * else an `<input type=file webkitdirectory>`), and reads every file in it.
 *
 * @returns Path inside the folder -> bytes (empty when cancelled).
 */
export async function pickModelFolder(): Promise<PickedFiles> {
  const w = globalThis as unknown as FsAccessWindow;
  if (w.showDirectoryPicker) {
    const out: PickedFiles = new Map();
    await readDir(await w.showDirectoryPicker(), "", out);
    return out;
  }
  return filesToMap(await viaInput(true), true);
}

/**
 * Lets the user pick one dataset file (JSONL / JSON) and reads it.
 *
 * @returns The file's name and bytes, or undefined when cancelled.
 */
export async function pickDatasetFile(): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  const w = globalThis as unknown as FsAccessWindow;
  const files = w.showOpenFilePicker
    ? await Promise.all((await w.showOpenFilePicker({ multiple: false })).map((h) => h.getFile()))
    : await viaInput(false);
  const file = files[0];
  return file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
}
