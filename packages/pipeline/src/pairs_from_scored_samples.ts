import { buildHybridPairs, buildPairFeatures, type PairFeatures } from "@wpo/data";
import type { Completion, Prompt } from "./types.ts";

/** A preference pair built from scored samples, with its features and texts. */
export interface ScoredPair {
  promptIndex: number;
  prompt: string;
  chosen: string;
  rejected: string;
  chosenScore: number;
  rejectedScore: number;
  features: PairFeatures;
}

/** A completion's ids with the stop token it ended on (the model's own end of story), if any. */
function withStop(c: Completion): number[] {
  return c.stop === undefined ? c.ids : [...c.ids, c.stop];
}

/** Options of {@linkcode pairsFromScoredSamples}. */
export interface ScoredPairOptions {
  /** Completions per prompt. */
  samples: Completion[][];
  /** Reward of each completion, per prompt. */
  rewards: number[][];
  bosId: number;
  eosId: number;
  maxLength: number;
  maxPromptLength: number;
}

/**
 * Builds one preference pair per prompt with the hybrid rules (`buildHybridPairs`:
 * chosen = highest score, ties to the shortest; rejected = lowest score, ties to the
 * length closest to chosen; prompts whose samples all tie give no pair), lengths in
 * tokens, then tokenises each pair with TRL's truncation rules (a completion keeps the stop
 * token it ended on; `eosId` is appended to those that did not stop).
 *
 * @param prompts The prompts.
 * @param options Completions and rewards per prompt, BOS/EOS ids and length limits.
 * @returns The pairs and how many prompts gave none.
 * @example
 * ```ts
 * import { pairsFromScoredSamples } from "@wpo/pipeline";
 * const r = pairsFromScoredSamples([{ ids: [1, 5], text: "A." }], {
 *   samples: [[{ ids: [7], text: "happy" }, { ids: [8, 9], text: "sad" }]], rewards: [[1, -1]],
 *   bosId: 1, eosId: 2, maxLength: 16, maxPromptLength: 8 });
 * console.assert(r.pairs.length === 1 && r.pairs[0]!.chosen === "happy");
 * ```
 */
export function pairsFromScoredSamples(
  prompts: readonly Prompt[],
  options: ScoredPairOptions,
): { pairs: ScoredPair[]; skipped: number } {
  const scored = options;
  const result = buildHybridPairs(
    prompts.map((p, i) => ({
      prompt: p.text,
      responses: (scored.samples[i] ?? []).map((c, j) => ({
        text: c.text,
        ids: c.ids,
        score: scored.rewards[i]?.[j] ?? 0,
      })),
    })),
    { lengthUnit: "tokens" },
  );
  const pairs = result.pairs.map((hp) => {
    const p = prompts[hp.promptIndex]!;
    const row = scored.samples[hp.promptIndex] ?? [];
    const c = row[hp.chosenIndex]!;
    const r = row[hp.rejectedIndex]!;
    return {
      promptIndex: hp.promptIndex,
      prompt: p.text,
      chosen: c.text,
      rejected: r.text,
      chosenScore: hp.chosenScore,
      rejectedScore: hp.rejectedScore,
      features: buildPairFeatures(
        { promptIds: p.ids, chosenIds: withStop(c), rejectedIds: withStop(r) },
        options,
      ),
    };
  });
  return { pairs, skipped: result.skippedPrompts.length };
}
