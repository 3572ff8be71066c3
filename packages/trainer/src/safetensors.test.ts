import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from "./safetensors.ts";

describe("safetensors", () => {
  it("round-trips float32 and int32 tensors with metadata", () => {
    const m = new Map<string, StoredTensor>([
      ["b", { dtype: "int32", shape: [3], data: new Int32Array([1, -2, 3]) }],
      ["a", { dtype: "float32", shape: [2, 2], data: new Float32Array([0.5, 1, 2, 3]) }],
    ]);
    const bytes = encodeSafetensors(m, { format: "pt" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: "pt" });
    expect([...back.tensors.get("a")!.data]).toEqual([0.5, 1, 2, 3]);
    expect(back.tensors.get("a")!.shape).toEqual([2, 2]);
    expect([...back.tensors.get("b")!.data]).toEqual([1, -2, 3]);
  });
  it("rejects bad input with clear errors", () => {
    expect(() => decodeSafetensors(new Uint8Array(3))).toThrow(/shorter than the 8-byte header length/);
    expect(() => decodeSafetensors(new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0, 1]))).toThrow(/header/);
    expect(() =>
      encodeSafetensors(new Map([["x", { dtype: "float32", shape: [3], data: new Float32Array(2) }]])),
    ).toThrow(/shape \[3\]/);
  });
});
