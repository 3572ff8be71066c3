import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import { FIXTURES, maxErrVsScale, readFixture } from "./fixtures.ts";
import type { ForwardOptions } from "../src/llama_model.ts";
import { loadLlama } from "../src/load_llama.ts";

/**
 * Loads fixtures/<variant> and checks logits, hidden states (1e-5) and every gradient (1e-4) against PyTorch,
 * with the given forward options (attention blocks, gradient checkpointing) besides the mask.
 */
export async function checkParity(
  variant: string,
  options: ForwardOptions = {},
): Promise<{ logits: number; hidden: number; grad: number }> {
  const model = await loadLlama(`${FIXTURES}/${variant}`);
  const exp = readFixture(`${variant}/expected.safetensors`);
  const ids = exp.get("input_ids")!;
  const mask = exp.get("attention_mask")!;
  const [b, t] = ids.shape as [number, number];
  const idsT = tf.tensor2d(ids.data, [b, t], "int32");
  const maskT = tf.tensor2d(mask.data, [b, t], "int32");
  const probe = exp.get("probe")!;
  const probeT = tf.tensor(probe.data, probe.shape);

  // max |error| relative to the largest |reference value| of the tensor
  const logits = model.forward(idsT, { ...options, attentionMask: maskT });
  const logitsErr = maxErrVsScale(await logits.data(), exp.get("logits")!.data);
  expect(logitsErr).toBeLessThan(1e-5);
  const hidden = model.hiddenStates(idsT, { ...options, attentionMask: maskT });
  const hiddenErr = maxErrVsScale(await hidden.data(), exp.get("hidden")!.data);
  expect(hiddenErr).toBeLessThan(1e-5);

  const { value, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(probeT, model.forward(idsT, { ...options, attentionMask: maskT }))) as tf.Scalar,
  );
  let gradErr = 0;
  let checked = 0;
  for (const [name, v] of model.variables()) {
    const want = exp.get(`grad.${name}`);
    expect(want, name).toBeDefined();
    const err = maxErrVsScale(await grads[v.name]!.data(), want!.data);
    expect(err, name).toBeLessThan(1e-4);
    gradErr = Math.max(gradErr, err);
    checked++;
  }
  expect(checked).toBe(model.variables().size);
  tf.dispose([logits, hidden, value, idsT, maskT, probeT, ...Object.values(grads)]);
  model.dispose();
  return { logits: logitsErr, hidden: hiddenErr, grad: gradErr };
}
