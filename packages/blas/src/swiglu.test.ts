import { describe, expect, it } from "vitest";
import { loadBlas } from "./load_blas.ts";

const swiglu = loadBlas()?.native("swiglu");
const swigluGrad = loadBlas()?.native("swigluGrad");

function inputs(n: number) {
  const gate = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + 0.5) * (1 + (i % 9)));
  const up = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 1.3) * 1.5);
  const dy = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.73) * 2);
  return { gate, up, dy };
}

/** Float64 SwiGLU forward and backward of the float32 inputs. */
function reference(g: Float32Array, u: Float32Array, dy: Float32Array) {
  const out = new Float64Array(g.length);
  const dGate = new Float64Array(g.length);
  const dUp = new Float64Array(g.length);
  g.forEach((x, i) => {
    const s = 1 / (1 + Math.exp(-x));
    out[i] = x * s * u[i]!;
    dGate[i] = dy[i]! * u[i]! * s * (1 + x * (1 - s));
    dUp[i] = dy[i]! * x * s;
  });
  return { out, dGate, dUp };
}

/** Largest elementwise |got - want| / |want| (each value is a product, so no cancellation), 0/0 as 0. */
function worstRel(got: Float32Array, want: Float64Array): number {
  let worst = 0;
  want.forEach((v, i) => {
    const d = Math.abs(got[i]! - v);
    if (d > 0) worst = Math.max(worst, d / Math.abs(v));
  });
  return worst;
}

/** Bitwise equality of two float32 arrays (fast, unlike a deep equal over 70k elements). */
const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe.skipIf(!swiglu || !swigluGrad)("native swiglu / swigluGrad", () => {
  it.each([1, 37, 4 * 256 * 64 + 5])("match float64 for %i elements", (n) => {
    // n = 65541 is above the threading threshold and not a multiple of the vector width
    const { gate, up, dy } = inputs(n);
    const want = reference(gate, up, dy);
    const out = new Float32Array(n);
    swiglu!(gate, up, out);
    expect(worstRel(out, want.out)).toBeLessThan(1e-6);
    const dGate = new Float32Array(n);
    const dUp = new Float32Array(n);
    swigluGrad!(dy, gate, up, dGate, dUp);
    // dGate = dy·u·s·(1 + g(1 - s)): the bracket may cancel near g ≈ -1.28, so scale by its terms' size
    let worst = 0;
    gate.forEach((x, i) => {
      const s = 1 / (1 + Math.exp(-x));
      const size = Math.abs(dy[i]! * up[i]! * s) * (1 + Math.abs(x * (1 - s)));
      const d = Math.abs(dGate[i]! - want.dGate[i]!);
      if (d > 0) worst = Math.max(worst, d / size);
    });
    expect(worst).toBeLessThan(1e-6);
    expect(worstRel(dUp, want.dUp)).toBeLessThan(1e-6);
  });

  it("stays finite at large |gate| (silu(-100) = -0, silu(100) = 100)", () => {
    const gate = Float32Array.from([-100, -88, -30, 30, 88, 100, 0]);
    const up = new Float32Array(gate.length).fill(1);
    const out = new Float32Array(gate.length);
    swiglu!(gate, up, out);
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
    expect(Object.is(out[0], -0)).toBe(true);
    expect(out[5]).toBe(100);
    expect(out[6]).toBe(0);
    const dGate = new Float32Array(gate.length);
    const dUp = new Float32Array(gate.length);
    swigluGrad!(up, gate, up, dGate, dUp);
    expect(Array.from(dGate).every(Number.isFinite)).toBe(true);
    expect(Array.from(dUp)).toEqual(Array.from(out));
    expect(Math.abs(dGate[0]!)).toBe(0);
    expect(dGate[5]).toBe(1);
    expect(dGate[6]).toBe(0.5);
  });

  it("is deterministic and writes in place (out = gate, dGate = dy, dUp = up)", () => {
    const { gate, up, dy } = inputs(70000);
    const out = new Float32Array(gate.length);
    const dGate = new Float32Array(gate.length);
    const dUp = new Float32Array(gate.length);
    swiglu!(gate, up, out);
    swigluGrad!(dy, gate, up, dGate, dUp);
    const [dy2, up2, gate2] = [dy.slice(), up.slice(), gate.slice()];
    swigluGrad!(dy2, gate, up2, dy2, up2);
    expect(same(dy2, dGate)).toBe(true);
    expect(same(up2, dUp)).toBe(true);
    swiglu!(gate2, up, gate2);
    expect(same(gate2, out)).toBe(true);
  });

  it("rejects wrong arrays and lengths with TypeError / RangeError", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => swiglu!(f(4), new Float64Array(4) as never, f(4))).toThrow(TypeError);
    expect(() => (swiglu as unknown as (a: Float32Array) => void)(f(4))).toThrow(
      /swiglu expects 3 Float32Arrays/,
    );
    expect(() => swiglu!(f(4), f(3), f(4))).toThrow(RangeError);
    expect(() => swiglu!(f(4), f(4), f(5))).toThrow(/same length/);
    expect(() => swigluGrad!(f(4), f(4), f(4), f(4), [0, 0, 0, 0] as never)).toThrow(TypeError);
    expect(() => swigluGrad!(f(4), f(4), f(4), f(3), f(4))).toThrow(RangeError);
    expect(() => swigluGrad!(f(5), f(4), f(4), f(4), f(4))).toThrow(/dy, gate, up, dGate and dUp/);
  });
});
