import { createGunzip, createInterface, createReadStream } from "#node-only";
import type { RawRecord } from "./_raw_record.ts";

/** Streams a JSON-lines file (optionally gzip-compressed), one record per non-blank line; row = line number. */
export async function* readJsonlRecords(path: string): AsyncGenerator<RawRecord> {
  const file = createReadStream(path);
  const input = path.endsWith(".gz") ? file.pipe(createGunzip()) : file;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let row = 0;
  try {
    for await (const line of lines) {
      row++;
      if (line.trim() === "") continue;
      try {
        yield { row, value: JSON.parse(line) };
      } catch (error) {
        yield { row, error: `invalid JSON (${(error as Error).message})` };
      }
    }
  } finally {
    lines.close();
    file.destroy();
  }
}
