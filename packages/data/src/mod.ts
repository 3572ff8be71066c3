/**
 * @module
 * Preference datasets for WPO/DPO training: readers (JSONL, JSON, Parquet; WPO message schema, plain strings,
 * Anthropic HH transcripts), TRL 0.9.6-exact templating, tokenisation and truncation, collation, hybrid pair construction and dataset statistics.
 */
export * from "./bad_row_error.ts";
export * from "./build_hybrid_pairs.ts";
export * from "./build_pair_features.ts";
export * from "./collate_pairs.ts";
export * from "./dataset_stats.ts";
export * from "./format_preference_row.ts";
export * from "./parse_hh_transcript.ts";
export * from "./parse_preference_row.ts";
export * from "./preference_tokenizer.ts";
export * from "./read_preference_dataset.ts";
export * from "./stream_preference_rows.ts";
export * from "./tokenize_preference_row.ts";
export * from "./types.ts";
