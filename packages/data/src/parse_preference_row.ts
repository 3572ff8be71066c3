import { BadRowError } from "./bad_row_error.ts";
import { parseHhTranscript } from "./parse_hh_transcript.ts";
import type { ChatMessage, PreferenceRow } from "./types.ts";

/** Row schemas understood by {@linkcode parsePreferenceRow}. */
export type RowSchema = "auto" | "messages" | "plain" | "hh";

/** Options of {@linkcode parsePreferenceRow}. */
export interface ParsePreferenceRowOptions {
  /** Expected schema; `auto` (default) decides per row from the field types. */
  schema?: RowSchema;
  /** File name used in error messages. Default `<memory>`. */
  file?: string;
  /** 1-based row number used in error messages. Default 1. */
  row?: number;
}

type Where = { file: string; row: number };

function typeName(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

function messages(value: unknown, field: string, where: Where): ChatMessage[] {
  if (!Array.isArray(value)) {
    throw new BadRowError(`expected a list of {role, content} messages, got ${typeName(value)}`, {
      ...where,
      field,
    });
  }
  return value.map((m: unknown, i) => {
    const f = `${field}[${i}]`;
    if (typeof m !== "object" || m === null || Array.isArray(m)) {
      throw new BadRowError(`expected a {role, content} object, got ${typeName(m)}`, { ...where, field: f });
    }
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (typeof role !== "string") {
      throw new BadRowError(`expected a string, got ${typeName(role)}`, { ...where, field: `${f}.role` });
    }
    if (typeof content !== "string") {
      throw new BadRowError(`expected a string, got ${typeName(content)}`, {
        ...where,
        field: `${f}.content`,
      });
    }
    return { role, content };
  });
}

function transcript(value: string, field: string, where: Where): ChatMessage[] {
  try {
    return parseHhTranscript(value);
  } catch (error) {
    throw new BadRowError((error as Error).message.split(":")[0] ?? "bad transcript", { ...where, field });
  }
}

function fromHh(chosenText: string, rejectedText: string, where: Where): PreferenceRow {
  const chosen = transcript(chosenText, "chosen", where);
  const rejected = transcript(rejectedText, "rejected", where);
  const last = chosen.length - 1;
  if (chosen.length < 2 || chosen[last]?.role !== "assistant") {
    throw new BadRowError("transcript must end with an Assistant turn after a Human turn", {
      ...where,
      field: "chosen",
    });
  }
  if (rejected.length !== chosen.length || rejected[last]?.role !== "assistant") {
    throw new BadRowError("transcript must have the same turns as 'chosen' and end with an Assistant turn", {
      ...where,
      field: "rejected",
    });
  }
  for (let i = 0; i < last; i++) {
    if (chosen[i]?.role !== rejected[i]?.role || chosen[i]?.content !== rejected[i]?.content) {
      throw new BadRowError(`turn ${i + 1} differs from 'chosen': only the last turn may differ`, {
        ...where,
        field: "rejected",
      });
    }
  }
  const prompt = chosen[last - 1];
  if (prompt?.role !== "user") {
    throw new BadRowError("the turn before the last must be a Human turn", { ...where, field: "chosen" });
  }
  return { prompt: prompt.content, chosen, rejected };
}

function sampledIds(row: Record<string, unknown>, out: PreferenceRow, where: Where): PreferenceRow {
  for (const [field, key] of [
    ["chosen_ids", "chosenIds"],
    ["rejected_ids", "rejectedIds"],
  ] as const) {
    const value = row[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every((id) => Number.isInteger(id) && id >= 0)) {
      throw new BadRowError("expected a list of non-negative integer token ids", { ...where, field });
    }
    out[key] = value as number[];
  }
  return out;
}

function pickSchema(row: Record<string, unknown>): Exclude<RowSchema, "auto"> {
  if (Array.isArray(row.chosen)) return "messages";
  if (typeof row.chosen === "string" && row.prompt === undefined && row.chosen.startsWith("\n\nHuman: "))
    return "hh";
  return "plain";
}

/**
 * Checks one raw record against a preference schema and returns it as a {@linkcode PreferenceRow}.
 * Schemas: `messages` (WPO training set: `chosen`/`rejected` message lists, `prompt` a string or message list),
 * `plain` (`prompt`, `chosen`, `rejected` strings), `hh` (Anthropic HH: `chosen`/`rejected` transcripts; becomes
 * the `messages` schema with `prompt` = the last Human turn, exactly like the bundled WPO-schema files).
 * Optional `chosen_ids` / `rejected_ids` (a response's token ids as sampled) become `chosenIds` / `rejectedIds`.
 * Other extra fields are ignored.
 *
 * @param value The decoded record (e.g. one JSONL line).
 * @param options Schema and the location used in errors.
 * @returns The validated row.
 * @throws {BadRowError} naming file, row and field when the record does not fit.
 *
 * @example
 * ```ts
 * import { parsePreferenceRow } from "@wpo/data";
 * const row = parsePreferenceRow({ prompt: "Hi", chosen: "Hello", rejected: "Go away" });
 * console.assert(row.chosen === "Hello");
 * let message = "";
 * try { parsePreferenceRow({ prompt: "Hi", chosen: 1, rejected: "x" }, { file: "d.jsonl", row: 7 }); }
 * catch (e) { message = (e as Error).message; }
 * console.assert(message.startsWith("d.jsonl: row 7, field 'chosen'"));
 * ```
 */
export function parsePreferenceRow(value: unknown, options: ParsePreferenceRowOptions = {}): PreferenceRow {
  const where = { file: options.file ?? "<memory>", row: options.row ?? 1 };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BadRowError(`expected an object with chosen and rejected, got ${typeName(value)}`, {
      ...where,
      field: "",
    });
  }
  const row = value as Record<string, unknown>;
  for (const field of ["chosen", "rejected"]) {
    if (row[field] === undefined || row[field] === null) {
      throw new BadRowError("missing", { ...where, field });
    }
  }
  const schema = options.schema === undefined || options.schema === "auto" ? pickSchema(row) : options.schema;
  if (schema === "messages") {
    const chosen = messages(row.chosen, "chosen", where);
    const rejected = messages(row.rejected, "rejected", where);
    if (chosen.length === 0)
      throw new BadRowError("must hold at least one message", { ...where, field: "chosen" });
    if (rejected.length === 0)
      throw new BadRowError("must hold at least one message", { ...where, field: "rejected" });
    const out: PreferenceRow = { chosen, rejected };
    if (Array.isArray(row.prompt)) out.prompt = messages(row.prompt, "prompt", where);
    else if (typeof row.prompt === "string") out.prompt = row.prompt;
    else if (row.prompt !== undefined && row.prompt !== null) {
      throw new BadRowError(`expected a string or message list, got ${typeName(row.prompt)}`, {
        ...where,
        field: "prompt",
      });
    }
    return sampledIds(row, out, where);
  }
  for (const field of schema === "hh" ? ["chosen", "rejected"] : ["prompt", "chosen", "rejected"]) {
    if (typeof row[field] !== "string") {
      throw new BadRowError(`expected a string, got ${typeName(row[field])}`, { ...where, field });
    }
  }
  if (schema === "hh") return fromHh(row.chosen as string, row.rejected as string, where);
  const plain = {
    prompt: row.prompt as string,
    chosen: row.chosen as string,
    rejected: row.rejected as string,
  };
  return sampledIds(row, plain, where);
}
