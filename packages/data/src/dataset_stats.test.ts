import { describe, expect, it } from "vitest";
import { fixturePath } from "../test/fixtures.ts";
import { toyTokenizer } from "../test/toy_tokenizer.ts";
import { buildPairFeatures } from "./build_pair_features.ts";
import { datasetStats } from "./dataset_stats.ts";
import { readPreferenceDataset } from "./read_preference_dataset.ts";
import { tokenizePreferenceRow } from "./tokenize_preference_row.ts";

describe("datasetStats", () => {
  it("counts pairs, skips, truncation and length bins", () => {
    const options = { bosId: 1, eosId: 2, maxLength: 10, maxPromptLength: 4 };
    const features = [
      buildPairFeatures({ promptIds: [5], chosenIds: [6], rejectedIds: [7] }, options),
      buildPairFeatures({ promptIds: [5, 5, 5, 5, 5, 5, 5], chosenIds: [6, 6], rejectedIds: [7] }, options),
      buildPairFeatures({ promptIds: [5], chosenIds: new Array(20).fill(6), rejectedIds: [7] }, options),
    ];
    const stats = datasetStats(features, {
      binWidth: 4,
      skipped: { "all-equal-scores": 1 },
      readReport: { file: "f", format: "jsonl", rowsRead: 6, rowsKept: 4, rowsSkipped: 2, skipped: [] },
    });
    expect(stats).toMatchObject({ rows: 6, pairsKept: 3, pairsSkipped: 3 });
    expect(stats.skippedReasons).toEqual({ "all-equal-scores": 1, "bad-row": 2 });
    expect(stats.truncation).toEqual({ prompts: 1, responses: 1, any: 2 });
    expect(stats.lengths.prompt).toMatchObject({ min: 2, max: 4, p50: 2, bins: [2, 1] });
    expect(stats.lengths.chosen).toMatchObject({ min: 2, max: 6, mean: 11 / 3 });
    expect(stats.untruncatedLengths.chosen.max).toBe(21);
    expect(stats.lengths.chosenSequence.max).toBeLessThanOrEqual(10);
    expect(() => datasetStats(features, { binWidth: 0 })).toThrow(RangeError);
  });

  it("summarises a real sample", async () => {
    const { rows, report } = await readPreferenceDataset(fixturePath("wpo_schema_sample.jsonl"));
    const features = rows.map((r) =>
      tokenizePreferenceRow(r, toyTokenizer(), { maxLength: 256, maxPromptLength: 128 }),
    );
    const stats = datasetStats(features, { readReport: report });
    expect(stats.rows).toBe(12);
    expect(stats.pairsKept).toBe(12);
    expect(stats.lengths.chosenSequence.max).toBeLessThanOrEqual(256);
    expect(stats.truncation.any).toBeGreaterThan(0);
  });
});
