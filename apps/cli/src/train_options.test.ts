import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readConfigFile, resolveTrainOptions } from "./train_options.ts";

const dir = mkdtempSync(join(tmpdir(), "wpo-opt-"));

describe("train options", () => {
  it("uses demo defaults without --data and TRL defaults with it", () => {
    expect(resolveTrainOptions({}).learning_rate).toBe(3e-4);
    const o = resolveTrainOptions({ data: "x.jsonl" });
    expect(o.learning_rate).toBe(1e-6);
    expect(o.beta).toBeUndefined(); // the loss's own default (0.1 for sigmoid) applies
    expect(o.loss_type).toBe("sigmoid");
  });
  it("layers config file under the command line", () => {
    const p = join(dir, "c.yaml");
    writeFileSync(p, "data: d.jsonl\nbeta: 0.01\nlearning-rate: 1.0e-6\nuse_weighting: true\n");
    const o = resolveTrainOptions({ config: p, beta: 0.2, output: "out" });
    expect(o.beta).toBe(0.2);
    expect(o.learning_rate).toBe(1e-6);
    expect(o.output_dir).toBe("out");
    const j = join(dir, "c.json");
    writeFileSync(j, JSON.stringify({ seed: 3 }));
    expect(readConfigFile(j)).toEqual({ seed: 3 });
  });
  it("reports bad files and values with the file and key", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "betta: 1\n");
    expect(() => readConfigFile(bad)).toThrow(/bad.yaml': unknown option 'betta'/);
    writeFileSync(bad, "beta: [\n");
    expect(() => readConfigFile(bad)).toThrow(SyntaxError);
    writeFileSync(bad, "beta: high\n");
    expect(() => readConfigFile(bad)).toThrow(/expects a number/);
    expect(() => readConfigFile(join(dir, "missing.yaml"))).toThrow(/cannot be read/);
    expect(() => resolveTrainOptions({ per_device_train_batch_size: 0 })).toThrow(RangeError);
    expect(() => resolveTrainOptions({ max_length: 10, max_prompt_length: 20 })).toThrow(/must not exceed/);
  });
});
