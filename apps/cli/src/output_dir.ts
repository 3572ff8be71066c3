import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Options of {@linkcode prepareOutputDir}. */
export interface PrepareOutputDirOptions {
  /** `--resume`: the folder's run is continued (it must hold one). */
  resume?: boolean;
  /** `--overwrite_output_dir`: an earlier run in the folder is removed first. */
  overwrite?: boolean;
  /** A scratch folder (the demo's default): an earlier run is replaced without the flag, with a notice. */
  scratch?: boolean;
  /** Where the notice goes. */
  out?: (line: string) => void;
}

const SYSTEM = ["/proc", "/sys", "/dev"];

/** The files and folders that mark an output folder as holding a run. */
function runFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(
      (n) =>
        ["metrics.jsonl", "summary.json", "dpo-vs-wpo.json"].includes(n) ||
        /^checkpoint-\d+(\.tmp-.*)?$/.test(n) ||
        (["dpo", "wpo"].includes(n) && existsSync(join(dir, n, "metrics.jsonl"))),
    )
    .sort();
}

/** mkdir -p without Node's recursive mkdir, which never returns for some paths (`/proc/self/x`). */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (existsSync(d) && !statSync(d).isDirectory()) {
    throw new TypeError(
      `Output folder '${dir}': '${d}' is a file, not a folder. Choose another --output_dir.`,
    );
  }
  for (const m of missing.reverse()) mkdirSync(m);
}

/**
 * Checks and creates a command's output folder before anything is written: refuses system folders
 * (/proc, /sys, /dev) and a path through a file, and refuses a folder that already holds a run (metrics.jsonl,
 * checkpoints) unless `resume` (continue it) or `overwrite` (remove its metrics and checkpoints first).
 *
 * @param dir The output folder.
 * @param options Resume / overwrite / scratch flags and the notice stream.
 * @returns The folder, created.
 * @throws {RangeError} naming the folder, what it holds and the flags that allow it.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * import { prepareOutputDir } from "@wpo/cli";
 * const dir = mkdtempSync(join(tmpdir(), "wpo-"));
 * writeFileSync(join(dir, "metrics.jsonl"), "{}\n");
 * let message = "";
 * try { prepareOutputDir(dir); } catch (e) { message = (e as Error).message; }
 * console.assert(message.includes("--overwrite_output_dir") && prepareOutputDir(dir, { resume: true }) === dir);
 * ```
 */
export function prepareOutputDir(dir: string, options: PrepareOutputDirOptions = {}): string {
  const abs = resolve(dir);
  let real = abs;
  for (let d = abs; ; d = dirname(d)) {
    if (existsSync(d)) {
      real = join(realpathSync(d), abs.slice(d.length));
      break;
    }
    if (dirname(d) === d) break;
  }
  const system = SYSTEM.find((s) => real === s || real.startsWith(`${s}/`));
  if (system) {
    throw new RangeError(
      `Output folder '${dir}' is inside ${system}, a system folder: choose another --output_dir.`,
    );
  }
  if (existsSync(abs) && !statSync(abs).isDirectory()) {
    throw new TypeError(`Output folder '${dir}' is a file: choose another --output_dir.`);
  }
  const held = runFiles(abs);
  if (held.length > 0 && options.resume) return dir;
  if (options.resume) {
    throw new RangeError(
      `--resume: output folder '${dir}' holds no run to continue. Start without --resume.`,
    );
  }
  if (held.length > 0) {
    if (!options.overwrite && !options.scratch) {
      throw new RangeError(
        `Output folder '${dir}' already holds a run (${held.slice(0, 4).join(", ")}${held.length > 4 ? ", ..." : ""}): ` +
          "pass --resume to continue it, --overwrite_output_dir to replace it, or choose another --output_dir.",
      );
    }
    options.out?.(`replacing the earlier run in ${dir} (${held.join(", ")})`);
    for (const name of held) rmSync(join(abs, name), { recursive: true, force: true });
  }
  makeDirs(abs);
  return dir;
}
