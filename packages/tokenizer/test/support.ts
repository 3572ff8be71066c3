/** Test helpers: the real tokenizer files from dev dependencies, the oracle, seeded random strings. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { SeededRng } from "@wpo/random";
import { Tokenizer } from "../src/tokenizer.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Path of a file under packages/tokenizer. */
export const packagePath = (relative: string): string => `${root}${relative}`;

/** Path of tokenizer.json of an @lenml package ("tokenizer-llama3_1", "tokenizer-llama2"). */
export const lenmlTokenizerPath = (pkg: string): string =>
  packagePath(`node_modules/@lenml/${pkg}/models/tokenizer.json`);

/** Loads ours and the reference from the same files. */
export function loadBoth(pkg: string): { ours: Tokenizer; oracle: HfTokenizer } {
  const path = lenmlTokenizerPath(pkg);
  const json = JSON.parse(readFileSync(path, "utf8"));
  const config = JSON.parse(readFileSync(path.replace("tokenizer.json", "tokenizer_config.json"), "utf8"));
  return { ours: Tokenizer.fromJSON(json, config), oracle: new HfTokenizer(json, config) };
}

/** The first `n` chosen transcripts of the bundled Anthropic HH test split (real text for parity tests). */
export function hhTranscripts(n: number): string[] {
  const gz = readFileSync(packagePath("../../assets/hh_helpful-base_test.jsonl.gz"));
  const lines = gunzipSync(gz)
    .toString("utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  return lines.slice(0, n).map((l) => (JSON.parse(l) as { chosen: string }).chosen);
}

/** Reads a committed fixture. */
export const readFixture = <T>(name: string): T =>
  JSON.parse(readFileSync(packagePath(`fixtures/${name}`), "utf8")) as T;

/** Floats in [0, 1) from the project's one seeded generator (`@wpo/random`). */
export function seededRandom(seed: number): () => number {
  return new SeededRng(seed).asFunction();
}

// Fragments random strings are built from: letters, digits, whitespace kinds, contractions,
// punctuation, accents, other scripts, emoji (astral, ZWJ, skin tone), special-token text.
const FRAGMENTS = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
  ..."0123456789",
  " ",
  " ",
  " ",
  "  ",
  "\n",
  "\r\n",
  "\t",
  "\u00a0",
  "\u0085",
  "\u3000",
  "\u200b",
  "'s",
  "'t",
  "'re",
  "'ve",
  "'m",
  "'ll",
  "'d",
  "'S",
  "'LL",
  "\u2019",
  ..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
  "\u00e9",
  "\u00df",
  "\u00ff",
  "e\u0301",
  "\u0161",
  "\u0142",
  "\u0416",
  "\u043c\u0438\u0440",
  "\u03a9",
  "\u05e9",
  "\u0627\u0644",
  "\u0928\u092e",
  "\u0e2a",
  "\u4f60",
  "\u597d",
  "\u65e5\u672c",
  "\u306e",
  "\ud55c",
  "\u0661",
  "\u00bd",
  "\u2460",
  "\ud83d\ude00",
  "\ud83d\udc4d\ud83c\udffd",
  "\ud83d\udc68\u200d\ud83d\udc69",
  "\ud83c\uddfa\ud83c\uddf8",
  "the",
  " the",
  "ing",
  "tion",
  " of",
];

/** A seeded random string of up to `maxPieces` fragments (special-token texts from `specials` now and then). */
export function randomString(rand: () => number, maxPieces: number, specials: string[] = []): string {
  const n = Math.floor(rand() * (maxPieces + 1));
  let s = "";
  for (let i = 0; i < n; i++) {
    if (specials.length > 0 && rand() < 0.02) s += specials[Math.floor(rand() * specials.length)]!;
    else s += FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!;
  }
  return s;
}
