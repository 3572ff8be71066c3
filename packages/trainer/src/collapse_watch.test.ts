import { describe, expect, it } from "vitest";
import { CollapseWatch } from "./_collapse_watch.ts";

describe("CollapseWatch", () => {
  it("stops on 3 steps of zero gradient or zero logits, and not on a healthy or briefly flat run", () => {
    const healthy = { loss: 0.69, grad_norm: 0.3, "logits/chosen": -5, "logits/rejected": -4 };
    const w = new CollapseWatch();
    expect(w.check(healthy, 1, 1e-3)).toBeUndefined();
    expect(w.check({ ...healthy, grad_norm: 0 }, 2, 1e-3)).toBeUndefined();
    expect(w.check({ ...healthy, grad_norm: 0 }, 3, 1e-3)).toBeUndefined();
    expect(w.check(healthy, 4, 1e-3)).toBeUndefined();
    const flat = { loss: 0.45, grad_norm: 0, "logits/chosen": 0, "logits/rejected": 0 };
    expect(w.check(flat, 5, 1000)).toBeUndefined();
    expect(w.check(flat, 6, 1000)).toBeUndefined();
    expect(w.check(flat, 7, 1000)).toMatch(
      /^Training collapsed at step 7: the gradient norm was 0 for 3 steps .*learning rate \(1000\) is so high.*before step 4\.$/,
    );
    const logits = new CollapseWatch();
    for (const step of [1, 2]) expect(logits.check({ ...flat, grad_norm: 0.1 }, step, 1)).toBeUndefined();
    expect(logits.check({ ...flat, grad_norm: 0.1 }, 3, 1)).toMatch(/the mean logits were 0 for 3 steps/);
  });
});
