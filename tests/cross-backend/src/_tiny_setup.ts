import { buildPairFeatures, type PairFeatures } from "@wpo/data";
import { type LlamaConfig, type LlamaModel, randomLlama } from "@wpo/llama";
import { integers } from "./_random.ts";

/** A tiny Llama with every feature the real ones use: GQA (4 heads, 2 KV heads), tied embeddings, SwiGLU. */
export const TINY_CONFIG: LlamaConfig = {
  vocabSize: 48,
  hiddenSize: 16,
  intermediateSize: 40,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
  headDim: 4,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  ropeScaling: null,
  tieWordEmbeddings: true,
  maxPositionEmbeddings: 64,
  bosTokenId: 1,
  eosTokenId: 2,
  initializerRange: 0.02,
} as LlamaConfig;

/** The same random weights on every backend (generated on the host from the seed). */
export function tinyModel(): LlamaModel {
  return randomLlama(TINY_CONFIG, { seed: 1234, std: 0.1 });
}

/** Six preference pairs of different lengths (so the collated batches are padded), ids in [3, V). */
export function tinyPairs(): PairFeatures[] {
  const pairs: PairFeatures[] = [];
  for (let i = 0; i < 6; i++) {
    const ids = (n: number, seed: number) =>
      Array.from(integers(n, seed, TINY_CONFIG.vocabSize - 3), (x) => x + 3);
    pairs.push(
      buildPairFeatures(
        {
          promptIds: ids(3 + (i % 3), 100 + i),
          chosenIds: ids(4 + i, 200 + i),
          rejectedIds: ids(6 - (i % 4), 300 + i),
        },
        { bosId: 1, eosId: 2, maxLength: 32, maxPromptLength: 16 },
      ),
    );
  }
  return pairs;
}
