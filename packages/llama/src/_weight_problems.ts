import * as tf from "@tensorflow/tfjs-core";
import type { WeightSource } from "./llama_model.ts";

function checkShape(name: string, expected: number[], got: readonly number[]): string | undefined {
  if (expected.length === got.length && expected.every((v, i) => v === got[i])) return undefined;
  return `'${name}': expected shape [${expected.join(", ")}], got [${got.join(", ")}]`;
}

/**
 * What is wrong with a set of named weights against the shapes they must have: missing, mis-shaped,
 * values that do not fill their shape, and unexpected names. Empty when they fit.
 */
export function weightProblems(
  shapes: ReadonlyMap<string, number[]>,
  weights: ReadonlyMap<string, WeightSource>,
): string[] {
  const problems: string[] = [];
  for (const [name, shape] of shapes) {
    const t = weights.get(name);
    if (t === undefined) problems.push(`missing '${name}' (shape [${shape.join(", ")}])`);
    else {
      const bad = checkShape(name, shape, t.shape);
      if (bad) problems.push(bad);
      else if (!(t instanceof tf.Tensor) && t.data.length !== t.shape.reduce((a, b) => a * b, 1)) {
        problems.push(`'${name}': ${t.data.length} values do not fill shape [${t.shape.join(", ")}]`);
      }
    }
  }
  for (const name of weights.keys()) if (!shapes.has(name)) problems.push(`unexpected '${name}'`);
  return problems;
}
