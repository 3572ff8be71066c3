import type { TextPair } from "./demo_pairs.ts";

type Turn = { role?: unknown; content?: unknown };

function text(value: unknown, where: string, field: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const last = value.at(-1) as Turn | undefined;
    if (last && typeof last.content === "string") return last.content;
  }
  throw new TypeError(
    `${where}: field '${field}' must be a string or a list of {role, content} messages; got ${JSON.stringify(value)?.slice(0, 60)}.`,
  );
}

function promptOf(row: Record<string, unknown>, where: string): string {
  if (typeof row.prompt === "string") return row.prompt;
  if (Array.isArray(row.prompt)) return (row.prompt as Turn[]).map((t) => String(t.content ?? "")).join("\n");
  if (Array.isArray(row.chosen) && row.chosen.length > 1) {
    return (row.chosen as Turn[])
      .slice(0, -1)
      .map((t) => String(t.content ?? ""))
      .join("\n");
  }
  throw new TypeError(
    `${where}: no 'prompt' field and 'chosen' is not a conversation; add a 'prompt' string.`,
  );
}

/**
 * Reads preference pairs from a JSONL or JSON file picked in the browser: each row has
 * `prompt`, `chosen`, `rejected`, as strings or as chat message lists (the last message is
 * the response, the earlier ones the prompt).
 *
 * @param bytes File content.
 * @param fileName For error messages and to tell JSON from JSONL.
 * @returns The pairs as text.
 */
export function parseDatasetFile(bytes: Uint8Array, fileName: string): TextPair[] {
  const source = new TextDecoder().decode(bytes);
  let rows: unknown[];
  if (fileName.endsWith(".json")) {
    try {
      rows = JSON.parse(source) as unknown[];
    } catch (error) {
      throw new SyntaxError(`${fileName}: not valid JSON (${(error as Error).message}).`);
    }
    if (!Array.isArray(rows)) throw new TypeError(`${fileName}: expected a JSON array of rows.`);
  } else {
    rows = [];
    source.split("\n").forEach((line, i) => {
      if (!line.trim()) return;
      try {
        rows.push(JSON.parse(line));
      } catch (error) {
        throw new SyntaxError(`${fileName} line ${i + 1}: not valid JSON (${(error as Error).message}).`);
      }
    });
  }
  return rows.map((raw, i) => {
    const where = `${fileName} row ${i + 1}`;
    if (typeof raw !== "object" || raw === null) throw new TypeError(`${where}: expected an object.`);
    const row = raw as Record<string, unknown>;
    return {
      prompt: promptOf(row, where),
      chosen: text(row.chosen, where, "chosen"),
      rejected: text(row.rejected, where, "rejected"),
    };
  });
}
