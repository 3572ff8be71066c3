import { describe, expect, it } from "vitest";
import { SeededRng } from "./seeded_rng.ts";

describe("SeededRng", () => {
  it("is deterministic and resumable", () => {
    const a = new SeededRng(42);
    const first = [a.next(), a.next(), a.next()];
    expect(new SeededRng(42).next()).toBe(first[0]);
    const saved = a.state();
    const rest = [a.next(), a.next()];
    const b = SeededRng.fromState(saved);
    expect([b.next(), b.next()]).toEqual(rest);
  });
  it("gives floats in [0, 1) with a sane mean", () => {
    const r = new SeededRng(1);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 10000 - 0.5)).toBeLessThan(0.02);
  });
  it("rejects bad seeds and states", () => {
    expect(() => new SeededRng(Number.NaN)).toThrow(RangeError);
    expect(() => SeededRng.fromState({ s: -1 })).toThrow(TypeError);
  });
  it("jumps ahead to where the stream would be", () => {
    const a = new SeededRng(123);
    for (let i = 0; i < 1000; i++) a.next();
    expect(new SeededRng(123).jump(1000).next()).toBe(a.next());
    expect(new SeededRng(5).jump(0).state()).toEqual(new SeededRng(5).state());
    expect(() => new SeededRng(1).jump(-1)).toThrow(RangeError);
  });
});
