import type { ChatMessage, PreferenceRow } from "./types.ts";

/** One scored response to a prompt. */
export interface ScoredResponse {
  /** The response text. */
  text: string;
  /** Its score (higher is better); must be finite. */
  score: number;
  /** Its token ids, used as the length when `lengthUnit` is `tokens`. */
  ids?: number[];
}

/** A prompt with several scored responses. */
export interface ScoredPrompt {
  /** The prompt: a user message string or a message list. */
  prompt: string | ChatMessage[];
  /** Candidate responses. */
  responses: ScoredResponse[];
}

/** Options of {@linkcode buildHybridPairs}. */
export interface HybridPairOptions {
  /** Length measure for the tie-breaks: `chars` (Unicode code points, default) or `tokens`. */
  lengthUnit?: "chars" | "tokens";
  /** Counts tokens of responses without `ids` when `lengthUnit` is `tokens`. */
  tokenizer?: { encode(text: string, options?: { addSpecialTokens?: boolean }): number[] };
}

/** A constructed pair. */
export interface HybridPair {
  /** Index of the prompt in the input. */
  promptIndex: number;
  /** Index of the chosen response. */
  chosenIndex: number;
  /** Index of the rejected response. */
  rejectedIndex: number;
  /** Scores of chosen and rejected. */
  chosenScore: number;
  rejectedScore: number;
  /** The pair as a WPO-schema row: message lists whose last turn is the response. */
  row: PreferenceRow;
}

/** Why a prompt gave no pair. */
export type HybridSkipReason = "all-equal-scores" | "too-few-responses";

/** Pairs and the prompts that gave none. */
export interface HybridPairsResult {
  /** One pair per usable prompt, in input order. */
  pairs: HybridPair[];
  /** Count of skipped prompts per reason. */
  skipped: Record<HybridSkipReason, number>;
  /** Each skipped prompt with its reason. */
  skippedPrompts: { promptIndex: number; reason: HybridSkipReason }[];
}

function lengthOf(r: ScoredResponse, where: string, options: HybridPairOptions): number {
  if ((options.lengthUnit ?? "chars") === "chars") return [...r.text].length;
  if (r.ids !== undefined) return r.ids.length;
  if (options.tokenizer === undefined) {
    throw new TypeError(
      `${where} has no ids and no tokenizer was given: pass { tokenizer } or ids for token lengths.`,
    );
  }
  return options.tokenizer.encode(r.text, { addSpecialTokens: false }).length;
}

/**
 * Builds one preference pair per prompt with the rules of the WPO hybrid-v2 model card: chosen = the highest
 * score (ties: the shortest, then the first); rejected = the lowest score (ties: the smallest length difference
 * from the chosen one, then the first). Prompts whose scores are all equal, or with fewer than two responses,
 * give no pair and are counted.
 *
 * @param prompts Prompts with scored responses.
 * @param options Length unit (`chars` | `tokens`) and a tokenizer for token lengths.
 * @returns The pairs and the skipped prompts with reasons.
 * @throws {TypeError} for a non-finite score, or token lengths without ids or tokenizer.
 *
 * @example
 * ```ts
 * import { buildHybridPairs } from "@wpo/data";
 * const { pairs, skipped } = buildHybridPairs([
 *   { prompt: "Hi", responses: [{ text: "Hello!", score: 9 }, { text: "Hey", score: 9 }, { text: "Go", score: 1 }] },
 *   { prompt: "Yo", responses: [{ text: "a", score: 2 }, { text: "b", score: 2 }] },
 * ]);
 * console.assert(pairs.length === 1 && pairs[0]?.chosenIndex === 1 && pairs[0]?.rejectedIndex === 2);
 * console.assert(skipped["all-equal-scores"] === 1);
 * ```
 */
export function buildHybridPairs(
  prompts: readonly ScoredPrompt[],
  options: HybridPairOptions = {},
): HybridPairsResult {
  const unit = options.lengthUnit ?? "chars";
  if (unit !== "chars" && unit !== "tokens") {
    throw new RangeError(`lengthUnit must be "chars" or "tokens", got ${JSON.stringify(unit)}.`);
  }
  const result: HybridPairsResult = {
    pairs: [],
    skipped: { "all-equal-scores": 0, "too-few-responses": 0 },
    skippedPrompts: [],
  };
  const skip = (promptIndex: number, reason: HybridSkipReason) => {
    result.skipped[reason]++;
    result.skippedPrompts.push({ promptIndex, reason });
  };
  prompts.forEach((p, promptIndex) => {
    const rs = p.responses;
    rs.forEach((r, i) => {
      if (typeof r.score !== "number" || !Number.isFinite(r.score)) {
        throw new TypeError(
          `prompts[${promptIndex}].responses[${i}].score must be a finite number, got ${r.score}.`,
        );
      }
    });
    if (rs.length < 2) {
      skip(promptIndex, "too-few-responses");
      return;
    }
    const scores = rs.map((r) => r.score);
    const best = Math.max(...scores);
    const worst = Math.min(...scores);
    if (best === worst) {
      skip(promptIndex, "all-equal-scores");
      return;
    }
    const lengths = rs.map((r, i) => lengthOf(r, `prompts[${promptIndex}].responses[${i}]`, options));
    const pick = (score: number, key: (i: number) => number) => {
      let chosen = -1;
      rs.forEach((r, i) => {
        if (r.score === score && (chosen === -1 || key(i) < key(chosen))) chosen = i;
      });
      return chosen;
    };
    const c = pick(best, (i) => lengths[i] as number);
    const r = pick(worst, (i) => Math.abs((lengths[i] as number) - (lengths[c] as number)));
    const prompt: ChatMessage[] =
      typeof p.prompt === "string" ? [{ role: "user", content: p.prompt }] : p.prompt;
    const turn = (i: number): ChatMessage[] => [...prompt, { role: "assistant", content: rs[i]?.text ?? "" }];
    result.pairs.push({
      promptIndex,
      chosenIndex: c,
      rejectedIndex: r,
      chosenScore: best,
      rejectedScore: worst,
      row: {
        prompt: typeof p.prompt === "string" ? p.prompt : undefined,
        chosen: turn(c),
        rejected: turn(r),
      },
    });
  });
  return result;
}
