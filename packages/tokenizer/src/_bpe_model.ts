/** The tokenizer.json "BPE" model: vocabulary, ranked merges, ignore_merges, byte_fallback, unk. */
import { toByteLevel } from "./_byte_level.ts";
import { asObject, boolField, describe, type JsonObject } from "./_config.ts";
import { mergeSymbols } from "./_merge.ts";
import { PairTable } from "./_pair_table.ts";
import { type TokenModel, WordCache } from "./_model.ts";

/** Options that come from outside the model section. */
export interface BpeModelOptions {
  /** Words arrive as raw text and must be mapped to the byte-level alphabet first. */
  byteLevelInput: boolean;
}

/** A byte-pair-encoding model exactly as the reference applies it. */
export class BpeModel implements TokenModel {
  readonly size: number;
  readonly #vocab: Map<string, number>;
  readonly #tokens: string[];
  readonly #table: PairTable;
  readonly #ignoreMerges: boolean;
  readonly #byteFallback: boolean;
  readonly #unkId: number | undefined;
  readonly #fuseUnk: boolean;
  readonly #byteLevelInput: boolean;
  readonly #byteIds: Int32Array | undefined;
  readonly #cache = new WordCache();

  constructor(config: JsonObject, options: BpeModelOptions) {
    const where = "model";
    const vocabObj = asObject(config.vocab, `${where}.vocab`);
    this.#vocab = new Map();
    this.#tokens = [];
    let size = 0;
    for (const token in vocabObj) {
      const id = vocabObj[token];
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
        throw new TypeError(
          `${where}.vocab: token ${describe(token)} has id ${describe(id)}; ids must be integers >= 0.`,
        );
      }
      this.#vocab.set(token, id);
      this.#tokens[id] = token;
      if (id + 1 > size) size = id + 1;
    }
    this.size = size;
    for (const key of ["continuing_subword_prefix", "end_of_word_suffix"]) {
      const v = config[key];
      if (v !== null && v !== undefined && v !== "") {
        throw new TypeError(`${where}.${key} = ${describe(v)} is not supported (only null or "").`);
      }
    }
    if (typeof config.dropout === "number" && config.dropout > 0) {
      throw new RangeError(
        `${where}.dropout = ${config.dropout}: BPE dropout is random and not supported; set it to null.`,
      );
    }
    this.#table = this.#buildPairs(config.merges);
    this.#ignoreMerges = boolField(config, "ignore_merges", false);
    this.#byteFallback = boolField(config, "byte_fallback", false);
    this.#fuseUnk = boolField(config, "fuse_unk", false);
    const unk = config.unk_token;
    this.#unkId = typeof unk === "string" ? this.#vocab.get(unk) : undefined;
    if (typeof unk === "string" && this.#unkId === undefined) {
      throw new TypeError(`${where}.unk_token ${describe(unk)} is not in model.vocab.`);
    }
    this.#byteLevelInput = options.byteLevelInput;
    if (this.#byteFallback) {
      this.#byteIds = new Int32Array(256).fill(-1);
      for (let b = 0; b < 256; b++) {
        const id = this.#vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
        if (id !== undefined) this.#byteIds[b] = id;
      }
    }
  }

  #buildPairs(merges: unknown): PairTable {
    if (!Array.isArray(merges))
      throw new TypeError(`model.merges: expected an array, got ${describe(merges)}.`);
    const table = new PairTable(merges.length);
    const vocab = this.#vocab;
    for (let rank = 0; rank < merges.length; rank++) {
      const m: unknown = merges[rank];
      let left: string;
      let right: string;
      if (typeof m === "string") {
        const space = m.indexOf(" ", 1);
        if (space < 0) throw new TypeError(`model.merges[${rank}] ${describe(m)}: expected "left right".`);
        left = m.slice(0, space);
        right = m.slice(space + 1);
      } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") {
        [left, right] = m as [string, string];
      } else
        throw new TypeError(
          `model.merges[${rank}]: expected "left right" or [left, right], got ${describe(m)}.`,
        );
      const a = vocab.get(left);
      const b = vocab.get(right);
      const merged = vocab.get(left + right);
      if (a === undefined || b === undefined || merged === undefined) {
        const missing = a === undefined ? left : b === undefined ? right : left + right;
        throw new TypeError(
          `model.merges[${rank}] (${describe(m)}) refers to token ${describe(missing)}, which is not in model.vocab.`,
        );
      }
      table.add(a, b, rank, merged);
    }
    return table;
  }

  tokenizeWord(word: string): number[] {
    const cached = this.#cache.get(word);
    if (cached !== undefined) return cached;
    const text = this.#byteLevelInput ? toByteLevel(word) : word;
    let ids: number[];
    const whole = this.#ignoreMerges ? this.#vocab.get(text) : undefined;
    if (whole !== undefined) ids = [whole];
    else ids = mergeSymbols(this.#initialSymbols(text), this.#table);
    this.#cache.set(word, ids);
    return ids;
  }

  #initialSymbols(text: string): number[] {
    const ids: number[] = [];
    let lastWasUnk = false;
    for (const ch of text) {
      const id = this.#vocab.get(ch);
      if (id !== undefined) {
        ids.push(id);
        lastWasUnk = false;
        continue;
      }
      if (this.#byteIds) {
        const bytes = new TextEncoder().encode(ch);
        const byteIds = this.#byteIds;
        const fallback = Array.from(bytes, (b) => byteIds[b] as number);
        if (fallback.every((x) => x >= 0)) {
          ids.push(...fallback);
          lastWasUnk = false;
          continue;
        }
      }
      if (this.#unkId === undefined) continue;
      if (!(this.#fuseUnk && lastWasUnk)) ids.push(this.#unkId);
      lastWasUnk = true;
    }
    return ids;
  }

  tokenToId(token: string): number | undefined {
    return this.#vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.#tokens[id];
  }
}
