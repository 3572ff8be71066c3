import { existsSync, readFileSync } from "node:fs";
import { assertRegularFile } from "./_regular_file.ts";

/** Reads a .txt (one item per line) or .jsonl file (one object per line), with clear errors. */
export function readRecords(path: string): unknown[] {
  if (!existsSync(path)) throw new Error(`File '${path}' does not exist.`);
  assertRegularFile(path, "File", 256 * 1024 * 1024);
  const lines = readFileSync(path, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  if (!path.endsWith(".jsonl") && !path.endsWith(".json")) return lines;
  return lines.map((l, i) => {
    try {
      return JSON.parse(l) as unknown;
    } catch (error) {
      throw new SyntaxError(`File '${path}', line ${i + 1}: not valid JSON (${(error as Error).message}).`);
    }
  });
}
