import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Sha256 } from "./_sha256.ts";

describe("Sha256 (the browser's createHash)", () => {
  it("equals node:crypto on strings and typed arrays of every length around the block size", () => {
    expect(new Sha256().update("abc").digest("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
      const mine = new Sha256()
        .update(bytes.subarray(0, n >> 1))
        .update("|")
        .update(bytes.subarray(n >> 1));
      const node = createHash("sha256")
        .update(bytes.subarray(0, n >> 1))
        .update("|")
        .update(bytes.subarray(n >> 1));
      expect(mine.digest("hex"), `n=${n}`).toBe(node.digest("hex"));
    }
    const ints = Int32Array.from([1, -100, 70000]);
    expect(new Sha256().update(ints).digest("hex")).toBe(createHash("sha256").update(ints).digest("hex"));
  });
});
