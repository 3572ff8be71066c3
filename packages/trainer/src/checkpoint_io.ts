import {
  basename,
  createHash,
  dirname,
  existsSync,
  join,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "#node-only";
import { atomicWriteFile, fsyncDir } from "./atomic_write.ts";

/** The file written last into every checkpoint; a folder without it is incomplete. */
export const CHECKPOINT_MANIFEST = "manifest.json";

/** Contents of `manifest.json`: which files a complete checkpoint holds, their sizes and sha256. */
export interface CheckpointManifest {
  /** Format version: 2 adds `sha256` (version 1 checkpoints are checked by size only). */
  version: 1 | 2;
  /** File name -> byte length. */
  files: Record<string, number>;
  /** File name -> sha256 (hex) of its bytes. */
  sha256?: Record<string, string>;
  /** ISO time of writing. */
  written: string;
}

/**
 * Writes a checkpoint folder atomically: every file goes into a temporary sibling
 * folder and is fsync'd, the manifest is written last, and the folder is renamed
 * into place. An interrupted write leaves only a `*.tmp-*` folder, never a
 * half-written checkpoint.
 *
 * @param dir The checkpoint folder to create (replaced if it exists).
 * @param files File name (no slashes) -> contents.
 * @example
 * ```ts
 * import { writeCheckpointFiles, readCheckpointFiles } from "@wpo/trainer";
 * import { mkdtempSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const dir = join(mkdtempSync(join(tmpdir(), "wpo-")), "checkpoint-1");
 * writeCheckpointFiles(dir, { "a.json": "{}" });
 * console.assert(new TextDecoder().decode(readCheckpointFiles(dir).get("a.json")) === "{}");
 * ```
 */
export function writeCheckpointFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    const sizes: Record<string, number> = {};
    const sha256: Record<string, string> = {};
    for (const [name, data] of Object.entries(files)) {
      if (name.includes("/") || name.includes("\\") || name === CHECKPOINT_MANIFEST) {
        throw new RangeError(`writeCheckpointFiles: invalid file name '${name}'.`);
      }
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      atomicWriteFile(join(tmp, name), bytes);
      sizes[name] = bytes.length;
      sha256[name] = createHash("sha256").update(bytes).digest("hex");
    }
    const manifest: CheckpointManifest = {
      version: 2,
      files: sizes,
      sha256,
      written: new Date().toISOString(),
    };
    atomicWriteFile(join(tmp, CHECKPOINT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncDir(tmp);
    if (existsSync(dir)) {
      const old = `${tmp}.old`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
    fsyncDir(parent);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Reads a checkpoint folder written by {@linkcode writeCheckpointFiles}, checking the manifest and every
 * file's size and sha256.
 *
 * @param dir The checkpoint folder.
 * @returns File name -> bytes.
 * @throws {Error} naming the folder and file when the manifest is missing or unreadable, or a file is
 * missing, truncated or altered.
 * @example
 * ```ts
 * import { writeCheckpointFiles, readCheckpointFiles } from "@wpo/trainer";
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const dir = join(mkdtempSync(join(tmpdir(), "wpo-")), "c");
 * writeCheckpointFiles(dir, { "x.bin": new Uint8Array([1, 2]) });
 * console.assert(readCheckpointFiles(dir).get("x.bin")!.length === 2);
 * writeFileSync(join(dir, "x.bin"), new Uint8Array([1, 3]));
 * let message = "";
 * try { readCheckpointFiles(dir); } catch (e) { message = (e as Error).message; }
 * console.assert(message.includes("sha256"));
 * ```
 */
export function readCheckpointFiles(dir: string): Map<string, Uint8Array> {
  const manifest = readManifest(dir);
  const out = new Map<string, Uint8Array>();
  for (const [name, size] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    if (/[/\\]|^\.\.?$/.test(name) || !existsSync(path) || statSync(path).size !== size) {
      throw new Error(
        `Checkpoint '${dir}': file '${name}' is missing or not ${size} bytes; the checkpoint is damaged.`,
      );
    }
    const bytes = new Uint8Array(readFileSync(path));
    const want = manifest.sha256?.[name];
    if (want !== undefined && createHash("sha256").update(bytes).digest("hex") !== want) {
      throw new Error(
        `Checkpoint '${dir}': file '${name}' does not match its sha256 in ${CHECKPOINT_MANIFEST}; the checkpoint is damaged.`,
      );
    }
    out.set(name, bytes);
  }
  return out;
}

function readManifest(dir: string): CheckpointManifest {
  const manifestPath = join(dir, CHECKPOINT_MANIFEST);
  if (!existsSync(manifestPath)) {
    throw new Error(
      `Checkpoint '${dir}' is incomplete: it has no ${CHECKPOINT_MANIFEST}. Resume from another one.`,
    );
  }
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    throw new Error(
      `Checkpoint '${dir}': ${CHECKPOINT_MANIFEST} does not parse (${(error as Error).message}); the checkpoint is damaged.`,
    );
  }
  if (typeof manifest?.files !== "object" || manifest.files === null) {
    throw new Error(`Checkpoint '${dir}': ${CHECKPOINT_MANIFEST} lists no files; the checkpoint is damaged.`);
  }
  return manifest;
}

/**
 * Checks a checkpoint folder (sizes and sha256 of the files its manifest lists) without keeping the bytes.
 *
 * @param dir The checkpoint folder.
 * @throws {Error} as {@linkcode readCheckpointFiles} does.
 * @example
 * ```ts
 * import { verifyCheckpoint, writeCheckpointFiles } from "@wpo/trainer";
 * import { mkdtempSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const dir = join(mkdtempSync(join(tmpdir(), "wpo-")), "c");
 * writeCheckpointFiles(dir, { "x.bin": new Uint8Array([1, 2]) });
 * verifyCheckpoint(dir);
 * ```
 */
export function verifyCheckpoint(dir: string): void {
  readCheckpointFiles(dir);
}

/**
 * Finds the newest `checkpoint-<step>` folder that passes {@linkcode verifyCheckpoint}; each damaged or
 * incomplete newer one is reported through `warn`.
 *
 * @param outputDir The run's output folder.
 * @param options `warn`: receives one line per checkpoint skipped.
 * @returns The folder, or undefined when none is intact.
 * @example
 * ```ts
 * import { latestGoodCheckpoint } from "@wpo/trainer";
 * import { tmpdir } from "node:os";
 * console.assert(latestGoodCheckpoint(tmpdir() + "/definitely-missing-wpo") === undefined);
 * ```
 */
export function latestGoodCheckpoint(
  outputDir: string,
  options: { warn?: (line: string) => void } = {},
): string | undefined {
  if (!existsSync(outputDir)) return undefined;
  const found = readdirSync(outputDir)
    .map((name) => [name, /^checkpoint-(\d+)$/.exec(name)] as const)
    .filter(([, m]) => m !== null)
    .map(([name, m]) => ({ step: Number(m![1]), path: join(outputDir, name) }))
    .sort((a, b) => b.step - a.step);
  for (const [i, c] of found.entries()) {
    try {
      verifyCheckpoint(c.path);
      return c.path;
    } catch (error) {
      const next = found[i + 1];
      options.warn?.(
        `${(error as Error).message} ${next ? `Falling back to ${next.path}.` : "No earlier checkpoint."}`,
      );
    }
  }
  return undefined;
}

/**
 * Finds the newest complete `checkpoint-<step>` folder under an output folder.
 *
 * @param outputDir The run's output folder.
 * @returns The folder path, or undefined when there is none.
 * @example
 * ```ts
 * import { latestCheckpoint } from "@wpo/trainer";
 * import { tmpdir } from "node:os";
 * console.assert(latestCheckpoint(tmpdir() + "/definitely-missing-wpo") === undefined);
 * ```
 */
export function latestCheckpoint(outputDir: string): string | undefined {
  if (!existsSync(outputDir)) return undefined;
  let best: { step: number; path: string } | undefined;
  for (const name of readdirSync(outputDir)) {
    const match = /^checkpoint-(\d+)$/.exec(name);
    if (!match) continue;
    const path = join(outputDir, name);
    if (!existsSync(join(path, CHECKPOINT_MANIFEST))) continue;
    const step = Number(match[1]);
    if (!best || step > best.step) best = { step, path };
  }
  return best?.path;
}

/**
 * Removes `checkpoint-<step>.tmp-<pid>-<time>` folders (and their `.old` twins) left by writes that were
 * interrupted, unless the process that wrote them is still alive.
 *
 * @param outputDir The run's output folder.
 * @returns The folders removed.
 * @example
 * ```ts
 * import { mkdirSync, mkdtempSync, existsSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * import { removeDeadCheckpointTemps } from "@wpo/trainer";
 * const out = mkdtempSync(join(tmpdir(), "wpo-"));
 * mkdirSync(join(out, "checkpoint-2.tmp-999999999-1"));
 * console.assert(removeDeadCheckpointTemps(out).length === 1 && !existsSync(join(out, "checkpoint-2.tmp-999999999-1")));
 * ```
 */
export function removeDeadCheckpointTemps(outputDir: string): string[] {
  if (!existsSync(outputDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(outputDir)) {
    const match = /^checkpoint-\d+\.tmp-(\d+)-\d+(\.old)?$/.exec(name);
    if (!match || (Number(match[1]) !== process.pid && processAlive(Number(match[1])))) continue;
    rmSync(join(outputDir, name), { recursive: true, force: true });
    removed.push(join(outputDir, name));
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
