import { assertReadableFile } from "./_assert_readable_file.ts";
import type { RawRecord } from "./_raw_record.ts";
import { readJsonRecords } from "./_read_json.ts";
import { readJsonlRecords } from "./_read_jsonl.ts";
import { readParquetRecords } from "./_read_parquet.ts";
import { BadRowError } from "./bad_row_error.ts";
import { parsePreferenceRow, type RowSchema } from "./parse_preference_row.ts";
import type { PreferenceRow } from "./types.ts";

/** File formats read by {@linkcode streamPreferenceRows}. */
export type DatasetFormat = "jsonl" | "json" | "parquet";

/** Options of {@linkcode streamPreferenceRows} and `readPreferenceDataset`. */
export interface ReadPreferenceOptions {
  /** File format; default from the extension (`.jsonl`, `.ndjson`, `.json`, each optionally `.gz`; `.parquet`). */
  format?: DatasetFormat;
  /** Row schema; default `auto` (see `parsePreferenceRow`). */
  schema?: RowSchema;
  /** `error` (default): throw a {@linkcode BadRowError} at the first bad row. `skip`: skip it and record it. */
  onBadRow?: "error" | "skip";
  /** Stop after this many good rows. */
  limit?: number;
  /** JSONL: the longest line accepted, in bytes (default 256 MiB); a longer one is an error naming the line. */
  maxLineBytes?: number;
}

/** A row that was skipped, and why. */
export interface SkippedRow {
  /** 1-based row number in the file. */
  row: number;
  /** Offending field (empty when the record could not be decoded at all). */
  field: string;
  /** What was wrong. */
  reason: string;
}

/** What reading a file did; complete once iteration ends. */
export interface ReadReport {
  /** The file read. */
  file: string;
  /** Its format. */
  format: DatasetFormat;
  /** Records seen (good and bad). */
  rowsRead: number;
  /** Rows returned. */
  rowsKept: number;
  /** Rows skipped (only with `onBadRow: "skip"`). */
  rowsSkipped: number;
  /** Each skipped row with its reason. */
  skipped: SkippedRow[];
}

/** The result of {@linkcode streamPreferenceRows}: rows to iterate once, and a report filled as they are read. */
export interface PreferenceRowStream {
  /** The valid rows, in file order. */
  rows: AsyncIterable<PreferenceRow>;
  /** Counts and skipped rows so far; final when `rows` is exhausted. */
  report: ReadReport;
}

function detectFormat(path: string): DatasetFormat {
  const name = path.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".parquet")) return "parquet";
  throw new TypeError(
    `Cannot tell the format of '${path}' from its extension: use .jsonl, .json or .parquet, or pass { format }.`,
  );
}

function records(path: string, format: DatasetFormat, maxLineBytes?: number): AsyncGenerator<RawRecord> {
  if (format === "jsonl") return readJsonlRecords(path, { maxLineBytes });
  if (format === "json") return readJsonRecords(path);
  return readParquetRecords(path);
}

/** The records of a file; a decoder's error (gzip, Parquet, a string too long) is rewritten with the path. */
async function* decodedRecords(path: string, format: DatasetFormat, maxLineBytes?: number) {
  try {
    yield* records(path, format, maxLineBytes);
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    if (message.includes(path)) throw error;
    const what = `${format === "parquet" ? "Parquet" : format.toUpperCase()}${path.endsWith(".gz") ? " (gzip)" : ""}`;
    throw new Error(
      `Preference dataset '${path}' cannot be decoded as ${what}: ${message}. The file is damaged, truncated or not ${what}.`,
      { cause: error },
    );
  }
}

/**
 * Streams the preference rows of a JSONL, JSON-array or Parquet file, checking each against the schema.
 * JSONL and Parquet are read incrementally (line by line, row group by row group); JSON is parsed whole.
 *
 * @param path The file.
 * @param options Format, schema, bad-row policy and limit.
 * @returns The rows (an async iterable) and a live {@linkcode ReadReport}.
 * @throws {TypeError} for an unknown extension; iteration throws {@linkcode BadRowError} on a bad row unless skipping.
 *
 * @example
 * ```ts
 * import { streamPreferenceRows } from "@wpo/data";
 * import { writeFileSync } from "node:fs";
 * writeFileSync("/tmp/s.jsonl", '{"prompt":"a","chosen":"b","rejected":"c"}\n{"prompt":1}\n');
 * const { rows, report } = streamPreferenceRows("/tmp/s.jsonl", { onBadRow: "skip" });
 * for await (const row of rows) console.assert(row.prompt === "a");
 * console.assert(report.rowsKept === 1 && report.rowsSkipped === 1 && report.skipped[0]?.row === 2);
 * ```
 */
export function streamPreferenceRows(path: string, options: ReadPreferenceOptions = {}): PreferenceRowStream {
  const format = options.format ?? detectFormat(path);
  const skip = (options.onBadRow ?? "error") === "skip";
  if (options.onBadRow !== undefined && options.onBadRow !== "error" && options.onBadRow !== "skip") {
    throw new RangeError(`onBadRow must be "error" or "skip", got ${JSON.stringify(options.onBadRow)}.`);
  }
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const report: ReadReport = { file: path, format, rowsRead: 0, rowsKept: 0, rowsSkipped: 0, skipped: [] };
  async function* rows(): AsyncGenerator<PreferenceRow> {
    if (limit <= 0) return;
    await assertReadableFile(path);
    for await (const record of decodedRecords(path, format, options.maxLineBytes)) {
      report.rowsRead++;
      try {
        if (record.error !== undefined)
          throw new BadRowError(record.error, { file: path, row: record.row, field: "" });
        const row = parsePreferenceRow(record.value, { schema: options.schema, file: path, row: record.row });
        report.rowsKept++;
        yield row;
        if (report.rowsKept >= limit) return;
      } catch (error) {
        if (!(error instanceof BadRowError) || !skip) throw error;
        report.rowsSkipped++;
        report.skipped.push({ row: error.row, field: error.field, reason: error.reason });
      }
    }
  }
  return { rows: rows(), report };
}
