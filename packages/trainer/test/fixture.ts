import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PairFeatures } from "@wpo/data";
import { decodeSafetensors } from "../src/safetensors.ts";

/** The multi-step parity fixture folder. */
export const WPO_STEPS = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "wpo_steps");

/** Reads the fixture's micro-batches back into pair features (file order). */
export function fixturePairs(): PairFeatures[] {
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(join(WPO_STEPS, "batches.safetensors"))));
  const pairs: PairFeatures[] = [];
  for (let k = 0; tensors.has(`mb${k}.input_ids`); k++) {
    const ids = tensors.get(`mb${k}.input_ids`)!;
    const mask = tensors.get(`mb${k}.attention_mask`)!.data;
    const labels = tensors.get(`mb${k}.labels`)!.data;
    const [rows, t] = ids.shape as [number, number];
    const b = rows / 2;
    const row = (r: number) => {
      const len = Array.from(mask.slice(r * t, (r + 1) * t)).reduce((a, x) => a + x, 0);
      return {
        ids: Array.from(ids.data.slice(r * t, r * t + len)),
        labels: Array.from(labels.slice(r * t, r * t + len)),
      };
    };
    for (let i = 0; i < b; i++) {
      const c = row(i);
      const r = row(b + i);
      const promptLen = c.labels.findIndex((x) => x !== -100);
      pairs.push({
        promptInputIds: c.ids.slice(0, promptLen),
        chosenInputIds: c.ids,
        chosenAttentionMask: c.ids.map(() => 1),
        chosenLabels: c.labels,
        rejectedInputIds: r.ids,
        rejectedAttentionMask: r.ids.map(() => 1),
        rejectedLabels: r.labels,
        promptTruncated: false,
        responsesTruncated: false,
        untruncatedLengths: {
          prompt: promptLen,
          chosen: c.ids.length - promptLen,
          rejected: r.ids.length - promptLen,
        },
      });
    }
  }
  return pairs;
}

/** The fixture's expected per-step records and settings. */
export function fixtureExpected(): {
  settings: Record<string, number | string>;
  steps: Record<string, number>[];
} {
  return JSON.parse(readFileSync(join(WPO_STEPS, "expected.json"), "utf8"));
}

/** Expected weights after each step: `step<s>.<name>`. */
export function fixtureWeights() {
  return decodeSafetensors(new Uint8Array(readFileSync(join(WPO_STEPS, "expected_weights.safetensors"))))
    .tensors;
}
