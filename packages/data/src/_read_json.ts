import { gunzipSync, readFile, stat } from "#node-only";
import type { RawRecord } from "./_raw_record.ts";

/** The largest JSON array file (decompressed) parsed whole; bigger data belongs in JSONL. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** Reads a JSON file holding an array of records (optionally gzip-compressed); row = 1-based array index. */
export async function* readJsonRecords(path: string): AsyncGenerator<RawRecord> {
  const tooBig = () =>
    new RangeError(
      `${path}: a JSON array over ${MAX_JSON_BYTES} bytes is too large to parse whole; convert it to JSONL.`,
    );
  if ((await stat(path)).size > MAX_JSON_BYTES) throw tooBig();
  const bytes = await readFile(path);
  let raw: Buffer;
  try {
    raw = path.endsWith(".gz") ? gunzipSync(bytes, { maxOutputLength: MAX_JSON_BYTES }) : bytes;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooBig();
    throw error;
  }
  const text = raw.toString("utf8");
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
