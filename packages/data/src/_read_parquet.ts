import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { asyncBufferFromFile } from "#node-only";
import { compressors } from "hyparquet-compressors";
import type { RawRecord } from "./_raw_record.ts";

/** Streams a Parquet file one row group at a time (any codec hyparquet-compressors knows); row = 1-based. */
export async function* readParquetRecords(path: string): AsyncGenerator<RawRecord> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, compressors, rowStart: start, rowEnd: end });
    for (let i = 0; i < rows.length; i++) yield { row: start + i + 1, value: rows[i] };
    start = end;
  }
}
