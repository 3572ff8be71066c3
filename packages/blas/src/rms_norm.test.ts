import { describe, expect, it } from "vitest";
import { loadBlas } from "./load_blas.ts";

const rmsnorm = loadBlas()?.native("rmsnorm");
const rmsnormGrad = loadBlas()?.native("rmsnormGrad");

const EPS = 1e-5;

function inputs(rows: number, e: number) {
  const x = Float32Array.from({ length: rows * e }, (_, i) => Math.sin(i * 0.37 + 0.5) * (1 + (i % 7)));
  const weight = Float32Array.from({ length: e }, (_, j) => 0.5 + Math.cos(j * 1.1));
  const dy = Float32Array.from({ length: rows * e }, (_, i) => Math.cos(i * 0.73) * 2);
  return { x, weight, dy };
}

/** Float64 RMSNorm forward and backward of the float32 inputs. */
function reference(x: Float32Array, w: Float32Array, dy: Float32Array, e: number) {
  const rows = x.length / e;
  const out = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(e);
  // size of the two terms of dx, which may cancel (e.g. E = 1, where dx is ~eps-small)
  const dxTerms = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let j = 0; j < e; j++) ss += x[r * e + j]! ** 2;
    const inv = 1 / Math.sqrt(ss / e + EPS);
    let dot = 0;
    for (let j = 0; j < e; j++) {
      const i = r * e + j;
      out[i] = w[j]! * x[i]! * inv;
      dot += dy[i]! * w[j]! * x[i]! * inv;
      dw[j]! += dy[i]! * x[i]! * inv;
    }
    for (let j = 0; j < e; j++) {
      const i = r * e + j;
      dx[i] = inv * (dy[i]! * w[j]! - x[i]! * inv * (dot / e));
      dxTerms[i] = inv * (Math.abs(dy[i]! * w[j]!) + Math.abs((x[i]! * inv * dot) / e));
    }
  }
  return { out, dx, dw, dxTerms };
}

/** Largest |got - want| over the largest |want| (or of `terms`, the sizes of terms that may cancel). */
function relErr(got: Float32Array, want: Float64Array, terms: Float64Array = want): number {
  let diff = 0;
  let size = 0;
  want.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(got[i]! - v));
    size = Math.max(size, Math.abs(terms[i]!));
  });
  return diff / size;
}

describe.skipIf(!rmsnorm || !rmsnormGrad)("native rmsnorm / rmsnormGrad", () => {
  it.each([
    [1, 1],
    [3, 37], // E not a multiple of the vector width
    [256, 384], // above the threading threshold (the bench's row length)
  ])("match float64 for %i rows of %i", (rows, e) => {
    const { x, weight, dy } = inputs(rows, e);
    const want = reference(x, weight, dy, e);
    const out = new Float32Array(x.length);
    rmsnorm!(x, weight, out, EPS);
    // elementwise too: out has no cancellation
    let worst = 0;
    out.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - want.out[i]!) / Math.max(1e-30, Math.abs(want.out[i]!)));
    });
    expect(worst).toBeLessThan(1e-6);
    const dx = new Float32Array(x.length);
    const dw = new Float32Array(e);
    rmsnormGrad!(dy, x, weight, dx, dw, EPS);
    expect(relErr(dx, want.dx, want.dxTerms)).toBeLessThan(1e-6);
    expect(relErr(dw, want.dw)).toBeLessThan(1e-6);
  });

  it("is deterministic and writes in place (out = x, dx = dy)", () => {
    const { x, weight, dy } = inputs(256, 384);
    const out = new Float32Array(x.length);
    const dx = new Float32Array(x.length);
    const dw = new Float32Array(384);
    rmsnorm!(x, weight, out, EPS);
    rmsnormGrad!(dy, x, weight, dx, dw, EPS);
    const dw2 = new Float32Array(384);
    const dyCopy = dy.slice();
    rmsnormGrad!(dyCopy, x, weight, dyCopy, dw2, EPS);
    expect(dyCopy).toEqual(dx);
    expect(dw2).toEqual(dw);
    const xCopy = x.slice();
    rmsnorm!(xCopy, weight, xCopy, EPS);
    expect(xCopy).toEqual(out);
  });

  it("rejects wrong arrays, sizes and eps with TypeError / RangeError", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => rmsnorm!(f(8), new Float64Array(4) as never, f(8), EPS)).toThrow(TypeError);
    expect(() => rmsnorm!(f(8), f(4), f(8), "1e-5" as never)).toThrow(/eps must be a number/);
    expect(() => rmsnorm!(f(8), f(3), f(8), EPS)).toThrow(RangeError); // 8 is not a multiple of 3
    expect(() => rmsnorm!(f(8), f(4), f(4), EPS)).toThrow(RangeError);
    expect(() => rmsnorm!(f(8), f(0), f(8), EPS)).toThrow(RangeError);
    expect(() => rmsnorm!(f(8), f(4), f(8), -1)).toThrow(/eps must be finite and >= 0/);
    expect(() => rmsnormGrad!(f(8), f(8), f(4), f(8), f(4), Number.NaN)).toThrow(RangeError);
    expect(() => rmsnormGrad!(f(8), f(8), f(4), f(8), [0, 0, 0, 0] as never, EPS)).toThrow(TypeError);
    expect(() => rmsnormGrad!(f(8), f(8), f(4), f(8), f(3), EPS)).toThrow(RangeError);
    expect(() => rmsnormGrad!(f(4), f(8), f(4), f(8), f(4), EPS)).toThrow(RangeError);
  });
});
