import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MetricsAccumulator, MetricsWriter, withEvalPrefix } from "./metrics_log.ts";

describe("metrics", () => {
  it("averages per name and clears on flush", () => {
    const acc = new MetricsAccumulator();
    acc.add({ loss: 1, "rewards/accuracies": 0 });
    acc.add({ loss: 2, "rewards/accuracies": 1, grad_norm: 5 });
    expect(acc.flush()).toEqual({ loss: 1.5, "rewards/accuracies": 0.5, grad_norm: 5 });
    expect(acc.flush()).toEqual({});
  });
  it("prefixes eval metrics and writes JSONL", () => {
    expect(withEvalPrefix({ loss: 1 })).toEqual({ eval_loss: 1 });
    const p = join(mkdtempSync(join(tmpdir(), "wpo-m-")), "sub", "m.jsonl");
    const w = new MetricsWriter(p);
    w.write({ step: 1, loss: 0.5 });
    w.write({ step: 2, loss: 0.25 });
    const again = new MetricsWriter(p, { append: true });
    again.write({ step: 3, loss: 0.1 });
    const lines = readFileSync(p, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([1, 2, 3]);
  });
});
