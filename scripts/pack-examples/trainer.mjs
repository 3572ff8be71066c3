// @wpo/trainer alone (+ its peers): two WPO optimizer steps on a tiny random Llama.
import { initBackend } from "@wpo/backends";
import { buildPairFeatures } from "@wpo/data";
import { parseLlamaConfig, randomLlama } from "@wpo/llama";
import { WpoTrainer } from "@wpo/trainer";

await initBackend("wasm");
const policy = randomLlama(
  parseLlamaConfig({
    vocab_size: 16,
    hidden_size: 8,
    intermediate_size: 12,
    num_hidden_layers: 1,
    num_attention_heads: 2,
  }),
  { seed: 1 },
);
const pair = buildPairFeatures(
  { promptIds: [5], chosenIds: [6, 7], rejectedIds: [8] },
  { bosId: 1, eosId: 2 },
);
const trainer = await WpoTrainer.create(policy, {
  trainPairs: [pair, pair, pair, pair],
  padTokenId: 0,
  config: { perDeviceTrainBatchSize: 2, numTrainEpochs: 1, learningRate: 1e-2 },
});
const result = await trainer.train();
const losses = result.records.map((r) => r.loss);
if (result.steps !== 2 || losses.some((l) => !Number.isFinite(l)))
  throw new Error(`trainer: ${JSON.stringify(result.records)}`);
console.log(`trainer: ${result.steps} steps, losses ${losses.map((l) => l.toFixed(4)).join(", ")}`);
trainer.dispose();
