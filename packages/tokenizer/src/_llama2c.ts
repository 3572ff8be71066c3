/**
 * llama2.c tokenizer.bin import. Layout: int32 max_token_length, then per token
 * float32 score, int32 byte length, bytes (little-endian). Encoding follows llama2.c's
 * `encode`: a dummy " " prefix, code points looked up in the vocabulary (bytes + 3 as
 * fallback), then repeatedly the adjacent pair whose concatenation is a vocabulary piece
 * with the highest score is merged (leftmost among equal scores).
 */
import { byteFallback } from "./_decoders.ts";
import { mergeSymbols } from "./_merge.ts";
import { PairTable } from "./_pair_table.ts";
import { type TokenModel, WordCache } from "./_model.ts";
import type { TokenizerParts } from "./_parts.ts";

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/** Parses tokenizer.bin into (score, piece) lists. */
export function readLlama2cVocab(bytes: Uint8Array): { scores: Float32Array; pieces: string[] } {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError("fromLlama2c: expected the file's bytes as a Uint8Array.");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4)
    throw new RangeError(`llama2c tokenizer: file has ${bytes.byteLength} bytes, too short for a header.`);
  const scores: number[] = [];
  const pieces: string[] = [];
  let offset = 4;
  while (offset < bytes.byteLength) {
    if (offset + 8 > bytes.byteLength) {
      throw new RangeError(
        `llama2c tokenizer: token ${pieces.length} header at byte ${offset} runs past the end of the file.`,
      );
    }
    const score = view.getFloat32(offset, true);
    const length = view.getInt32(offset + 4, true);
    if (length < 0 || offset + 8 + length > bytes.byteLength) {
      throw new RangeError(
        `llama2c tokenizer: token ${pieces.length} at byte ${offset} has invalid length ${length}.`,
      );
    }
    scores.push(score);
    pieces.push(utf8.decode(bytes.subarray(offset + 8, offset + 8 + length)));
    offset += 8 + length;
  }
  if (pieces.length < 259) {
    throw new RangeError(
      `llama2c tokenizer: ${pieces.length} tokens; expected at least 259 (<unk>, <s>, </s>, 256 bytes).`,
    );
  }
  return { scores: Float32Array.from(scores), pieces };
}

/** The llama2.c score-ordered BPE model. */
class Llama2cModel implements TokenModel {
  readonly size: number;
  readonly #pieces: string[];
  readonly #vocab = new Map<string, number>();
  readonly #table: PairTable;
  readonly #cache = new WordCache();

  constructor(scores: Float32Array, pieces: string[]) {
    this.#pieces = pieces;
    this.size = pieces.length;
    pieces.forEach((p, id) => {
      if (!this.#vocab.has(p)) this.#vocab.set(p, id);
    });
    // Dense rank by descending score: equal scores tie, so position decides, as in llama2.c.
    const distinct = [...new Set(scores)].sort((a, b) => b - a);
    const rankOf = new Map(distinct.map((s, r) => [s, r]));
    const table = new PairTable(pieces.reduce((n, p) => n + p.length, 0));
    this.#vocab.forEach((id, piece) => {
      if (!(scores[id]! > -1e10)) return; // llama2.c never merges at or below its initial best score
      const cps = Array.from(piece);
      let cut = 0;
      for (let k = 0; k < cps.length - 1; k++) {
        cut += cps[k]!.length;
        const a = this.#vocab.get(piece.slice(0, cut));
        const b = this.#vocab.get(piece.slice(cut));
        const rank = rankOf.get(scores[id] as number)!;
        if (a !== undefined && b !== undefined) table.add(a, b, rank, id);
      }
    });
    this.#table = table;
  }

  tokenizeWord(text: string): number[] {
    const cached = this.#cache.get(text);
    if (cached !== undefined) return cached;
    const ids: number[] = [];
    for (const ch of text) {
      const id = this.#vocab.get(ch);
      if (id !== undefined) ids.push(id);
      else for (const b of encoder.encode(ch)) ids.push(b + 3);
    }
    const out = mergeSymbols(ids, this.#table);
    this.#cache.set(text, out);
    return out;
  }

  tokenToId(token: string): number | undefined {
    return this.#vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.#pieces[id];
  }
}

/**
 * Builds tokenizer parts from a llama2.c tokenizer.bin.
 *
 * @param bytes The file's bytes.
 * @returns The parts (BOS 1, EOS 2, byte-fallback decoding, dummy-prefix space dropped).
 */
export function partsFromLlama2c(bytes: Uint8Array): TokenizerParts {
  const { scores, pieces } = readLlama2cVocab(bytes);
  const special = (id: number, content: string) => ({
    id,
    content,
    special: true,
    normalized: false,
    lstrip: false,
    rstrip: false,
    singleWord: false,
  });
  return {
    model: new Llama2cModel(scores, pieces),
    addedTokens: [special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")],
    matchAddedTokens: false,
    normalizer: (text) => (text.length > 0 ? ` ${text}` : text),
    preTokenizer: undefined,
    postProcessor: (ids) => [1, ...ids],
    // As llama2.c prints: a piece's leading space is dropped at the start and right after BOS.
    decoder: (tokens) =>
      byteFallback(
        tokens.map((t, i) => ((i === 0 || tokens[i - 1] === "<s>") && t.startsWith(" ") ? t.slice(1) : t)),
      ),
    config: { bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" },
    defaultBosId: 1,
    defaultEosId: 2,
  };
}
