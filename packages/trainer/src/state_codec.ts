import * as tf from "@tensorflow/tfjs-core";
import type { StoredTensor } from "./safetensors.ts";

/** A JSON-able description of a state object whose tensors are stored separately. */
export interface EncodedState {
  /** The state with every tensor replaced by `{ "__tensor__": key }` and Maps by `{ "__map__": entries }`. */
  json: unknown;
  /** The tensors by key. */
  tensors: Map<string, StoredTensor>;
}

/**
 * Splits a state object (e.g. an optimizer's `state()`) into JSON and tensors so it
 * can be written as `state.json` + `state.safetensors`. Tensors are read with
 * `await data()` (safe on WebGPU).
 *
 * @param state Plain objects, arrays, Maps, Float32/Int32Arrays, numbers, strings, booleans, null and tf tensors.
 * @returns JSON plus tensors.
 * @throws {TypeError} for values it cannot store (functions, symbols, bigints).
 * @example
 * ```ts
 * import { encodeState } from "@wpo/trainer";
 * const e = await encodeState({ step: 3, m: new Map([["a", 1]]) });
 * console.assert(e.tensors.size === 0 && JSON.stringify(e.json).includes("__map__"));
 * ```
 */
export async function encodeState(state: unknown): Promise<EncodedState> {
  const tensors = new Map<string, StoredTensor>();
  async function walk(v: unknown, path: string): Promise<unknown> {
    if (v instanceof tf.Tensor) {
      const key = `t${tensors.size}:${path}`;
      const dtype = v.dtype === "int32" ? "int32" : "float32";
      const data = dtype === "int32" ? Int32Array.from(await v.data()) : Float32Array.from(await v.data());
      tensors.set(key, { dtype, shape: [...v.shape], data });
      return { __tensor__: key };
    }
    if (v instanceof Float32Array || v instanceof Int32Array) {
      const key = `a${tensors.size}:${path}`;
      const dtype = v instanceof Int32Array ? "int32" : "float32";
      tensors.set(key, { dtype, shape: [v.length], data: v.slice() });
      return { __array__: key };
    }
    if (v instanceof Map) {
      const entries: unknown[] = [];
      for (const [k, x] of v) entries.push([k, await walk(x, `${path}.${String(k)}`)]);
      return { __map__: entries };
    }
    if (Array.isArray(v)) return Promise.all(v.map((x, i) => walk(x, `${path}[${i}]`)));
    if (v === null || ["number", "string", "boolean"].includes(typeof v)) return v;
    if (v === undefined) return null;
    if (typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        out[k] = await walk(x, `${path}.${k}`);
      return out;
    }
    throw new TypeError(`Cannot store state value of type ${typeof v} at '${path}'.`);
  }
  const json = await walk(state, "state");
  return { json, tensors };
}

/**
 * Rebuilds a state object from {@linkcode encodeState}'s output (tensors become new tf tensors, typed arrays typed arrays).
 *
 * @param encoded JSON plus tensors.
 * @returns The state.
 * @throws {TypeError} when a tensor key is missing.
 * @example
 * ```ts
 * import { decodeState } from "@wpo/trainer";
 * console.assert((decodeState({ json: { a: 1 }, tensors: new Map() }) as { a: number }).a === 1);
 * ```
 */
export function decodeState(encoded: EncodedState): unknown {
  function walk(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.__tensor__ === "string") {
        const t = encoded.tensors.get(o.__tensor__);
        if (!t)
          throw new TypeError(`State refers to tensor '${o.__tensor__}', which is not in the tensor file.`);
        return tf.tensor(t.data, t.shape, t.dtype);
      }
      if (typeof o.__array__ === "string") {
        const t = encoded.tensors.get(o.__array__);
        if (!t)
          throw new TypeError(`State refers to array '${o.__array__}', which is not in the tensor file.`);
        return t.data.slice();
      }
      if (Array.isArray(o.__map__)) {
        return new Map((o.__map__ as [unknown, unknown][]).map(([k, x]) => [k, walk(x)]));
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = walk(x);
      return out;
    }
    return v;
  }
  return walk(encoded.json);
}
