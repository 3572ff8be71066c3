/** Splitting text by regex matches, with the reference's delimiter behaviours. */

/** What happens to the matched parts when splitting (tokenizer.json `behavior`). */
export type SplitBehavior = "Removed" | "Isolated" | "MergedWithPrevious" | "MergedWithNext" | "Contiguous";

/** Names of the behaviours, for validation. */
export const SPLIT_BEHAVIORS: readonly SplitBehavior[] = [
  "Removed",
  "Isolated",
  "MergedWithPrevious",
  "MergedWithNext",
  "Contiguous",
];

/**
 * Splits `text` at the matches of the global regex `re`, pushing non-empty pieces to `out`.
 * `invert` swaps the roles of matches and the gaps between them.
 */
export function splitByRegex(
  text: string,
  re: RegExp,
  behavior: SplitBehavior,
  invert: boolean,
  out: string[],
): void {
  if (behavior === "Isolated" && !invert) {
    // Hot path (Llama 3): every match and every gap becomes its own piece.
    re.lastIndex = 0;
    let last = 0;
    let m: RegExpExecArray | null = re.exec(text);
    while (m !== null) {
      const start = m.index;
      const end = start + m[0].length;
      if (start > last) out.push(text.slice(last, start));
      if (end > start) out.push(m[0]);
      else re.lastIndex++;
      last = end;
      m = re.exec(text);
    }
    if (last < text.length) out.push(text.slice(last));
    return;
  }
  // General path: list [start, end, isDelimiter] spans covering the text.
  const spans: [number, number, boolean][] = [];
  re.lastIndex = 0;
  let last = 0;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      re.lastIndex++;
      m = re.exec(text);
      continue;
    }
    if (start > last) spans.push([last, start, invert]);
    spans.push([start, end, !invert]);
    last = end;
    m = re.exec(text);
  }
  if (last < text.length) spans.push([last, text.length, invert]);
  applyBehavior(text, spans, behavior, out);
}

function applyBehavior(
  text: string,
  spans: [number, number, boolean][],
  behavior: SplitBehavior,
  out: string[],
): void {
  const pieces: [number, number][] = [];
  let previousDelim = false;
  let pendingStart = -1; // MergedWithNext: a delimiter waiting for the piece after it
  for (const [start, end, isDelim] of spans) {
    const prev = pieces[pieces.length - 1];
    if (behavior === "Removed") {
      if (!isDelim) pieces.push([start, end]);
    } else if (behavior === "Isolated") {
      pieces.push([start, end]);
    } else if (behavior === "MergedWithPrevious") {
      if (isDelim && !previousDelim && prev) prev[1] = end;
      else pieces.push([start, end]);
    } else if (behavior === "Contiguous") {
      if (isDelim && previousDelim && prev) prev[1] = end;
      else pieces.push([start, end]);
    } else if (isDelim) {
      if (pendingStart >= 0) pieces.push([pendingStart, start]);
      pendingStart = start;
    } else {
      pieces.push([pendingStart >= 0 ? pendingStart : start, end]);
      pendingStart = -1;
    }
    previousDelim = isDelim;
  }
  if (pendingStart >= 0) pieces.push([pendingStart, text.length]);
  for (const [s, e] of pieces) if (e > s) out.push(text.slice(s, e));
}
