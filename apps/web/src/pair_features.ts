import { buildPairFeatures, type PairFeatures } from "@wpo/data";
import type { Tokenizer } from "@wpo/tokenizer";
import type { TextPair } from "./demo_pairs.ts";
import { assertTokenIds } from "./validate_ids.ts";

/** Sequence limits of the page's runs (tokens): the demo's stories are short. */
export const PAGE_LIMITS = { maxLength: 128, maxPromptLength: 64 } as const;

/** Options of {@linkcode pairFeatures}. */
export interface PairFeaturesOptions {
  /** The tokenizer of the model. */
  tokenizer: Tokenizer;
  /** Longest prompt + response in tokens. */
  maxLength: number;
  /** Longest prompt in tokens. */
  maxPromptLength: number;
  /** Vocabulary size of the model (ids are checked against it on the CPU). */
  vocabSize: number;
}

/** The tokenised pairs and the pad id the trainer collates them with. */
export interface PagePairs {
  /** One feature set per text pair, in order (TRL 0.9.6 truncation). */
  features: PairFeatures[];
  /** Pad id for collation: the tokenizer's pad token, else its EOS. */
  padTokenId: number;
}

/**
 * Tokenises text pairs and truncates them as TRL 0.9.6 does, for `WpoTrainer`; every id
 * (inputs, labels, the pad id) is validated on the CPU, because WebGPU's gather does not
 * bounds-check.
 *
 * @param pairs Text pairs.
 * @param options Tokenizer, limits and the model's vocabulary size.
 * @returns The features and the pad id.
 * @throws {TypeError} when the tokenizer has no BOS or EOS token.
 * @throws {RangeError} naming the pair and position of an id outside the vocabulary.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { Tokenizer } from "@wpo/tokenizer";
 * import { PAGE_LIMITS, pairFeatures } from "./pair_features.ts";
 * const tokenizer = Tokenizer.fromLlama2c(new Uint8Array(readFileSync("../../assets/tok512.bin")));
 * const pair = { prompt: "Lily had a ball.", chosen: "She smiled.", rejected: "She cried." };
 * const { features } = pairFeatures([pair], { tokenizer, ...PAGE_LIMITS, vocabSize: 512 });
 * console.assert(features[0]!.chosenInputIds[0] === tokenizer.bosTokenId);
 * ```
 */
export function pairFeatures(pairs: TextPair[], options: PairFeaturesOptions): PagePairs {
  const { tokenizer } = options;
  const bosId = tokenizer.bosTokenId;
  const eosId = tokenizer.eosTokenId;
  if (bosId === undefined || eosId === undefined) {
    throw new TypeError("The tokenizer defines no BOS or EOS token; preference pairs need both.");
  }
  const padTokenId = tokenizer.padTokenId ?? eosId;
  const vocabSize = options.vocabSize;
  assertTokenIds([padTokenId], { vocabSize, where: "the pad token id" });
  const features = pairs.map((p, i) => {
    const f = buildPairFeatures(
      {
        promptIds: tokenizer.encode(p.prompt, { addSpecialTokens: false }),
        chosenIds: tokenizer.encode(p.chosen, { addSpecialTokens: false }),
        rejectedIds: tokenizer.encode(p.rejected, { addSpecialTokens: false }),
      },
      { bosId, eosId, maxLength: options.maxLength, maxPromptLength: options.maxPromptLength },
    );
    assertTokenIds(f.chosenInputIds, { vocabSize, where: `pair ${i} chosen ids` });
    assertTokenIds(f.rejectedInputIds, { vocabSize, where: `pair ${i} rejected ids` });
    assertTokenIds(f.chosenLabels, { vocabSize, where: `pair ${i} chosen labels`, allow: -100 });
    assertTokenIds(f.rejectedLabels, { vocabSize, where: `pair ${i} rejected labels`, allow: -100 });
    return f;
  });
  return { features, padTokenId };
}
