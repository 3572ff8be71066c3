import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, initBackend, shutdownBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, test } from "vitest";
import { chunkedInputs, expectLogWeight, type LogpsFixture, readFixture } from "./fixtures.ts";
import { chunkedSequenceLogps } from "../src/chunked_sequence_logps.ts";
import { evaluate, expectClose, LOSS_FIXTURE } from "./loss_suite.ts";
import { getLoss } from "../src/registry.ts";
import { sequenceLogps } from "../src/sequence_logps.ts";

/** The PyTorch fixtures (log-probs dense and chunked, every loss case) on another backend; skipped if absent. */
export function backendParitySuite(backend: BackendName): void {
  let unavailable = "";
  beforeAll(async () => {
    try {
      await initBackend(backend);
    } catch (error) {
      unavailable = (error as Error).message;
    }
  });
  afterAll(() => shutdownBackend());

  describe(`${backend} backend`, () => {
    test("sequenceLogps values, WPO weights and gradient match PyTorch", async (ctx) => {
      if (unavailable) ctx.skip(`no ${backend} here: ${unavailable}`);
      const fx = readFixture<LogpsFixture>("logps.json").dense;
      const [n, t] = fx.shape;
      const logits = tf.tensor3d(fx.logits, fx.shape);
      const labels = tf.tensor2d(fx.labels, [n, t], "int32");
      const [cs, cm] = [tf.tensor1d(fx.coefSum), tf.tensor1d(fx.coefMean)];
      for (const alignment of ["sampled", "greedy", "none"] as const) {
        const out = sequenceLogps(logits, labels, { alignment });
        expectClose(await out.sum.data(), fx.sum, 1e-5, "sum");
        expectClose(await out.logitsSum.data(), fx.logitsSum, 1e-5, "logitsSum");
        await expectLogWeight(out, fx, alignment);
        tf.dispose(Object.values(out));
      }
      const g = tf.grad((x) => {
        const o = sequenceLogps(x as tf.Tensor3D, labels);
        return tf.add(tf.sum(tf.mul(cs, o.sum)), tf.sum(tf.mul(cm, o.mean))) as tf.Scalar;
      })(logits);
      expectClose(await g.data(), fx.gradLogits, 1e-4, "d J / d logits");
      tf.dispose([logits, labels, cs, cm, g]);
    });

    test("chunkedSequenceLogps (all positions and hostLabels) matches PyTorch", async (ctx) => {
      if (unavailable) ctx.skip(`no ${backend} here: ${unavailable}`);
      const fx = readFixture<LogpsFixture>("logps.json").chunked;
      const { hidden, weight, labels, cs, cm } = chunkedInputs(fx);
      for (const hostLabels of [undefined, fx.labels]) {
        const opts = { chunkSize: 4, ...(hostLabels ? { hostLabels } : {}) };
        const out = chunkedSequenceLogps(hidden, weight, labels, { ...opts, alignment: "sampled" });
        expectClose(await out.sum.data(), fx.sum, 1e-5, "sum");
        expectClose(await out.wpoLogWeight!.data(), fx.wpoLogWeight.sampled, 1e-5, "wpoLogWeight");
        const objective = (h: tf.Tensor, w: tf.Tensor) => {
          const o = chunkedSequenceLogps(h as tf.Tensor3D, w as tf.Tensor2D, labels, opts);
          return tf.add(tf.sum(tf.mul(cs, o.sum)), tf.sum(tf.mul(cm, o.mean))) as tf.Scalar;
        };
        const [gh, gw] = tf.grads(objective)([hidden, weight]);
        expectClose(await gh!.data(), fx.gradHidden, 1e-4, "d J / d hidden");
        expectClose(await gw!.data(), fx.gradWeight, 1e-4, "d J / d lmHeadWeight");
        tf.dispose([gh!, gw!, ...Object.values(out)]);
      }
      tf.dispose([hidden, weight, labels, cs, cm]);
    });

    test("every loss fixture case matches PyTorch (values, rewards, gradients)", async (ctx) => {
      if (unavailable) ctx.skip(`no ${backend} here: ${unavailable}`);
      for (const c of LOSS_FIXTURE.cases) {
        const got = await evaluate(getLoss(c.name), LOSS_FIXTURE.inputs, c.options);
        const what = `${c.name} ${JSON.stringify(c.options)}`;
        expectClose(got.losses, c.losses, 1e-5, `${what} losses`);
        expectClose(got.chosen, c.chosenRewards, 1e-5, `${what} chosenRewards`);
        expectClose(got.gc, c.gradPolicyChosen, 1e-4, `${what} d/d policyChosen`);
        expectClose(got.gr, c.gradPolicyRejected, 1e-4, `${what} d/d policyRejected`);
      }
    });
  });
}
