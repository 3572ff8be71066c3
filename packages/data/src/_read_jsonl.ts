import { createGunzip, createReadStream } from "#node-only";
import type { RawRecord } from "./_raw_record.ts";

/** The longest JSONL line read by default (bytes): a longer one is an error naming the file and line. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

function* decodeLine(bytes: Buffer, first: number): Generator<RawRecord, number> {
  // Line breaks as readline has them: \n, \r\n and a lone \r.
  const lines = bytes
    .toString("utf8")
    .replace(/\r$/, "")
    .split(/\r(?!\n)/);
  for (const [k, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      yield { row: first + k, value: JSON.parse(line) };
    } catch (error) {
      yield { row: first + k, error: `invalid JSON (${(error as Error).message})` };
    }
  }
  return lines.length;
}

/**
 * Streams a JSON-lines file (optionally gzip-compressed), one record per non-blank line; row = line number.
 * Lines are cut from the byte stream, so a line longer than `maxLineBytes` is an error naming the file and
 * line instead of a string too long for JavaScript.
 */
export async function* readJsonlRecords(
  path: string,
  options: { maxLineBytes?: number | undefined } = {},
): AsyncGenerator<RawRecord> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  const file = createReadStream(path);
  const input = path.endsWith(".gz") ? file.pipe(createGunzip()) : file;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let row = 1;
  const tooLong = () =>
    new RangeError(
      `Preference dataset '${path}', line ${row}: longer than ${max} bytes, the limit of one JSONL row. ` +
        "Check that the file is JSON lines (one row per line), or split the row.",
    );
  const take = function* (tail: Buffer): Generator<RawRecord, void> {
    const line = pending.length > 0 ? Buffer.concat([...pending, tail]) : tail;
    pending = [];
    pendingBytes = 0;
    row += yield* decodeLine(line, row);
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (pendingBytes + nl - start > max) throw tooLong();
        yield* take(chunk.subarray(start, nl));
        start = nl + 1;
      }
      pendingBytes += chunk.length - start;
      if (pendingBytes > max) throw tooLong();
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
    if (pendingBytes > 0) yield* take(Buffer.alloc(0));
  } finally {
    file.destroy();
    if (input !== file) input.destroy();
  }
}
