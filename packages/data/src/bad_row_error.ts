/**
 * A dataset row that does not fit the preference schema. Carries where it happened so callers can report it.
 *
 * @example
 * ```ts
 * import { BadRowError } from "@wpo/data";
 * const error = new BadRowError("expected a string", { file: "a.jsonl", row: 3, field: "prompt" });
 * console.assert(error instanceof TypeError && error.message.startsWith("a.jsonl: row 3, field 'prompt'"));
 * ```
 */
export class BadRowError extends TypeError {
  /** File the row came from. */
  readonly file: string;
  /** 1-based row number (the line number for JSONL). */
  readonly row: number;
  /** The offending field, e.g. `chosen[1].content`; empty when the whole row is unreadable. */
  readonly field: string;
  /** The problem alone, without the location prefix. */
  readonly reason: string;

  /**
   * Creates the error.
   *
   * @param reason What is wrong with the field.
   * @param where File, 1-based row and field name.
   */
  constructor(reason: string, where: { file: string; row: number; field: string }) {
    const at = where.field === "" ? "" : `, field '${where.field}'`;
    super(
      `${where.file}: row ${where.row}${at}: ${reason}. Fix the row, or pass { onBadRow: "skip" } to skip and count bad rows.`,
    );
    this.name = "BadRowError";
    this.file = where.file;
    this.row = where.row;
    this.field = where.field;
    this.reason = reason;
  }
}
