import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

function build(header: object, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe("safetensors", () => {
  it("round-trips F32 and I32 bit-identically with sorted names and an 8-byte aligned header", () => {
    const a = new Float32Array([1.5, -0, Number.MIN_VALUE, 3.4e38, 1 / 3, -7]);
    const bytes = encodeSafetensors(
      new Map([
        ["z", { dtype: "F32", shape: [2, 3], data: a }],
        ["a", { dtype: "I32", shape: [2], data: new Int32Array([-1, 2 ** 31 - 1]) }],
      ]),
      { metadata: { format: "pt" } },
    );
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    const file = decodeSafetensors(bytes);
    expect([...file.tensors.keys()].sort()).toEqual(["a", "z"]);
    expect(file.metadata).toEqual({ format: "pt" });
    const z = file.tensors.get("z")!;
    expect(z.shape).toEqual([2, 3]);
    expect(new Uint32Array(z.data.buffer)).toEqual(new Uint32Array(a.buffer));
    expect(Array.from(file.tensors.get("a")!.data)).toEqual([-1, 2 ** 31 - 1]);
  });

  it("widens BF16 and F16 to float32", () => {
    const bytes = build(
      {
        b: { dtype: "BF16", shape: [2], data_offsets: [0, 4] },
        h: { dtype: "F16", shape: [3], data_offsets: [4, 10] },
      },
      10,
    );
    const view = new DataView(bytes.buffer, bytes.length - 10);
    view.setUint16(0, 0x3fc0, true); // bf16 1.5
    view.setUint16(2, 0xc040, true); // bf16 -3
    view.setUint16(4, 0x3c00, true); // f16 1
    view.setUint16(6, 0x0001, true); // f16 smallest subnormal 2^-24
    view.setUint16(8, 0xc500, true); // f16 -5
    const t = decodeSafetensors(bytes).tensors;
    expect(Array.from(t.get("b")!.data)).toEqual([1.5, -3]);
    expect(Array.from(t.get("h")!.data)).toEqual([1, 2 ** -24, -5]);
  });

  it("validates the header", () => {
    expect(() => decodeSafetensors(new Uint8Array(4))).toThrow(RangeError);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 10n ** 12n, true);
    expect(() => decodeSafetensors(huge, { source: "x.safetensors" })).toThrow(
      /x.safetensors: header length/,
    );
    const bad = build({}, 0);
    bad[8] = 0x7b;
    bad[9] = 0x7b;
    expect(() => decodeSafetensors(bad)).toThrow(SyntaxError);
    expect(() =>
      decodeSafetensors(build({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, 4)),
    ).toThrow(/outside/);
    expect(() =>
      decodeSafetensors(build({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, 8)),
    ).toThrow(/= 12 bytes but its offsets span 8/);
    const overlap = {
      a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
      b: { dtype: "F32", shape: [2], data_offsets: [4, 12] },
    };
    expect(() => decodeSafetensors(build(overlap, 12))).toThrow(/'b' .* overlaps/);
    const gap = { a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } };
    expect(() => decodeSafetensors(build(gap, 8))).toThrow(/gap/);
    expect(() =>
      decodeSafetensors(build({ w: { dtype: "F64", shape: [1], data_offsets: [0, 8] } }, 8)),
    ).toThrow(TypeError);
  });
});
