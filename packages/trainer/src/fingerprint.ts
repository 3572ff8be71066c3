import { createHash } from "#node-only";
import type { PairFeatures } from "@wpo/data";
import type { LlamaModel } from "@wpo/llama";

/**
 * A fingerprint of reference model + data + settings (sha256, 16 hex chars), the key of
 * the precomputed reference log-prob cache: any change to a weight, a token or a
 * setting gives a new key.
 *
 * @param model The reference model (every weight is hashed).
 * @param options The tokenised pairs and the settings that change log-probs.
 * @returns 16 hex characters.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { parseLlamaConfig, randomLlama } from "@wpo/llama";
 * await initBackend("cpu");
 * const config = parseLlamaConfig({ vocab_size: 16, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1,
 *   num_attention_heads: 2 });
 * import { buildPairFeatures } from "@wpo/data";
 * import { referenceFingerprint } from "@wpo/trainer";
 * const model = randomLlama(config, { seed: 1 });
 * const features = [buildPairFeatures({ promptIds: [5], chosenIds: [6], rejectedIds: [7] }, { bosId: 1, eosId: 2 })];
 * const a = await referenceFingerprint(model, { features });
 * const b = await referenceFingerprint(model, { features, settings: { maxLength: 64 } });
 * console.assert(a.length === 16 && a !== b && a === (await referenceFingerprint(model, { features })));
 * model.dispose();
 * ```
 */
export async function referenceFingerprint(
  model: LlamaModel,
  options: { features: readonly PairFeatures[]; settings?: Record<string, unknown> },
): Promise<string> {
  const h = createHash("sha256");
  h.update(JSON.stringify(model.config));
  for (const [name, v] of model.variables()) {
    h.update(name);
    const data = (await v.data()) as Float32Array;
    h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  for (const f of options.features) {
    h.update(Int32Array.from(f.chosenInputIds));
    h.update("|");
    h.update(Int32Array.from(f.chosenLabels));
    h.update("|");
    h.update(Int32Array.from(f.rejectedInputIds));
    h.update("|");
    h.update(Int32Array.from(f.rejectedLabels));
    h.update(";");
  }
  h.update(JSON.stringify(options.settings ?? {}));
  return h.digest("hex").slice(0, 16);
}
