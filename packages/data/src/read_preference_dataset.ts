import {
  type ReadPreferenceOptions,
  type ReadReport,
  streamPreferenceRows,
} from "./stream_preference_rows.ts";
import type { PreferenceRow } from "./types.ts";

/** The rows of a file and what reading it did. */
export interface PreferenceDataset {
  /** The valid rows, in file order. */
  rows: PreferenceRow[];
  /** Counts of rows read, kept and skipped, with the reason for each skipped row. */
  report: ReadReport;
}

/**
 * Reads a whole preference dataset (JSONL, JSON array or Parquet; WPO message-list schema, plain strings, or
 * Anthropic HH transcripts) into memory. See {@linkcode streamPreferenceRows} for the streaming form.
 *
 * @param path The file.
 * @param options Format, schema, `onBadRow` ("error" | "skip") and `limit`.
 * @returns The rows and the read report (skipped rows are counted, never silently dropped).
 * @throws {BadRowError} naming file, row and field at the first bad row, unless `onBadRow: "skip"`.
 *
 * @example
 * ```ts
 * import { readPreferenceDataset } from "@wpo/data";
 * import { writeFileSync } from "node:fs";
 * writeFileSync("/tmp/d.json", JSON.stringify([{ chosen: [{ role: "user", content: "Hi" },
 *   { role: "assistant", content: "Hello" }], rejected: [{ role: "user", content: "Hi" },
 *   { role: "assistant", content: "No" }] }]));
 * const { rows, report } = await readPreferenceDataset("/tmp/d.json");
 * console.assert(rows.length === 1 && report.rowsSkipped === 0);
 * ```
 */
export async function readPreferenceDataset(
  path: string,
  options: ReadPreferenceOptions = {},
): Promise<PreferenceDataset> {
  const stream = streamPreferenceRows(path, options);
  const rows: PreferenceRow[] = [];
  for await (const row of stream.rows) rows.push(row);
  return { rows, report: stream.report };
}
