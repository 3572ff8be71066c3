import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, expect, test } from "vitest";
import { logpStats } from "../logp_stats.ts";
import { bcoPairLoss } from "./bco_pair.ts";
import { runningBcoPairLoss } from "./bco_pair_running.ts";
import { expectClose, LOSS_FIXTURE } from "../../test/loss_suite.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

test("δ is the running mean of batch mean rewards, as TRL's RunningMoments with one value per batch", async () => {
  const x = LOSS_FIXTURE.inputs;
  const beta = 0.5;
  const batch = (lo: number, hi: number) => {
    const s = (k: keyof typeof x) => x[k].slice(lo, hi);
    return {
      policyChosen: logpStats(s("pc"), s("nc")),
      policyRejected: logpStats(s("pr"), s("nr")),
      referenceChosen: logpStats(s("rc"), s("nc")),
      referenceRejected: logpStats(s("rr"), s("nr")),
    };
  };
  const meanReward = (lo: number, hi: number) => {
    let total = 0;
    for (let i = lo; i < hi; i++) total += beta * (x.pc[i]! - x.rc[i]! + x.pr[i]! - x.rr[i]!);
    return total / (2 * (hi - lo));
  };
  const loss = runningBcoPairLoss();
  const deltas = [meanReward(0, 3), (meanReward(0, 3) + meanReward(3, 6)) / 2, 0];
  deltas[2] = deltas[1]! + (meanReward(0, 6) - deltas[1]!) / 3;
  const ranges: [number, number][] = [
    [0, 3],
    [3, 6],
    [0, 6],
  ];
  const before = tf.memory().numTensors;
  for (const [k, [lo, hi]] of ranges.entries()) {
    const inputs = batch(lo, hi);
    const got = tf.tidy(() => loss.compute(inputs, { beta }).losses);
    const want = tf.tidy(() => bcoPairLoss.compute(inputs, { beta, bcoDelta: deltas[k]! }).losses);
    expectClose(await got.data(), await want.data(), 1e-5, `losses of batch ${k + 1}`);
    expectClose(await loss.delta!.data(), [deltas[k]!], 1e-5, `delta after batch ${k + 1}`);
    tf.dispose([got, want, ...Object.values(inputs).flatMap((s) => Object.values(s))]);
  }
  expect(loss.updates).toBe(3);
  expect(tf.memory().numTensors).toBe(before + 1); // only δ is kept
  loss.reset();
  expect(loss.delta).toBeUndefined();
  expect(tf.memory().numTensors).toBe(before);
});
