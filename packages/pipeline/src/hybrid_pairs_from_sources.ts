import { buildHybridPairs, type ChatMessage, type HybridSkipReason } from "@wpo/data";

/** One scored candidate response to a prompt, tagged with where it came from. */
export interface SourcedResponse {
  /** The response text. */
  text: string;
  /** Its score (higher is better). */
  score: number;
  /** Its source, e.g. `on_policy`, `gpt-4-turbo`, `dataset`. */
  source: string;
  /** Sampled ids without the stop token (on-policy samples only). */
  ids?: number[];
  /** The stop id the sample ended on. */
  stop?: number;
}

/** A prompt with candidates from one or more sources. */
export interface SourcedPrompt {
  /** A user message, or a conversation ending with a user turn. */
  prompt: string | ChatMessage[];
  /** The candidates. */
  responses: SourcedResponse[];
}

/** One hybrid pair in the hybrid schema `wpo train` reads (snake_case field names, as written to JSONL). */
export interface HybridPairRow {
  /** The last user turn's text. */
  prompt: string;
  /** The conversation ending with the chosen response. */
  chosen: ChatMessage[];
  /** The conversation ending with the rejected response. */
  rejected: ChatMessage[];
  chosen_score: number;
  rejected_score: number;
  chosen_source: string;
  rejected_source: string;
  /** Sampled ids with their stop token, when the chosen response was sampled on-policy. */
  chosen_ids?: number[];
  /** Likewise for rejected. */
  rejected_ids?: number[];
}

/** How often each source was a candidate, chosen and rejected. */
export type SourceSummary = Record<string, { candidates: number; chosen: number; rejected: number }>;

/** Options of {@linkcode hybridPairsFromSources}. */
export interface HybridSourcesOptions {
  /** Length measure of the tie-breaks: `chars` (default) or `tokens` (responses without ids are encoded). */
  lengthUnit?: "chars" | "tokens";
  /** Counts tokens of responses without ids when `lengthUnit` is `tokens`. */
  tokenizer?: { encode(text: string, options?: { addSpecialTokens?: boolean }): number[] };
}

const keyOf = (p: string | ChatMessage[]) => (typeof p === "string" ? p : JSON.stringify(p));

/**
 * Merges candidates of several sources by prompt (same prompt text or conversation, first-seen order) and builds
 * one hybrid pair per prompt with the WPO hybrid rules (chosen = highest score, ties to the shortest; rejected =
 * lowest, ties to the length closest to the chosen one; prompts whose candidates all tie give none), in the hybrid
 * schema, with a per-source count of candidates, chosen and rejected.
 *
 * @param groups Prompts with candidates, from any number of files or sources.
 * @param options Length unit and tokenizer.
 * @returns The pair rows, the per-source summary and the skipped prompts by reason.
 * @example
 * ```ts
 * import { hybridPairsFromSources } from "@wpo/pipeline";
 * const r = hybridPairsFromSources([
 *   { prompt: "Hi", responses: [{ text: "hey", score: 1, source: "on_policy", ids: [5], stop: 2 }] },
 *   { prompt: "Hi", responses: [{ text: "Hello there!", score: 3, source: "gpt-4-turbo" }] },
 * ]);
 * console.assert(r.rows.length === 1 && r.rows[0]!.chosen_source === "gpt-4-turbo");
 * console.assert(r.rows[0]!.rejected_ids!.join() === "5,2" && r.summary.on_policy!.rejected === 1);
 * ```
 */
export function hybridPairsFromSources(
  groups: readonly SourcedPrompt[],
  options: HybridSourcesOptions = {},
): { rows: HybridPairRow[]; summary: SourceSummary; skipped: Record<HybridSkipReason, number> } {
  const merged = new Map<string, SourcedPrompt>();
  for (const g of groups) {
    const key = keyOf(g.prompt);
    const into = merged.get(key);
    if (into) into.responses.push(...g.responses);
    else merged.set(key, { prompt: g.prompt, responses: [...g.responses] });
  }
  const prompts = [...merged.values()];
  const summary: SourceSummary = {};
  const count = (source: string) => {
    summary[source] ??= { candidates: 0, chosen: 0, rejected: 0 };
    return summary[source];
  };
  for (const p of prompts) for (const r of p.responses) count(r.source).candidates++;
  const result = buildHybridPairs(prompts, options);
  const rows = result.pairs.map((hp) => {
    const p = prompts[hp.promptIndex]!;
    const c = p.responses[hp.chosenIndex]!;
    const r = p.responses[hp.rejectedIndex]!;
    count(c.source).chosen++;
    count(r.source).rejected++;
    const messages: ChatMessage[] =
      typeof p.prompt === "string" ? [{ role: "user", content: p.prompt }] : p.prompt;
    const lastUser = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const withStop = (x: SourcedResponse) => (x.stop === undefined ? x.ids! : [...x.ids!, x.stop]);
    const row: HybridPairRow = {
      prompt: lastUser,
      chosen: [...messages, { role: "assistant", content: c.text }],
      rejected: [...messages, { role: "assistant", content: r.text }],
      chosen_score: c.score,
      rejected_score: r.score,
      chosen_source: c.source,
      rejected_source: r.source,
    };
    if (c.ids) row.chosen_ids = withStop(c);
    if (r.ids) row.rejected_ids = withStop(r);
    return row;
  });
  return { rows, summary, skipped: result.skipped };
}
