import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, test } from "vitest";
import { type LogpsFixture, readFixture } from "./_test_fixtures.ts";
import { evaluate, expectClose, LOSS_FIXTURE } from "./losses/_test_helpers.ts";
import { getLoss } from "./registry.ts";
import { sequenceLogps } from "./sequence_logps.ts";

// The cpu backend is the exactness baseline of the other tests; the same PyTorch fixtures on wasm.
beforeAll(async () => {
  await initBackend("wasm");
});

describe("wasm backend", () => {
  test("sequenceLogps values, WPO weights and gradient match PyTorch", async () => {
    const fx = readFixture<LogpsFixture>("logps.json").dense;
    const [n, t] = fx.shape;
    const logits = tf.tensor3d(fx.logits, fx.shape);
    const labels = tf.tensor2d(fx.labels, [n, t], "int32");
    const [cs, cm] = [tf.tensor1d(fx.coefSum), tf.tensor1d(fx.coefMean)];
    for (const alignment of ["sampled", "greedy", "none"] as const) {
      const out = sequenceLogps(logits, labels, { alignment });
      expectClose(await out.sum.data(), fx.sum, 1e-5, "sum");
      expectClose(await out.logitsSum.data(), fx.logitsSum, 1e-5, "logitsSum");
      expectClose(
        await out.wpoLogWeight!.data(),
        fx.wpoLogWeight[alignment],
        1e-5,
        `wpoLogWeight(${alignment})`,
      );
      tf.dispose(Object.values(out));
    }
    const g = tf.grad((x) => {
      const o = sequenceLogps(x as tf.Tensor3D, labels);
      return tf.add(tf.sum(tf.mul(cs, o.sum)), tf.sum(tf.mul(cm, o.mean))) as tf.Scalar;
    })(logits);
    expectClose(await g.data(), fx.gradLogits, 1e-4, "d J / d logits");
    tf.dispose([logits, labels, cs, cm, g]);
  });

  test("every loss fixture case matches PyTorch (values, rewards, gradients)", async () => {
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
