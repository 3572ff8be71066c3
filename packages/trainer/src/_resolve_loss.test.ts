import { describe, expect, it } from "vitest";
import { resolveLoss } from "./_resolve_loss.ts";
import { resolveTrainerConfig } from "./trainer_config.ts";

describe("resolveLoss", () => {
  it("leaves unset options to the loss: SimPO runs with its own beta 2.0", () => {
    const { loss, options } = resolveLoss(resolveTrainerConfig({ lossType: "simpo" }));
    expect(loss.name).toBe("simpo");
    expect(options).toEqual({});
    expect(loss.defaults.beta).toBe(2);
  });

  it("passes the whole options object; beta and labelSmoothing win over lossOptions", () => {
    const { options } = resolveLoss(
      resolveTrainerConfig({
        lossType: "simpo",
        beta: 2.5,
        lossOptions: { beta: 1, gammaBetaRatio: 0.5, labelSmoothing: 0.1 },
      }),
    );
    expect(options).toEqual({ beta: 2.5, gammaBetaRatio: 0.5, labelSmoothing: 0.1 });
  });

  it("builds TRL-style mixtures with weights (sigmoid + sft = RPO)", () => {
    const { loss } = resolveLoss(resolveTrainerConfig({ lossType: "sigmoid,sft", lossWeights: [1, 0.5] }));
    expect(loss.name).toBe("sigmoid+sft");
    expect(loss.summary).toContain("0.5·sft");
    expect(resolveLoss(resolveTrainerConfig({ lossType: "sigmoid, sft" })).loss.summary).toContain("1·sft");
  });

  it("rejects options the loss does not have, unknown losses and mismatched weights", () => {
    expect(() => resolveLoss(resolveTrainerConfig({ lossOptions: { gammaBetaRatio: 0.5 } }))).toThrow(
      /Loss 'sigmoid' has no option 'gammaBetaRatio': its options are beta, labelSmoothing/,
    );
    expect(() => resolveLoss(resolveTrainerConfig({ lossType: "sigmoid,nope" }))).toThrow(/'nope'/);
    expect(() => resolveLoss(resolveTrainerConfig({ lossType: "sigmoid,sft", lossWeights: [1] }))).toThrow(
      /1 weights for 2 loss/,
    );
  });
});
