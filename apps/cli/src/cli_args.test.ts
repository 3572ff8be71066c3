import { describe, expect, it } from "vitest";
import { coerceOption, formatHelp, type OptionSpec, parseCliArgs } from "./cli_args.ts";

const SPECS: Record<string, OptionSpec> = {
  beta: { kind: "number", default: 0.1, help: "beta" },
  num_train_epochs: { kind: "int", help: "epochs" },
  loss_type: { kind: ["sigmoid", "ipo"], help: "loss" },
  verbose: { kind: "bool", help: "verbose" },
  model: { kind: "string", help: "model dir" },
};

describe("parseCliArgs", () => {
  it("parses the forms and keeps positionals", () => {
    const r = parseCliArgs(
      ["dpo-vs-wpo", "--beta=0.5", "--num-train-epochs", "3", "--verbose", "--model", "m"],
      SPECS,
    );
    expect(r.values).toEqual({ beta: 0.5, num_train_epochs: 3, verbose: true, model: "m" });
    expect(r.positionals).toEqual(["dpo-vs-wpo"]);
    expect(parseCliArgs(["--verbose", "false"], SPECS).values.verbose).toBe(false);
  });
  it("gives clear errors", () => {
    expect(() => parseCliArgs(["--bta", "1"], SPECS)).toThrow(/Unknown option --bta. Did you mean --beta\?/);
    expect(() => parseCliArgs(["--beta"], SPECS)).toThrow(/needs a value/);
    expect(() => parseCliArgs(["--beta", "x"], SPECS)).toThrow(TypeError);
    expect(() => parseCliArgs(["--num_train_epochs", "1.5"], SPECS)).toThrow(/integer/);
    expect(() => parseCliArgs(["--loss_type", "foo"], SPECS)).toThrow(/not one of sigmoid, ipo/);
  });
  it("coerces config-file values and prints help", () => {
    expect(coerceOption(true, { ...SPECS.verbose!, name: "verbose" })).toBe(true);
    expect(() => coerceOption(3, { ...SPECS.model!, name: "model" })).toThrow(TypeError);
    expect(formatHelp("wpo train", SPECS)).toContain("--loss_type <sigmoid|ipo>");
  });
});
