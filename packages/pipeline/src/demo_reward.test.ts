import { describe, expect, it } from "vitest";
import { demoReward, HAPPY_WORDS, SAD_WORDS } from "./demo_reward.ts";

describe("demoReward", () => {
  it("counts happy minus sad whole words, case-insensitively", () => {
    expect(demoReward("Lily was HAPPY. She smiled, hugged her mom and had fun!")).toBe(4);
    expect(demoReward("Tom was sad and scared; he cried.")).toBe(-3);
    expect(demoReward("unhappy funny smiles")).toBe(1);
    expect(demoReward("")).toBe(0);
  });
  it("has disjoint lists matching the documented ones", () => {
    expect(HAPPY_WORDS).toHaveLength(18);
    expect(SAD_WORDS).toHaveLength(14);
    expect(HAPPY_WORDS.filter((w) => SAD_WORDS.includes(w))).toEqual([]);
  });
});
