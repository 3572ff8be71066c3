import { histogram } from "./_histogram.ts";
import type { PairFeatures } from "./build_pair_features.ts";
import type { ReadReport } from "./stream_preference_rows.ts";

/** Distribution of token lengths. */
export interface LengthHistogram {
  /** Number of values. */
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Nearest-rank percentiles. */
  p50: number;
  p90: number;
  p99: number;
  /** Width of each bin. */
  binWidth: number;
  /** `bins[k]` counts values in `[k·binWidth, (k+1)·binWidth)`. */
  bins: number[];
}

/** Options of {@linkcode datasetStats}. */
export interface DatasetStatsOptions {
  /** The reader's report: its bad rows are counted as skipped with reason `bad-row`. */
  readReport?: ReadReport;
  /** Further skipped counts by reason, e.g. `buildHybridPairs(...).skipped`. */
  skipped?: Record<string, number>;
  /** Histogram bin width in tokens. Default 64. */
  binWidth?: number;
}

/** What a dataset looks like after tokenisation. */
export interface DatasetStats {
  /** Rows read (the reader's count when given, else pairs kept + skipped). */
  rows: number;
  /** Pairs tokenised. */
  pairsKept: number;
  /** Rows or prompts that gave no pair. */
  pairsSkipped: number;
  /** Skipped count per reason. */
  skippedReasons: Record<string, number>;
  /** Token lengths after truncation: prompt, responses, whole sequences. */
  lengths: {
    prompt: LengthHistogram;
    chosen: LengthHistogram;
    rejected: LengthHistogram;
    chosenSequence: LengthHistogram;
    rejectedSequence: LengthHistogram;
  };
  /** Token lengths before truncation (after BOS/EOS insertion). */
  untruncatedLengths: { prompt: LengthHistogram; chosen: LengthHistogram; rejected: LengthHistogram };
  /** Pairs whose prompt, responses, or either were truncated. */
  truncation: { prompts: number; responses: number; any: number };
}

/**
 * Summarises tokenised pairs: counts of rows and pairs kept/skipped (with reasons), token-length histograms
 * before and after truncation, and how many pairs were truncated.
 *
 * @param features The tokenised pairs.
 * @param options The read report, other skip counts, and the bin width.
 * @returns The statistics (plain JSON).
 * @throws {RangeError} for a non-positive bin width.
 *
 * @example
 * ```ts
 * import { buildPairFeatures, datasetStats } from "@wpo/data";
 * const f = buildPairFeatures({ promptIds: [5, 6, 7], chosenIds: [8], rejectedIds: [9, 9, 9] },
 *   { bosId: 1, eosId: 2, maxLength: 6, maxPromptLength: 2 });
 * const stats = datasetStats([f], { skipped: { "all-equal-scores": 2 } });
 * console.assert(stats.pairsKept === 1 && stats.pairsSkipped === 2 && stats.truncation.prompts === 1);
 * console.assert(stats.lengths.prompt.max === 2 && stats.untruncatedLengths.prompt.max === 4);
 * ```
 */
export function datasetStats(
  features: readonly PairFeatures[],
  options: DatasetStatsOptions = {},
): DatasetStats {
  const binWidth = options.binWidth ?? 64;
  if (!Number.isInteger(binWidth) || binWidth < 1) {
    throw new RangeError(`binWidth must be a positive integer, got ${binWidth}.`);
  }
  const skippedReasons: Record<string, number> = { ...(options.skipped ?? {}) };
  if (options.readReport && options.readReport.rowsSkipped > 0) {
    skippedReasons["bad-row"] = (skippedReasons["bad-row"] ?? 0) + options.readReport.rowsSkipped;
  }
  const pairsSkipped = Object.values(skippedReasons).reduce((a, b) => a + b, 0);
  const promptLen = (labels: number[]) => labels.findIndex((l) => l !== -100);
  const prompt = features.map((f) => {
    const k = promptLen(f.chosenLabels);
    return k === -1 ? f.chosenLabels.length : k;
  });
  const rejectedPrompt = features.map((f) => {
    const k = promptLen(f.rejectedLabels);
    return k === -1 ? f.rejectedLabels.length : k;
  });
  const h = (values: number[]) => histogram(values, binWidth);
  return {
    rows: options.readReport?.rowsRead ?? features.length + pairsSkipped,
    pairsKept: features.length,
    pairsSkipped,
    skippedReasons,
    lengths: {
      prompt: h(prompt),
      chosen: h(features.map((f, i) => f.chosenInputIds.length - (prompt[i] as number))),
      rejected: h(features.map((f, i) => f.rejectedInputIds.length - (rejectedPrompt[i] as number))),
      chosenSequence: h(features.map((f) => f.chosenInputIds.length)),
      rejectedSequence: h(features.map((f) => f.rejectedInputIds.length)),
    },
    untruncatedLengths: {
      prompt: h(features.map((f) => f.untruncatedLengths.prompt)),
      chosen: h(features.map((f) => f.untruncatedLengths.chosen)),
      rejected: h(features.map((f) => f.untruncatedLengths.rejected)),
    },
    truncation: {
      prompts: features.filter((f) => f.promptTruncated).length,
      responses: features.filter((f) => f.responsesTruncated).length,
      any: features.filter((f) => f.promptTruncated || f.responsesTruncated).length,
    },
  };
}
