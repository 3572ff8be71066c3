import { describe, expect, it } from "vitest";
import { hybridPairsFromSources } from "./hybrid_pairs_from_sources.ts";

describe("hybridPairsFromSources", () => {
  it("merges sources by prompt and applies the three hybrid rules", () => {
    const { rows, summary, skipped } = hybridPairsFromSources([
      {
        prompt: "Tell a story.",
        responses: [
          { text: "A long happy story.", score: 5, source: "on_policy", ids: [7, 8, 9], stop: 2 },
          { text: "Bad.", score: 1, source: "on_policy", ids: [4] },
        ],
      },
      {
        prompt: "Other",
        responses: [
          { text: "x", score: 2, source: "on_policy" },
          { text: "y", score: 2, source: "on_policy" },
        ],
      },
      // a tie on the best score goes to the shortest; a tie on the worst to the length closest to the chosen
      { prompt: "Tell a story.", responses: [{ text: "Short, 5.", score: 5, source: "gpt-4-turbo" }] },
      { prompt: "Tell a story.", responses: [{ text: "Also bad", score: 1, source: "dataset" }] },
    ]);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.chosen_source).toBe("gpt-4-turbo");
    expect(r.chosen.at(-1)!.content).toBe("Short, 5.");
    expect(r.rejected_source).toBe("dataset"); // |8 - 9| < |4 - 9|
    expect(r.chosen).toEqual([
      { role: "user", content: "Tell a story." },
      { role: "assistant", content: "Short, 5." },
    ]);
    expect(r.prompt).toBe("Tell a story.");
    expect(r.chosen_ids).toBeUndefined();
    expect(summary).toEqual({
      on_policy: { candidates: 4, chosen: 0, rejected: 0 },
      "gpt-4-turbo": { candidates: 1, chosen: 1, rejected: 0 },
      dataset: { candidates: 1, chosen: 0, rejected: 1 },
    });
    expect(skipped["all-equal-scores"]).toBe(1);
  });

  it("keeps an on-policy sample's ids with its stop token", () => {
    const { rows } = hybridPairsFromSources([
      {
        prompt: [{ role: "user", content: "Hi" }],
        responses: [
          { text: "Hello", score: 2, source: "on_policy", ids: [11], stop: 3 },
          { text: "No", score: 0, source: "on_policy", ids: [12, 13] },
        ],
      },
    ]);
    expect(rows[0]!.chosen_ids).toEqual([11, 3]);
    expect(rows[0]!.rejected_ids).toEqual([12, 13]);
  });
});
