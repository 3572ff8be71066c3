import { resolveTruncation } from "./_resolve_truncation.ts";

/** Token ids of one preference pair before BOS/EOS insertion and truncation. */
export interface PairIds {
  /** Prompt ids (no BOS needed: it is added when missing). */
  promptIds: number[];
  /** Chosen response ids (EOS is appended when missing). */
  chosenIds: number[];
  /** Rejected response ids. */
  rejectedIds: number[];
  /**
   * The prompt as split off `tokenize(prompt + chosen)`, when a tokenizer merged a token across the seam
   * (TRL's `build_tokenized_answer`); defaults to `promptIds`.
   */
  chosenPromptIds?: number[];
  /** Same for the rejected side. */
  rejectedPromptIds?: number[];
}

/** How {@linkcode buildPairFeatures} truncates; TRL 0.9.6 `DPOConfig` names in camelCase. */
export interface TruncationOptions {
  /** Longest prompt + response. Default 512 (TRL 0.9.6's fallback). */
  maxLength?: number;
  /** Longest prompt after truncation; responses are cut to `maxLength - maxPromptLength`. Default 128. */
  maxPromptLength?: number;
  /** Which end of a too-long prompt to keep. Default `keep_end` (drops the start, BOS included). */
  truncationMode?: "keep_end" | "keep_start";
  /** Label of unscored positions. Default -100. */
  labelPadTokenId?: number;
}

/** Options of {@linkcode buildPairFeatures}. */
export interface PairFeatureOptions extends TruncationOptions {
  /** BOS id, prepended to the prompt when it does not start with it. */
  bosId: number;
  /** EOS id, appended to each response that does not end with it (Llama 3: 128001 or 128009 by revision). */
  eosId: number;
}

/** One tokenised pair, as TRL 0.9.6 `tokenize_row` returns it (camelCase), plus truncation facts. */
export interface PairFeatures {
  /** The prompt alone (for generation): BOS-prefixed, truncated like the sequences. */
  promptInputIds: number[];
  /** Prompt + chosen response. */
  chosenInputIds: number[];
  /** All ones, same length as `chosenInputIds`. */
  chosenAttentionMask: number[];
  /** `chosenInputIds` with the prompt positions set to the label pad (-100). */
  chosenLabels: number[];
  /** Prompt + rejected response. */
  rejectedInputIds: number[];
  /** All ones, same length as `rejectedInputIds`. */
  rejectedAttentionMask: number[];
  /** `rejectedInputIds` with the prompt positions set to the label pad. */
  rejectedLabels: number[];
  /** True when the prompt lost tokens. */
  promptTruncated: boolean;
  /** True when either response lost tokens. */
  responsesTruncated: boolean;
  /** Lengths before truncation (after BOS/EOS insertion): prompt, chosen response, rejected response. */
  untruncatedLengths: { prompt: number; chosen: number; rejected: number };
}

function ids(name: string, value: unknown): number[] {
  if (!Array.isArray(value))
    throw new TypeError(`${name} must be an array of token ids, got ${typeof value}.`);
  return value as number[];
}

/**
 * Builds the features of one pair from token ids with TRL 0.9.6 `tokenize_row` rules: prepend BOS to the prompt
 * if missing, append EOS to each response if missing; with L = the longer response, if prompt + L > maxLength
 * keep the last (`keep_end`) or first (`keep_start`) `maxPromptLength` prompt tokens; if still too long cut both
 * responses to `maxLength - maxPromptLength`; labels are -100 on the prompt.
 *
 * @param pair Prompt, chosen and rejected ids.
 * @param options BOS/EOS ids and truncation.
 * @returns Input ids, attention masks and labels of both sequences, and what was truncated.
 * @throws {RangeError} for invalid lengths; {TypeError} when ids are not arrays.
 *
 * @example
 * ```ts
 * import { buildPairFeatures } from "@wpo/data";
 * const f = buildPairFeatures({ promptIds: [5, 6], chosenIds: [7], rejectedIds: [8, 9] }, { bosId: 1, eosId: 2 });
 * console.assert(f.chosenInputIds.join() === "1,5,6,7,2" && f.chosenLabels.join() === "-100,-100,-100,7,2");
 * ```
 */
export function buildPairFeatures(pair: PairIds, options: PairFeatureOptions): PairFeatures {
  const { maxLength, maxPromptLength, truncationMode, labelPadTokenId } = resolveTruncation(options);
  const { bosId, eosId } = options;
  if (!Number.isInteger(bosId) || !Number.isInteger(eosId)) {
    throw new TypeError(`bosId and eosId must be integer token ids, got ${bosId} and ${eosId}.`);
  }
  const prompt = ids("promptIds", pair.promptIds);
  const withBos = (p: number[]) => (p.length === 0 || p[0] !== bosId ? [bosId, ...p] : [...p]);
  const withEos = (r: number[]) => (r.length === 0 || r[r.length - 1] !== eosId ? [...r, eosId] : [...r]);
  let chosenPrompt = withBos(ids("chosenPromptIds", pair.chosenPromptIds ?? prompt));
  let rejectedPrompt = withBos(ids("rejectedPromptIds", pair.rejectedPromptIds ?? prompt));
  let promptOnly = withBos(prompt);
  let chosen = withEos(ids("chosenIds", pair.chosenIds));
  let rejected = withEos(ids("rejectedIds", pair.rejectedIds));
  const untruncatedLengths = {
    prompt: chosenPrompt.length,
    chosen: chosen.length,
    rejected: rejected.length,
  };
  const longer = Math.max(chosen.length, rejected.length);
  const cutPrompt = (p: number[]) =>
    p.length + longer <= maxLength
      ? p
      : truncationMode === "keep_start"
        ? p.slice(0, maxPromptLength)
        : p.slice(-maxPromptLength);
  const before = chosenPrompt.length + rejectedPrompt.length;
  chosenPrompt = cutPrompt(chosenPrompt);
  rejectedPrompt = cutPrompt(rejectedPrompt);
  promptOnly = cutPrompt(promptOnly);
  const promptTruncated = chosenPrompt.length + rejectedPrompt.length < before;
  const responsesBefore = chosen.length + rejected.length;
  const responseRoom = maxLength - maxPromptLength;
  if (chosenPrompt.length + longer > maxLength) chosen = chosen.slice(0, responseRoom);
  if (rejectedPrompt.length + longer > maxLength) rejected = rejected.slice(0, responseRoom);
  const sequence = (p: number[], r: number[]) => ({
    inputIds: [...p, ...r],
    attentionMask: new Array<number>(p.length + r.length).fill(1),
    labels: [...new Array<number>(p.length).fill(labelPadTokenId), ...r],
  });
  const c = sequence(chosenPrompt, chosen);
  const r = sequence(rejectedPrompt, rejected);
  return {
    promptInputIds: promptOnly,
    chosenInputIds: c.inputIds,
    chosenAttentionMask: c.attentionMask,
    chosenLabels: c.labels,
    rejectedInputIds: r.inputIds,
    rejectedAttentionMask: r.attentionMask,
    rejectedLabels: r.labels,
    promptTruncated,
    responsesTruncated: chosen.length + rejected.length < responsesBefore,
    untruncatedLengths,
  };
}
