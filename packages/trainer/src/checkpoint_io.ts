import {
  basename,
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

/** Contents of `manifest.json`: which files a complete checkpoint holds and their sizes. */
export interface CheckpointManifest {
  /** Format version. */
  version: 1;
  /** File name -> byte length. */
  files: Record<string, number>;
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
    for (const [name, data] of Object.entries(files)) {
      if (name.includes("/") || name.includes("\\") || name === CHECKPOINT_MANIFEST) {
        throw new RangeError(`writeCheckpointFiles: invalid file name '${name}'.`);
      }
      atomicWriteFile(join(tmp, name), data);
      sizes[name] = typeof data === "string" ? new TextEncoder().encode(data).length : data.length;
    }
    const manifest: CheckpointManifest = { version: 1, files: sizes, written: new Date().toISOString() };
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
 * Reads a checkpoint folder written by {@linkcode writeCheckpointFiles}, checking
 * the manifest and every file's size.
 *
 * @param dir The checkpoint folder.
 * @returns File name -> bytes.
 * @throws {Error} when the manifest is missing or a file is missing or truncated.
 * @example
 * ```ts
 * import { writeCheckpointFiles, readCheckpointFiles } from "@wpo/trainer";
 * import { mkdtempSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const dir = join(mkdtempSync(join(tmpdir(), "wpo-")), "c");
 * writeCheckpointFiles(dir, { "x.bin": new Uint8Array([1, 2]) });
 * console.assert(readCheckpointFiles(dir).get("x.bin")!.length === 2);
 * ```
 */
export function readCheckpointFiles(dir: string): Map<string, Uint8Array> {
  const manifestPath = join(dir, CHECKPOINT_MANIFEST);
  if (!existsSync(manifestPath)) {
    throw new Error(
      `Checkpoint '${dir}' is incomplete: it has no ${CHECKPOINT_MANIFEST}. Resume from another one.`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as CheckpointManifest;
  const out = new Map<string, Uint8Array>();
  for (const [name, size] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    if (!existsSync(path) || statSync(path).size !== size) {
      throw new Error(
        `Checkpoint '${dir}': file '${name}' is missing or not ${size} bytes; the checkpoint is damaged.`,
      );
    }
    out.set(name, new Uint8Array(readFileSync(path)));
  }
  return out;
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
