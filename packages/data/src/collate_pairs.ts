import type { PairFeatures } from "./build_pair_features.ts";

/** Options of {@linkcode collatePairs}. */
export interface CollateOptions {
  /** Id written into padded `inputIds` positions (TRL: `tokenizer.pad_token_id`, else EOS). */
  padTokenId: number;
  /** Label of padded positions. Default -100. */
  labelPadTokenId?: number;
}

/** A collated micro-batch: row-major `[batchSize, seqLen]` arrays, rows `[chosen_0..chosen_{B-1}; rejected_0..]`. */
export interface PairBatch {
  /** Token ids, right-padded with `padTokenId`. */
  inputIds: Int32Array;
  /** 1 on real tokens, 0 on padding. */
  attentionMask: Int32Array;
  /** Token ids on response positions, -100 on prompt and padding. */
  labels: Int32Array;
  /** Number of rows, 2 × `numPairs` (chosen rows first). */
  batchSize: number;
  /** Number of pairs B. */
  numPairs: number;
  /** Common length T: the longest chosen or rejected sequence of the batch. */
  seqLen: number;
}

/**
 * Pads and stacks pairs like TRL 0.9.6 (`DPODataCollatorWithPadding` then `concatenated_inputs`): right padding,
 * chosen rows then rejected rows, all padded to one length T.
 *
 * @param features The pairs of the micro-batch (at least one).
 * @param options Padding ids.
 * @returns Flat Int32Arrays of shape `[2B, T]`.
 * @throws {RangeError} for an empty batch; {TypeError} for a non-integer pad id.
 *
 * @example
 * ```ts
 * import { buildPairFeatures, collatePairs } from "@wpo/data";
 * const f = buildPairFeatures({ promptIds: [5], chosenIds: [6], rejectedIds: [7, 8] }, { bosId: 1, eosId: 2 });
 * const batch = collatePairs([f], { padTokenId: 0 });
 * console.assert(batch.batchSize === 2 && batch.seqLen === 5);
 * console.assert(Array.from(batch.inputIds).join() === "1,5,6,2,0,1,5,7,8,2");
 * console.assert(Array.from(batch.labels.slice(0, 5)).join() === "-100,-100,6,2,-100");
 * ```
 */
export function collatePairs(features: readonly PairFeatures[], options: CollateOptions): PairBatch {
  if (features.length === 0) throw new RangeError("collatePairs needs at least one pair.");
  const { padTokenId } = options;
  if (!Number.isInteger(padTokenId)) {
    throw new TypeError(
      `padTokenId must be an integer id, got ${padTokenId}: use the EOS id if the tokenizer has no pad.`,
    );
  }
  const labelPad = options.labelPadTokenId ?? -100;
  const numPairs = features.length;
  const rows = [
    ...features.map((f) => [f.chosenInputIds, f.chosenAttentionMask, f.chosenLabels] as const),
    ...features.map((f) => [f.rejectedInputIds, f.rejectedAttentionMask, f.rejectedLabels] as const),
  ];
  const seqLen = Math.max(...rows.map(([ids]) => ids.length));
  const size = rows.length * seqLen;
  const inputIds = new Int32Array(size).fill(padTokenId);
  const attentionMask = new Int32Array(size);
  const labels = new Int32Array(size).fill(labelPad);
  rows.forEach(([ids, mask, lab], r) => {
    inputIds.set(ids, r * seqLen);
    attentionMask.set(mask, r * seqLen);
    labels.set(lab, r * seqLen);
  });
  return { inputIds, attentionMask, labels, batchSize: rows.length, numPairs, seqLen };
}
