import { describe, expect, it } from "vitest";
import { loadBlas } from "./load_blas.ts";

type Permute = (
  x: Float32Array | Int32Array,
  out: Float32Array | Int32Array,
  shape: Int32Array,
  perm: Int32Array,
) => void;
const permute = loadBlas()?.native("permute") as Permute | undefined;

/** The definition: out[idx] = x[idx permuted back], one element at a time. */
function reference(x: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const out = new Float32Array(x.length);
  const inStride = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) {
    let rest = i;
    let src = 0;
    for (let k = outShape.length - 1; k >= 0; k--) {
      src += (rest % outShape[k]!) * inStride[perm[k]!]!;
      rest = Math.floor(rest / outShape[k]!);
    }
    out[i] = x[src]!;
  }
  return out;
}

describe.skipIf(!permute)("native permute", () => {
  it.each([
    [[7], [0]],
    [
      [3, 5],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [4, 256, 6, 64],
      [0, 2, 1, 3],
    ], // attention heads split: rows stay contiguous, threaded
    [
      [4, 6, 256, 64],
      [0, 1, 3, 2],
    ], // last two axes swapped: tiled gather, threaded
    [
      [2, 17, 33, 3, 5],
      [4, 2, 0, 3, 1],
    ],
    [
      [1, 1, 40, 1],
      [3, 2, 1, 0],
    ],
    [
      [0, 3],
      [1, 0],
    ],
  ])("equals the element-by-element definition for shape %j, perm %j", (shape, perm) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 100);
    const out = new Float32Array(n);
    permute!(x, out, Int32Array.from(shape), Int32Array.from(perm));
    expect(Array.from(out)).toEqual(Array.from(reference(x, shape, perm)));
  });

  it("moves int32 values and float32 bit patterns (NaN payloads, -0) unchanged", () => {
    const ints = Int32Array.from({ length: 12 }, (_, i) => (i * 2654435761) | 0);
    const out = new Int32Array(12);
    permute!(ints, out, Int32Array.from([3, 4]), Int32Array.from([1, 0]));
    expect(Array.from(out)).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11].map((i) => ints[i]));
    const f = Float32Array.from([-0, Number.NaN, 1, 2]);
    const g = new Float32Array(4);
    permute!(f, g, Int32Array.from([2, 2]), Int32Array.from([1, 0]));
    expect(Object.is(g[0], -0)).toBe(true);
    expect(new Int32Array(g.buffer)[2]).toBe(new Int32Array(f.buffer)[1]);
  });

  it("rejects wrong arrays, ranks, permutations and sizes with TypeError / RangeError", () => {
    const f = (n: number) => new Float32Array(n);
    const i32 = (...v: number[]) => Int32Array.from(v);
    expect(() => permute!(f(4), new Float64Array(4) as never, i32(2, 2), i32(1, 0))).toThrow(TypeError);
    expect(() => permute!(f(4), f(4), [2, 2] as never, i32(1, 0))).toThrow(TypeError);
    expect(() => permute!(f(4), f(4), i32(2, 2), i32(0, 0))).toThrow(RangeError);
    expect(() => permute!(f(4), f(4), i32(2, 2), i32(0, 2))).toThrow(RangeError);
    expect(() => permute!(f(4), f(3), i32(2, 2), i32(1, 0))).toThrow(RangeError);
    expect(() => permute!(f(4), f(4), i32(2, 2), i32(1))).toThrow(RangeError);
    const same = f(4);
    expect(() => permute!(same, same, i32(2, 2), i32(1, 0))).toThrow(RangeError);
  });
});
