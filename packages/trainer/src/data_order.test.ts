import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { epochBatches } from "./data_order.ts";

interface EpochOrder {
  size: number;
  seed: number;
  epoch: number;
  order: number[];
}

describe("epochBatches", () => {
  it("is a seeded permutation per epoch, cut into batches", () => {
    const a = epochBatches(10, { batchSize: 4, seed: 3, epoch: 0 });
    expect(a.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(a.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochBatches(10, { batchSize: 4, seed: 3, epoch: 0 })).toEqual(a);
    expect(epochBatches(10, { batchSize: 4, seed: 3, epoch: 1 })).not.toEqual(a);
    expect(epochBatches(3, { batchSize: 2, seed: 0, epoch: 0, shuffle: false })).toEqual([[0, 1], [2]]);
    expect(() => epochBatches(0, { batchSize: 1, seed: 0, epoch: 0 })).toThrow(RangeError);
  });

  it("matches the Python twin of the shuffle (tools/reference/data_ref.py), so orders never change silently", () => {
    const orders = JSON.parse(
      readFileSync(new URL("../fixtures/epoch_orders.json", import.meta.url), "utf8"),
    ) as EpochOrder[];
    for (const { size, seed, epoch, order } of orders) {
      expect(epochBatches(size, { batchSize: size, seed, epoch }).flat()).toEqual(order);
    }
  });
});
