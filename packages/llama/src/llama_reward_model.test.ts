import { readFileSync } from "node:fs";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLlamaRewardModel } from "./llama_reward_model.ts";
import { decodeSafetensors } from "./safetensors.ts";

describe("LlamaRewardModel (LlamaForSequenceClassification) matches PyTorch", () => {
  beforeAll(async () => {
    await initBackend("cpu");
  });

  it("scores at the last non-pad token, right- and left-padded rows (tools/reference/reward_model_ref.py)", async () => {
    const dir = new URL("../fixtures/reward_model/", import.meta.url).pathname;
    const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(`${dir}expected.safetensors`)));
    const ids = tensors.get("input_ids")!;
    const expected = tensors.get("scores")!.data;
    const [b, t] = ids.shape as [number, number];
    const rows = Array.from({ length: b }, (_, i) => Array.from(ids.data.subarray(i * t, (i + 1) * t)));
    const rm = await loadLlamaRewardModel(dir);
    const scores = await rm.scoreIds(rows);
    const max = Math.max(...Array.from(expected, Math.abs));
    for (const [i, s] of scores.entries()) expect(Math.abs(s[0]! - expected[i]!) / max).toBeLessThan(1e-5);
    // unpadded rows give the same scores as the padded batch (row 1 without its right padding)
    const alone = await rm.scoreIds([rows[1]!.slice(0, 5)]);
    expect(Math.abs(alone[0]![0]! - expected[1]!) / max).toBeLessThan(1e-5);
    rm.dispose();
  });
});
