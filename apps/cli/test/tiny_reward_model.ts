/** Test helper: a tiny random LlamaForSequenceClassification over stories260K's 512-token vocabulary. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors, encodeSafetensors, parseLlamaConfig, randomLlama, saveLlama } from "@wpo/llama";

/** Writes config.json + model.safetensors (body + score.weight [1, 16], pad id 0) into `dir`. Needs a backend. */
export async function writeTinyRewardModel(dir: string, seed = 7): Promise<void> {
  const config = parseLlamaConfig({
    vocab_size: 512,
    hidden_size: 16,
    intermediate_size: 32,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    tie_word_embeddings: true,
  });
  const model = randomLlama(config, { seed, std: 0.5 });
  await saveLlama(model, dir);
  model.dispose();
  const path = join(dir, "model.safetensors");
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(path)));
  const score = new Float32Array(16).map((_, i) => Math.sin(i + seed));
  tensors.set("score.weight", { dtype: "F32", shape: [1, 16], data: score });
  writeFileSync(path, encodeSafetensors(tensors));
  const json = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ ...json, architectures: ["LlamaForSequenceClassification"], pad_token_id: 0 }, null, 2),
  );
}
