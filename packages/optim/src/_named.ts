import type * as tf from "@tensorflow/tfjs-core";

/** Parameters to optimise: a map or record name -> variable, or variables named by their own `name`. */
export type NamedVariables = Map<string, tf.Variable> | Record<string, tf.Variable> | readonly tf.Variable[];

/** Gradients by parameter name: a record (as `tf.variableGrads` returns) or a map. */
export type NamedGradients = tf.NamedTensorMap | Map<string, tf.Tensor>;

/** The entries of a parameter collection as [name, variable] pairs; rejects duplicates. */
export function variableEntries(params: NamedVariables, where: string): [string, tf.Variable][] {
  let entries: [string, tf.Variable][];
  if (params instanceof Map) entries = [...params.entries()];
  else if (Array.isArray(params)) entries = (params as readonly tf.Variable[]).map((v) => [v.name, v]);
  else entries = Object.entries(params as Record<string, tf.Variable>);
  const seen = new Set<string>();
  for (const [name, variable] of entries) {
    if (!variable || typeof (variable as tf.Variable).assign !== "function") {
      throw new TypeError(
        `${where}: parameter '${name}' is not a tf.Variable; pass variables (model.variables()).`,
      );
    }
    if (seen.has(name))
      throw new TypeError(`${where}: parameter name '${name}' appears twice; names must be unique.`);
    seen.add(name);
  }
  return entries;
}

/** The entries of a gradient collection as [name, tensor] pairs. */
export function gradientEntries(grads: NamedGradients): [string, tf.Tensor][] {
  return grads instanceof Map ? [...grads.entries()] : Object.entries(grads);
}

/** Looks a gradient up by the parameter's key, then by the variable's own name (the `tf.variableGrads` key). */
export function lookupGradient(
  grads: NamedGradients,
  key: string,
  variable: tf.Variable,
): tf.Tensor | undefined {
  if (grads instanceof Map) return grads.get(key) ?? grads.get(variable.name);
  return grads[key] ?? grads[variable.name];
}

/** Throws a TypeError naming the parameter when two shapes differ. */
export function assertSameShape(expected: readonly number[], got: readonly number[], what: string): void {
  if (expected.length !== got.length || expected.some((d, i) => d !== got[i])) {
    throw new TypeError(`${what}: expected shape [${expected.join(", ")}], got [${got.join(", ")}].`);
  }
}
