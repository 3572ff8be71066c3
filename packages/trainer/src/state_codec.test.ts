import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
import { decodeState, encodeState } from "./state_codec.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

describe("state codec", () => {
  it("round-trips nested state with tensors and Maps through safetensors + JSON", async () => {
    const state = {
      step: 4,
      lr: 1e-3,
      moments: new Map([["w", { m: tf.tensor([1, 2, 3]), v: tf.tensor2d([[4, 5]]) }]]),
      counts: [tf.tensor([7], undefined, "int32")],
      note: null,
      moments1: { w: new Float32Array([0.5, 1.5]) },
    };
    const enc = await encodeState(state);
    const bytes = encodeSafetensors(enc.tensors);
    const json = JSON.parse(JSON.stringify(enc.json));
    const back = decodeState({ json, tensors: decodeSafetensors(bytes).tensors }) as typeof state;
    expect(back.step).toBe(4);
    expect(back.moments1.w).toBeInstanceOf(Float32Array);
    expect(Array.from(back.moments1.w)).toEqual([0.5, 1.5]);
    const m = back.moments.get("w")!;
    expect(Array.from(await m.m.data())).toEqual([1, 2, 3]);
    expect(m.v.shape).toEqual([1, 2]);
    expect(back.counts[0]!.dtype).toBe("int32");
    await expect(encodeState({ f: () => 1 })).rejects.toThrow(TypeError);
    expect(() => decodeState({ json: { __tensor__: "x" }, tensors: new Map() })).toThrow(
      /not in the tensor file/,
    );
  });
});
