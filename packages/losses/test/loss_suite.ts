import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, test } from "vitest";
import { tidyRecord } from "../src/_tidy.ts";
import { logpStats } from "../src/logp_stats.ts";
import type { PreferenceLoss, PreferenceLossOptions } from "../src/preference_loss.ts";

interface LossCase {
  name: string;
  options: PreferenceLossOptions;
  losses: number[];
  chosenRewards: number[];
  rejectedRewards: number[];
  gradPolicyChosen: number[];
  gradPolicyRejected: number[];
}
interface LossFixture {
  inputs: Record<"pc" | "pr" | "rc" | "rr" | "nc" | "nr", number[]>;
  cases: LossCase[];
}

/** The PyTorch fixture written by tools/reference/losses_ref.py. */
export const LOSS_FIXTURE: LossFixture = JSON.parse(
  readFileSync(new URL("../fixtures/losses.json", import.meta.url), "utf8"),
);

/** Asserts |a − e| ≤ atol + rtol·|e| element-wise, naming the first mismatch. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Math.abs(a - e) <= 1e-6 + rtol * Math.abs(e);
    if (!ok) expect.fail(`${what}[${i}]: got ${a}, expected ${e} (rtol ${rtol})`);
  }
}

/** Value, rewards and d(mean loss)/d(policy sums) of a loss on given sums and counts. */
export async function evaluate(
  loss: PreferenceLoss,
  x: LossFixture["inputs"],
  options?: PreferenceLossOptions,
): Promise<{
  losses: Float32Array;
  chosen: Float32Array;
  rejected: Float32Array;
  gc: Float32Array;
  gr: Float32Array;
}> {
  const t = (v: number[]) => tf.tensor1d(v, "float32");
  const [pc, pr, rc, rr, nc, nr] = [t(x.pc), t(x.pr), t(x.rc), t(x.rr), t(x.nc), t(x.nr)];
  const referenceChosen = logpStats(rc, nc);
  const referenceRejected = logpStats(rr, nr);
  const run = (c: tf.Tensor1D, r: tf.Tensor1D) =>
    loss.compute(
      {
        policyChosen: logpStats(c, nc),
        policyRejected: logpStats(r, nr),
        referenceChosen,
        referenceRejected,
      },
      options,
    );
  const out = tidyRecord(() => run(pc, pr));
  // + 0·Σr: tf.grads needs a path to every input (sft ignores the rejected side)
  const objective = (c: tf.Tensor, r: tf.Tensor) =>
    tf.add(tf.mean(run(c as tf.Tensor1D, r as tf.Tensor1D).losses), tf.mul(tf.sum(r), 0)) as tf.Scalar;
  const grads = tf.grads(objective)([pc, pr]);
  const result = {
    losses: (await out.losses.data()) as Float32Array,
    chosen: (await out.chosenRewards.data()) as Float32Array,
    rejected: (await out.rejectedRewards.data()) as Float32Array,
    gc: (await grads[0]!.data()) as Float32Array,
    gr: (await grads[1]!.data()) as Float32Array,
  };
  tf.dispose([pc, pr, rc, rr, nc, nr, ...Object.values(out), ...grads]);
  tf.dispose([...Object.values(referenceChosen), ...Object.values(referenceRejected)]);
  return result;
}

/** Options of {@linkcode lossSuite}. */
export interface LossSuiteOptions {
  /** The loss when policy == reference and chosen == rejected, with defaults, given the chosen NLL. */
  tieValue: (nll: number) => number;
  /** Check the margin invariant at βz = this value instead of at the tie (DiscoPOP is not monotone at 0). */
  marginBetaZ?: number;
}

/** The shared test suite of a registered loss: PyTorch parity, known tie value, margin invariant, memory. */
export function lossSuite(loss: PreferenceLoss, suite: LossSuiteOptions): void {
  describe(`loss '${loss.name}'`, () => {
    beforeAll(async () => {
      await initBackend("cpu");
    });
    const cases = LOSS_FIXTURE.cases.filter((c) => c.name === loss.name);
    test("has PyTorch fixture cases", () => expect(cases.length).toBeGreaterThan(0));
    test.each(
      cases.map((c) => [JSON.stringify(c.options), c] as const),
    )("matches PyTorch with %s", async (_, c) => {
      const got = await evaluate(loss, LOSS_FIXTURE.inputs, c.options);
      expectClose(got.losses, c.losses, 1e-6, "losses");
      expectClose(got.chosen, c.chosenRewards, 1e-6, "chosenRewards");
      expectClose(got.rejected, c.rejectedRewards, 1e-6, "rejectedRewards");
      expectClose(got.gc, c.gradPolicyChosen, 1e-6, "d loss / d policyChosen");
      expectClose(got.gr, c.gradPolicyRejected, 1e-6, "d loss / d policyRejected");
    });
    const side = [-12, -7.5, -20];
    const counts = [4, 3, 6];
    const tie = { pc: side, pr: side, rc: side, rr: side, nc: counts, nr: counts };
    const nll = 39.5 / 13;
    test("policy == reference (chosen == rejected) gives the known value", async () => {
      const got = await evaluate(loss, tie);
      expectClose(
        got.losses,
        side.map(() => suite.tieValue(nll)),
        1e-5,
        "tie losses",
      );
    });
    test("a gradient step increases the chosen-vs-rejected margin", async () => {
      const shift = suite.marginBetaZ === undefined ? 0 : suite.marginBetaZ / (loss.defaults.beta ?? 0.1);
      const point = { ...tie, pc: side.map((s) => s + shift / 2), pr: side.map((s) => s - shift / 2) };
      const got = await evaluate(loss, point);
      for (let i = 0; i < side.length; i++) expect(got.gr[i]! - got.gc[i]!).toBeGreaterThan(0);
    });
    test("leaks no tensors", async () => {
      await evaluate(loss, tie);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) await evaluate(loss, tie);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
