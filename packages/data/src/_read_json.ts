import { gunzipSync, readFile } from "#node-only";
import type { RawRecord } from "./_raw_record.ts";

/** Reads a JSON file holding an array of records (optionally gzip-compressed); row = 1-based array index. */
export async function* readJsonRecords(path: string): AsyncGenerator<RawRecord> {
  const bytes = await readFile(path);
  const text = (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${path}: invalid JSON (${(error as Error).message}); expected an array of rows.`);
  }
  if (!Array.isArray(data)) {
    throw new TypeError(
      `${path}: expected a JSON array of rows, got ${data === null ? "null" : typeof data}.`,
    );
  }
  for (let i = 0; i < data.length; i++) yield { row: i + 1, value: data[i] };
}
