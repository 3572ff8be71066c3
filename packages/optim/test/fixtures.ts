import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";

/** One AdamW trajectory of tools/reference/optim_ref.py. */
export interface AdamWRun {
  name: string;
  shapes: Record<string, number[]>;
  betas: [number, number];
  eps: number;
  groups: { names: string[]; weightDecay: number; lrScale?: number }[];
  maxNorm: number | null;
  initial: Record<string, number[]>;
  steps: {
    lr: number;
    grads: Record<string, number[]>;
    norm: number | null;
    params: Record<string, number[]>;
    expAvg: Record<string, number[]>;
    expAvgSq: Record<string, number[]>;
    paramSteps: Record<string, number>;
  }[];
}

/** Reads a JSON fixture of this package. */
export function readFixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), "utf8"),
  ) as T;
}

/** Gradient tensors of one fixture step (caller disposes). */
export function gradTensors(
  shapes: Record<string, number[]>,
  values: Record<string, number[]>,
): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  for (const [name, v] of Object.entries(values)) out[name] = tf.tensor(v, shapes[name], "float32");
  return out;
}

/** Asserts |got - want| <= atol + rtol * |want| elementwise, naming the tensor and index. */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  what: string,
  atol = 1e-6,
  rtol = 1e-5,
): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const g = got[i] as number;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      expect.fail(`${what}[${i}]: got ${g}, want ${w} (diff ${Math.abs(g - w)})`);
    }
  }
}
