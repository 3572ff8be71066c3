import { buildPairFeatures, collatePairs, type PairBatch, type PairFeatures } from "@wpo/data";
import type { Tokenizer } from "@wpo/tokenizer";
import type { TextPair } from "./demo_pairs.ts";
import { assertTokenIds } from "./validate_ids.ts";

/** Sequence limits of the page's runs (tokens): the demo's stories are short. */
export const PAGE_LIMITS = { maxLength: 128, maxPromptLength: 64 } as const;

/** Options of {@linkcode pairBatches}. */
export interface PairBatchOptions {
  /** Pairs per micro-batch. */
  batchPairs: number;
  /** Longest prompt + response in tokens. */
  maxLength: number;
  /** Longest prompt in tokens. */
  maxPromptLength: number;
  /** Vocabulary size of the model (ids are checked against it on the CPU). */
  vocabSize: number;
}

/**
 * Tokenises text pairs, truncates them as TRL 0.9.6 does, and collates them into
 * micro-batches (rows [chosen; rejected]); every id is validated on the CPU.
 *
 * @param pairs Text pairs, in training order.
 * @param options Tokenizer, sizes and limits.
 * @returns One collated batch per `batchPairs` pairs (the last may be smaller).
 */
export function pairBatches(pairs: TextPair[], options: PairBatchOptions & { tokenizer: Tokenizer }): PairBatch[] {
  const { tokenizer } = options;
  const bosId = tokenizer.bosTokenId;
  const eosId = tokenizer.eosTokenId;
  if (bosId === undefined || eosId === undefined) {
    throw new TypeError("The tokenizer defines no BOS or EOS token; preference pairs need both.");
  }
  const features: PairFeatures[] = pairs.map((p) =>
    buildPairFeatures(
      {
        promptIds: tokenizer.encode(p.prompt, { addSpecialTokens: false }),
        chosenIds: tokenizer.encode(p.chosen, { addSpecialTokens: false }),
        rejectedIds: tokenizer.encode(p.rejected, { addSpecialTokens: false }),
      },
      { bosId, eosId, maxLength: options.maxLength, maxPromptLength: options.maxPromptLength },
    ),
  );
  const batches: PairBatch[] = [];
  for (let i = 0; i < features.length; i += options.batchPairs) {
    const batch = collatePairs(features.slice(i, i + options.batchPairs), { padTokenId: tokenizer.padTokenId ?? eosId });
    const where = `pairs ${i}..${Math.min(i + options.batchPairs, features.length) - 1}`;
    assertTokenIds(batch.inputIds, { vocabSize: options.vocabSize, where: `${where} input ids` });
    assertTokenIds(batch.labels, { vocabSize: options.vocabSize, where: `${where} labels`, allow: -100 });
    batches.push(batch);
  }
  return batches;
}
