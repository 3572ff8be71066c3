import { describe, expect, it } from "vitest";
import { readFixture } from "./_test_fixtures.ts";
import { epochSeed, mulberry32 } from "./_rng.ts";
import { EpochIterator } from "./epoch_iterator.ts";

describe("EpochIterator", () => {
  it("covers every index once per epoch, reshuffling each epoch deterministically", () => {
    const a = new EpochIterator({ size: 23, batchSize: 5, seed: 7 });
    const b = new EpochIterator({ size: 23, batchSize: 5, seed: 7 });
    expect(a.batchesPerEpoch).toBe(5);
    const epochs: number[][] = [[], [], []];
    for (let i = 0; i < 15; i++) {
      const batch = a.next();
      expect(batch).toEqual(b.next());
      expect(batch.step).toBe(i);
      epochs[batch.epoch]!.push(...batch.indices);
    }
    for (const e of epochs)
      expect([...e].sort((x, y) => x - y)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(new EpochIterator({ size: 23, batchSize: 5, seed: 8 }).order(0)).not.toEqual(a.order(0));
  });

  it("pins the RNG so shuffles never change silently", () => {
    const r = mulberry32(42);
    expect([r(), r()].map((x) => Math.round(x * 2 ** 32))).toEqual([2581720956, 1925393290]);
    expect(epochSeed(42, 0)).toBe(epochSeed(42, 0));
    const orders =
      readFixture<{ size: number; seed: number; epoch: number; order: number[] }[]>("epoch_orders.json");
    for (const { size, seed, epoch, order } of orders) {
      expect(new EpochIterator({ size, batchSize: 1, seed }).order(epoch)).toEqual(order);
    }
  });

  it("resumes exactly where it stopped, across epoch boundaries", () => {
    const options = { size: 11, batchSize: 3, seed: 3, dropLast: true };
    const full = new EpochIterator(options);
    const reference = Array.from({ length: 10 }, () => full.next());
    for (const cut of [0, 2, 3, 7]) {
      const first = new EpochIterator(options);
      for (let i = 0; i < cut; i++) first.next();
      const saved = JSON.parse(JSON.stringify(first.state()));
      const resumed = new EpochIterator(options);
      resumed.restore(saved);
      expect(Array.from({ length: 10 - cut }, () => resumed.next())).toEqual(reference.slice(cut));
    }
    expect(reference.every((b) => b.indices.length === 3)).toBe(true);
  });

  it("keeps file order without shuffle and validates", () => {
    const it = new EpochIterator({ size: 5, batchSize: 2, shuffle: false });
    expect([it.next().indices, it.next().indices, it.next().indices, it.next().indices]).toEqual([
      [0, 1],
      [2, 3],
      [4],
      [0, 1],
    ]);
    expect(() => new EpochIterator({ size: 0, batchSize: 1 })).toThrow(RangeError);
    expect(() => new EpochIterator({ size: 2, batchSize: 3, dropLast: true })).toThrow(RangeError);
    expect(() => it.restore({ ...it.state(), seed: 1 })).toThrow(/seed/);
  });
});
