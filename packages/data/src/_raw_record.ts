/** One record from a file before schema checks: its 1-based row number and value, or why it could not be decoded. */
export interface RawRecord {
  row: number;
  value?: unknown;
  error?: string;
}
