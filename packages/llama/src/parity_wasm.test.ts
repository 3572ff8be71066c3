import { initBackend } from "@wpo/backends";
import { beforeAll, expect, it } from "vitest";
import { checkParity } from "../test/parity.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

for (const variant of ["gqa_untied", "tied_llama3"]) {
  it(`wasm backend matches PyTorch: ${variant}`, async () => {
    const err = await checkParity(variant);
    console.log(`wasm ${variant}: max error / scale`, err);
    expect(err.grad).toBeLessThan(1e-4);
  });
  it(`wasm backend matches PyTorch with attention blocks and gradient checkpointing: ${variant}`, async () => {
    const err = await checkParity(variant, { attentionBlockSize: 3, gradientCheckpointing: true });
    console.log(`wasm ${variant} blocks+checkpointing: max error / scale`, err);
    expect(err.grad).toBeLessThan(1e-4);
  });
}
