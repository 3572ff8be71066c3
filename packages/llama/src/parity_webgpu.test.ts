import { initBackend, shutdownBackend } from "@wpo/backends";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkParity } from "../test/parity.ts";
import { generate } from "./generate.ts";
import { loadLlama } from "./load_llama.ts";
import { FIXTURES } from "../test/fixtures.ts";

let unavailable = "";
beforeAll(async () => {
  try {
    await initBackend("webgpu");
  } catch (error) {
    unavailable = (error as Error).message;
  }
});
afterAll(() => shutdownBackend());

for (const variant of ["gqa_untied", "tied_llama3"]) {
  it(`webgpu backend matches PyTorch: ${variant}`, async (ctx) => {
    if (unavailable) ctx.skip(`no WebGPU here: ${unavailable}`);
    const err = await checkParity(variant);
    console.log(`webgpu ${variant}: max error / scale`, err);
    expect(err.grad).toBeLessThan(1e-4);
  });
}

it("webgpu generation runs with async reads only", async (ctx) => {
  if (unavailable) ctx.skip(`no WebGPU here: ${unavailable}`);
  const model = await loadLlama(`${FIXTURES}/gqa_untied`);
  const out = await generate(model, [[1, 5], [1]], { maxNewTokens: 3, temperature: 1, seed: 2 });
  expect(out.map((o) => o.length)).toEqual([3, 3]);
  model.dispose();
});
