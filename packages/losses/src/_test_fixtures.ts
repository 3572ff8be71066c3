import { readFileSync } from "node:fs";

/** Reads a JSON fixture written by tools/reference/losses_ref.py. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8")) as T;
}

export interface LogpsFixture {
  dense: {
    logits: number[];
    shape: [number, number, number];
    labels: number[];
    coefSum: number[];
    coefMean: number[];
    sum: number[];
    mean: number[];
    count: number[];
    logitsSum: number[];
    wpoLogWeight: Record<"sampled" | "greedy" | "none", number[]>;
    gradLogits: number[];
  };
  chunked: {
    hidden: number[];
    weight: number[];
    shape: [number, number, number, number];
    labels: number[];
    coefSum: number[];
    coefMean: number[];
    sum: number[];
    mean: number[];
    count: number[];
    logitsSum: number[];
    wpoLogWeight: Record<"sampled" | "greedy" | "none", number[]>;
    gradHidden: number[];
    gradWeight: number[];
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
