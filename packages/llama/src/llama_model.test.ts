import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, maxErrVsScale, readFixture } from "./_test_fixtures.ts";
import { loadLlama } from "./load_llama.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

for (const variant of ["gqa_untied", "tied_llama3"]) {
  describe(`parity with PyTorch: ${variant}`, () => {
    it("matches logits, hidden states and every weight gradient", async () => {
      const model = await loadLlama(`${FIXTURES}/${variant}`);
      const exp = readFixture(`${variant}/expected.safetensors`);
      const ids = exp.get("input_ids")!;
      const mask = exp.get("attention_mask")!;
      const [b, t] = ids.shape as [number, number];
      const idsT = tf.tensor2d(ids.data, [b, t], "int32");
      const maskT = tf.tensor2d(mask.data, [b, t], "int32");
      const probe = exp.get("probe")!;
      const probeT = tf.tensor(probe.data, probe.shape);

      const logits = model.forward(idsT, { attentionMask: maskT });
      // max |error| relative to the largest |logit| (float32 noise is ~1e-7 of it)
      expect(maxErrVsScale(await logits.data(), exp.get("logits")!.data)).toBeLessThan(1e-5);
      const hidden = model.hiddenStates(idsT, { attentionMask: maskT });
      expect(maxErrVsScale(await hidden.data(), exp.get("hidden")!.data)).toBeLessThan(1e-5);

      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(probeT, model.forward(idsT, { attentionMask: maskT }))) as tf.Scalar,
      );
      let checked = 0;
      for (const [name, v] of model.variables()) {
        const want = exp.get(`grad.${name}`);
        expect(want, name).toBeDefined();
        const got = await grads[v.name]!.data();
        const err = maxErrVsScale(got, want!.data);
        expect(err, name).toBeLessThan(1e-4);
        checked++;
      }
      expect(checked).toBe(model.variables().size);
      tf.dispose([logits, hidden, value, idsT, maskT, probeT, ...Object.values(grads)]);
      model.dispose();
    });
  });
}
