import { createHash } from "node:crypto";
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
 * import { referenceFingerprint } from "@wpo/trainer";
 * console.assert(typeof referenceFingerprint === "function");
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
