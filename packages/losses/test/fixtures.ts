import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { expectClose } from "./loss_suite.ts";

/** Reads a JSON fixture written by tools/reference/losses_ref.py. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** What both log-prob cases hold: labels, the probe's coefficients and the expected statistics. */
export interface LogpsCase {
  labels: number[];
  coefSum: number[];
  coefMean: number[];
  sum: number[];
  mean: number[];
  count: number[];
  logitsSum: number[];
  wpoLogWeight: Record<"sampled" | "greedy" | "none", number[]>;
}

export interface LogpsFixture {
  dense: LogpsCase & { logits: number[]; shape: [number, number, number]; gradLogits: number[] };
  chunked: LogpsCase & {
    hidden: number[];
    weight: number[];
    shape: [number, number, number, number];
    gradHidden: number[];
    gradWeight: number[];
  };
}

/** The chunked case's inputs as tensors: hidden [N, T, E], lm_head weight [V, E], labels, probe coefficients. */
export function chunkedInputs(fx: LogpsFixture["chunked"]) {
  const [n, t, e, v] = fx.shape;
  return {
    hidden: tf.tensor3d(fx.hidden, [n, t, e]),
    weight: tf.tensor2d(fx.weight, [v, e]),
    labels: tf.tensor2d(fx.labels, [n, t], "int32"),
    cs: tf.tensor1d(fx.coefSum),
    cm: tf.tensor1d(fx.coefMean),
  };
}

export interface WpoFixture {
  pairWeights: { aChosen: number[]; aRejected: number[]; clamped: number[]; unclamped: number[] };
  step: {
    shape: [number, number, number];
    beta: number;
    logits: number[];
    labels: number[];
    referenceLogps: number[];
    weights: number[];
    losses: number[];
    loss: number;
    gradLogits: number[];
  };
}

/** Asserts a log-prob output's WPO log weight against the fixture's for one alignment (1e-5 relative). */
export async function expectLogWeight(
  out: { wpoLogWeight?: tf.Tensor1D },
  fx: LogpsCase,
  alignment: "sampled" | "greedy" | "none",
): Promise<void> {
  expectClose(await out.wpoLogWeight!.data(), fx.wpoLogWeight[alignment], 1e-5, `wpoLogWeight(${alignment})`);
}
