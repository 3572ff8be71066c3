import {
  basename,
  closeSync,
  dirname,
  fsyncSync,
  join,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "#node-only";

/**
 * Writes a file atomically: the bytes go to a temporary file in the same folder,
 * which is flushed to disk (fsync) and then renamed over the target. A reader sees
 * the old file or the new one, never half of it.
 *
 * @param path Target file path.
 * @param data Text (UTF-8) or bytes.
 * @example
 * ```ts
 * import { atomicWriteFile } from "@wpo/trainer";
 * import { readFileSync, mkdtempSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const p = join(mkdtempSync(join(tmpdir(), "wpo-")), "a.txt");
 * atomicWriteFile(p, "hello");
 * console.assert(readFileSync(p, "utf8") === "hello");
 * ```
 */
export function atomicWriteFile(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "w");
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    // A failed write(2) carries no path: name the file being written.
    const e = error as NodeJS.ErrnoException;
    if (e && typeof e === "object" && e.code && !e.path) e.path = path;
    throw error;
  }
}

/**
 * Flushes a directory entry to disk (so a rename inside it survives a crash).
 * A no-op where directories cannot be opened.
 *
 * @param dir Directory path.
 * @example
 * ```ts
 * import { fsyncDir } from "@wpo/trainer";
 * import { tmpdir } from "node:os";
 * fsyncDir(tmpdir());
 * ```
 */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic.
  }
}
