import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBfloat16 } from "./_half.ts";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
import { SafetensorsReader, writeSafetensorsFile } from "./safetensors_file.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wpo-stfile-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// float32 bits -> torch.tensor(x).to(torch.bfloat16) bits, from PyTorch 1.13 (round to nearest even).
const TORCH_BF16: [number, number][] = [
  [0x3f800000, 0x3f80],
  [0x3f808000, 0x3f80], // halfway, even stays
  [0x3f818000, 0x3f82], // halfway, odd rounds up
  [0x3f808008, 0x3f81],
  [0xff7843b0, 0xff78],
  [0x7f7f0906, 0x7f7f],
  [0x000116c2, 0x0001],
  [0x80000000, 0x8000],
  [0x7f800000, 0x7f80],
  [0x3dcccccd, 0x3dcd],
  [0xc02df854, 0xc02e],
  [0x477fe000, 0x4780],
  [0x3f800001, 0x3f80],
];

describe("SafetensorsReader / writeSafetensorsFile", () => {
  it("rounds float32 to bfloat16 as PyTorch does", () => {
    const f32 = new Float32Array(new Uint32Array(TORCH_BF16.map(([f]) => f)).buffer);
    const got = Array.from(toBfloat16(f32, new Uint16Array(f32.length)));
    expect(got).toEqual(TORCH_BF16.map(([, b]) => b));
    const nan = toBfloat16(new Float32Array([Number.NaN]), new Uint16Array(1))[0]!;
    expect(nan & 0x7f80).toBe(0x7f80);
    expect(nan & 0x7f).not.toBe(0);
  });

  it("writes in pieces and reads back in chunks the same bytes as the in-memory codec", async () => {
    const a = Float32Array.from({ length: 37 }, (_, i) => Math.sin(i) * 1e3);
    const ids = Int32Array.from({ length: 5 }, (_, i) => i - 2);
    const path = join(dir, "pieces.safetensors");
    await writeSafetensorsFile(
      path,
      [{ name: "a", dtype: "F32", shape: [37] }],
      function* () {
        yield a.subarray(0, 10);
        yield a.subarray(10, 11);
        yield a.subarray(11);
      },
      { metadata: { format: "pt" }, chunkBytes: 12 },
    );
    const expected = encodeSafetensors(new Map([["a", { dtype: "F32", shape: [37], data: a }]]), {
      metadata: { format: "pt" },
    });
    expect(Buffer.compare(await readFile(path), expected)).toBe(0);

    const both = join(dir, "both.safetensors");
    await writeFile(
      both,
      encodeSafetensors(
        new Map([
          ["a", { dtype: "F32", shape: [37], data: a }],
          ["ids", { dtype: "I32", shape: [5], data: ids }],
        ]),
      ),
    );
    for (const chunkBytes of [4, 7, 64, undefined]) {
      const f = await SafetensorsReader.open(both, { chunkBytes });
      expect([...f.tensors.keys()]).toEqual(["a", "ids"]);
      expect(Array.from(await f.read("a"))).toEqual(Array.from(a));
      expect(Array.from(await f.read("ids"))).toEqual([-2, -1, 0, 1, 2]);
      await f.close();
    }
  });

  it("stores BF16 rounded and widens it back chunk by chunk", async () => {
    const a = Float32Array.from({ length: 101 }, (_, i) => (i - 50) / 7);
    const path = join(dir, "bf16.safetensors");
    await writeSafetensorsFile(path, [{ name: "w", dtype: "BF16", shape: [101] }], () => [a], {
      chunkBytes: 16,
    });
    const f = await SafetensorsReader.open(path, { chunkBytes: 6 });
    const got = await f.read("w");
    await f.close();
    const want = new Float32Array(101);
    new Uint32Array(want.buffer).set(Array.from(toBfloat16(a, new Uint16Array(101)), (h) => h << 16));
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(
      Array.from(decodeSafetensors(new Uint8Array(await readFile(path))).tensors.get("w")!.data),
    ).toEqual(Array.from(want));
  });

  it("names a non-finite value, refuses pieces that do not fill a tensor, reports a missing file", async () => {
    const path = join(dir, "nan.safetensors");
    const data = new Float32Array([1, 2, Number.POSITIVE_INFINITY, 4]);
    await writeSafetensorsFile(path, [{ name: "layer.w", dtype: "BF16", shape: [2, 2] }], () => [data]);
    const f = await SafetensorsReader.open(path);
    await expect(f.read("layer.w", { finite: true })).rejects.toThrow(
      /nan\.safetensors: tensor 'layer\.w' holds a non-finite value \(Infinity at flat index 2 of shape \[2, 2\]\)/,
    );
    expect((await f.read("layer.w"))[2]).toBe(Number.POSITIVE_INFINITY);
    await expect(f.read("nope")).rejects.toThrow(/has no tensor 'nope'/);
    await f.close();
    await expect(
      writeSafetensorsFile(join(dir, "short.safetensors"), [{ name: "x", dtype: "F32", shape: [3] }], () => [
        new Float32Array(2),
      ]),
    ).rejects.toThrow(/got 2 values, shape \[3\] needs 3/);
    await expect(SafetensorsReader.open(join(dir, "absent.safetensors"))).rejects.toThrow(/Cannot read/);
  });
});
