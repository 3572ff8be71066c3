import { listLosses } from "@wpo/losses";
import { describe, expect, it } from "vitest";
import { formatLossList, lossFlags } from "./loss_flags.ts";
import { runCli } from "./main.ts";
import { resolveTrainOptions } from "./train_options.ts";
import { trainerConfigFromOptions } from "./trainer_config_from_options.ts";

describe("loss flags of wpo train", () => {
  it("--loss_options JSON (snake_case or camelCase) plus --beta / --label_smoothing make one options object", () => {
    const o = resolveTrainOptions({
      data: "x.jsonl",
      loss_type: "simpo",
      loss_options: '{"gamma_beta_ratio":0.5,"labelSmoothing":0.2,"beta":1}',
      beta: 2.5,
    });
    const config = trainerConfigFromOptions(o);
    expect(config.lossType).toBe("simpo");
    expect(config.lossOptions).toEqual({ gammaBetaRatio: 0.5, labelSmoothing: 0.2, beta: 2.5 });
    expect(config.lossWeights).toBeUndefined();
    expect(trainerConfigFromOptions(resolveTrainOptions({ data: "x.jsonl" })).lossOptions).toEqual({});
  });

  it("--loss_type sigmoid,sft --loss_weights 1,1 is a mixture (RPO)", () => {
    const f = lossFlags({ loss_type: "sigmoid,sft", loss_weights: "1,1" });
    expect(f.lossWeights).toEqual([1, 1]);
    expect(f.loss.name).toBe("sigmoid+sft");
    expect(lossFlags({ loss_type: "sigmoid,sft" }).loss.summary).toContain("1·sigmoid + 1·sft");
  });

  it("says what is wrong", () => {
    expect(() => lossFlags({ loss_type: "sigmoid", loss_options: "{gamma" })).toThrow(
      /--loss_options is not JSON/,
    );
    expect(() => lossFlags({ loss_type: "sigmoid", loss_options: "[1]" })).toThrow(/must be a JSON object/);
    expect(() => lossFlags({ loss_type: "sigmoid", loss_options: '{"beta":"x"}' })).toThrow(
      /'beta' must be a number/,
    );
    expect(() => lossFlags({ loss_type: "sigmoid", loss_options: '{"gamma_beta_ratio":1}' })).toThrow(
      /--loss_options: Loss 'sigmoid' has no option 'gammaBetaRatio'/,
    );
    expect(() => lossFlags({ loss_type: "sigmoid,sft", loss_weights: "1" })).toThrow(
      /1 weights for the 2 losses/,
    );
    expect(() => lossFlags({ loss_type: "sigmoid", loss_weights: "a" })).toThrow(/expects numbers/);
    expect(() => lossFlags({ loss_type: "nope" })).toThrow(/Unknown preference loss 'nope'/);
  });

  it("wpo train --list-losses prints every registered loss with its options and defaults", async () => {
    const lines: string[] = [];
    const code = await runCli(["train", "--list-losses"], { out: (l) => lines.push(l), err: process.stderr });
    expect(code).toBe(0);
    expect(lines).toEqual(formatLossList());
    const text = lines.join("\n");
    for (const name of listLosses()) expect(text).toContain(`\n${name}: `);
    expect(text).toMatch(
      /simpo: .*\n {4}beta = 2 .*\n {4}gamma_beta_ratio = 0.25 .*\n {4}label_smoothing = 0 /,
    );
    expect(text).toContain("discopop_tau = 0.05");
    expect(text).toContain("nll_weight = 1");
  });
});
