import { initBackend } from "@wpo/backends";
import { beforeAll, expect, test } from "vitest";
import { evaluate, expectClose, LOSS_FIXTURE } from "../test/loss_suite.ts";
import { mixLosses } from "./mix_losses.ts";
import { getLoss } from "./registry.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

test("RPO = sigmoid + α·sft equals the sum of the two PyTorch-checked losses, values and gradients", async () => {
  const x = LOSS_FIXTURE.inputs;
  const rpo = mixLosses([{ loss: "sigmoid" }, { loss: "sft", weight: 0.7 }]);
  expect(rpo.name).toBe("sigmoid+sft");
  const mixed = await evaluate(rpo, x, { beta: 0.5 });
  const dpo = await evaluate(getLoss("sigmoid"), x, { beta: 0.5 });
  const sft = await evaluate(getLoss("sft"), x);
  expectClose(
    mixed.losses,
    Array.from(dpo.losses, (l, i) => l + 0.7 * sft.losses[i]!),
    1e-6,
    "losses",
  );
  expectClose(
    mixed.gc,
    Array.from(dpo.gc, (g, i) => g + 0.7 * sft.gc[i]!),
    1e-6,
    "d / d policyChosen",
  );
  expectClose(mixed.chosen, dpo.chosen, 0, "rewards from the first term");
  expect(() => mixLosses([])).toThrow(RangeError);
  expect(() => mixLosses([{ loss: "nope" }])).toThrow(RangeError);
});
