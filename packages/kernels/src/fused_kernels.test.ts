import { describe, expect, it } from "vitest";
import { FUSED_KERNELS } from "./fused_kernels.ts";

describe("the fused-kernel contract", () => {
  it("names nine distinct Wpo* kernels", () => {
    expect(new Set(FUSED_KERNELS).size).toBe(9);
    for (const name of FUSED_KERNELS) expect(name).toMatch(/^Wpo[A-Z]/);
  });
});
