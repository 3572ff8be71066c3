import { describe, expect, it } from "vitest";
import { type SplitBehavior, splitByRegex } from "./_split.ts";

const split = (text: string, behavior: SplitBehavior, invert = false) => {
  const out: string[] = [];
  splitByRegex(text, /-/g, behavior, invert, out);
  return out;
};

describe("splitByRegex", () => {
  // Examples from the reference's documentation of SplitDelimiterBehavior, delimiter "-".
  it("implements every behaviour", () => {
    const text = "the-final--countdown";
    expect(split(text, "Removed")).toEqual(["the", "final", "countdown"]);
    expect(split(text, "Isolated")).toEqual(["the", "-", "final", "-", "-", "countdown"]);
    expect(split(text, "MergedWithPrevious")).toEqual(["the-", "final-", "-", "countdown"]);
    expect(split(text, "MergedWithNext")).toEqual(["the", "-final", "-", "-countdown"]);
    expect(split(text, "Contiguous")).toEqual(["the", "-", "final", "--", "countdown"]);
  });

  it("inverts", () => {
    expect(split("a-b", "Removed", true)).toEqual(["-"]);
  });
});
