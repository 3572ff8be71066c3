import { type AddedToken, AddedTokenMatcher, type Segment } from "./_added_tokens.ts";
import { partsFromJson } from "./_from_json.ts";
import { partsFromLlama2c } from "./_llama2c.ts";
import type { TokenizerConfig, TokenizerParts } from "./_parts.ts";
import { type ChatMessage, renderChatTemplate } from "./chat_template.ts";
import { cleanUpTokenization } from "./_cleanup.ts";
import { readTokenizerFiles } from "./_read_tokenizer_files.ts";
import type { ApplyChatTemplateOptions, DecodeOptions, EncodeOptions } from "./tokenizer_options.ts";

export type { TokenizerConfig } from "./_parts.ts";
export type { ApplyChatTemplateOptions, DecodeOptions, EncodeOptions } from "./tokenizer_options.ts";

const tokenName = (v: TokenizerConfig["bos_token"]): string | undefined =>
  typeof v === "string"
    ? v
    : v && typeof v === "object" && typeof v.content === "string"
      ? v.content
      : undefined;

/**
 * A Hugging Face compatible tokenizer: tokenizer.json BPE (Llama 3 byte-level, Llama 2
 * SentencePiece-style) or a llama2.c tokenizer.bin, with chat templates.
 *
 * @example
 * ```ts
 * import { Tokenizer } from "@wpo/tokenizer";
 * const tok = Tokenizer.fromJSON({
 *   model: { type: "BPE", vocab: { a: 0, b: 1, ab: 2 }, merges: ["a b"] },
 * });
 * const ids = tok.encode("abab");
 * if (ids.join() !== "2,2" || tok.decode(ids) !== "ab ab") throw new Error(String(ids));
 * ```
 */
export class Tokenizer {
  readonly #parts: TokenizerParts;
  readonly #rawMatcher: AddedTokenMatcher;
  readonly #normalizedMatcher: AddedTokenMatcher;
  readonly #addedById = new Map<number, AddedToken>();
  readonly #addedByContent = new Map<string, AddedToken>();
  readonly #specialIds = new Set<number>();
  /** One more than the largest id (model vocabulary and added tokens). */
  readonly vocabSize: number;
  /** Beginning-of-sequence id, if any. */
  readonly bosTokenId: number | undefined;
  /** End-of-sequence id, if any. */
  readonly eosTokenId: number | undefined;
  /** Padding id from tokenizer_config.json, if any (callers usually fall back to EOS). */
  readonly padTokenId: number | undefined;

  /**
   * Use {@link Tokenizer.fromJSON}, {@link Tokenizer.fromFile} or {@link Tokenizer.fromLlama2c}.
   *
   * @param parts The assembled stages.
   */
  constructor(parts: TokenizerParts) {
    this.#parts = parts;
    let size = parts.model.size;
    for (const t of parts.addedTokens) {
      this.#addedById.set(t.id, t);
      this.#addedByContent.set(t.content, t);
      if (t.special) this.#specialIds.add(t.id);
      if (t.id + 1 > size) size = t.id + 1;
    }
    this.vocabSize = size;
    const matchable = parts.matchAddedTokens ? parts.addedTokens : [];
    this.#rawMatcher = new AddedTokenMatcher(matchable.filter((t) => !t.normalized));
    this.#normalizedMatcher = new AddedTokenMatcher(matchable.filter((t) => t.normalized));
    const idOf = (v: TokenizerConfig["bos_token"]) => {
      const name = tokenName(v);
      return name === undefined ? undefined : this.tokenToId(name);
    };
    this.bosTokenId = idOf(parts.config.bos_token) ?? parts.defaultBosId;
    this.eosTokenId = idOf(parts.config.eos_token) ?? parts.defaultEosId;
    this.padTokenId = idOf(parts.config.pad_token);
    for (const id of [this.bosTokenId, this.eosTokenId, this.padTokenId])
      if (id !== undefined) this.#specialIds.add(id);
  }

  /**
   * Builds a tokenizer from tokenizer.json and optionally tokenizer_config.json (objects or JSON text).
   *
   * @param tokenizerJson Parsed tokenizer.json (or its text).
   * @param tokenizerConfig Parsed tokenizer_config.json (or its text): special tokens and chat template.
   * @returns The tokenizer.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { h: 0, i: 1, hi: 2 }, merges: [["h", "i"]] } });
   * if (tok.encode("hi")[0] !== 2) throw new Error("merge not applied");
   * ```
   */
  static fromJSON(tokenizerJson: unknown, tokenizerConfig?: unknown): Tokenizer {
    return new Tokenizer(partsFromJson(tokenizerJson, tokenizerConfig));
  }

  /**
   * Loads tokenizer.json from disk (Node), plus tokenizer_config.json from the same folder when present.
   *
   * @param pathToTokenizerJson Path of tokenizer.json.
   * @returns The tokenizer.
   *
   * @example
   * ```ts
   * import { mkdtempSync, writeFileSync } from "node:fs";
   * import { tmpdir } from "node:os";
   * import { join } from "node:path";
   * import { Tokenizer } from "@wpo/tokenizer";
   * const dir = mkdtempSync(join(tmpdir(), "tok-"));
   * const json = { model: { type: "BPE", vocab: { o: 0, k: 1, ok: 2 }, merges: ["o k"] } };
   * writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(json));
   * const tok = await Tokenizer.fromFile(join(dir, "tokenizer.json"));
   * if (tok.encode("ok").join() !== "2") throw new Error("expected the merged token");
   * ```
   */
  static async fromFile(pathToTokenizerJson: string): Promise<Tokenizer> {
    const { json, config } = await readTokenizerFiles(pathToTokenizerJson);
    try {
      return Tokenizer.fromJSON(json, config);
    } catch (error) {
      (error as Error).message = `${pathToTokenizerJson}: ${(error as Error).message}`;
      throw error;
    }
  }

  /**
   * Imports a llama2.c tokenizer.bin (e.g. tok512.bin): scores + pieces, encoded as llama2.c does
   * (dummy prefix space, highest-score merge first, byte fallback). BOS 1, EOS 2.
   *
   * @param bytes The file's bytes.
   * @returns The tokenizer.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromLlama2c(readFileSync("../../assets/tok512.bin")); // run from packages/tokenizer
   * if (tok.decode(tok.encode("Once upon a time")) !== "<s>Once upon a time") throw new Error();
   * ```
   */
  static fromLlama2c(bytes: Uint8Array): Tokenizer {
    return new Tokenizer(partsFromLlama2c(bytes));
  }

  /**
   * Encodes text to ids. Added/special token strings in the text map to their ids.
   *
   * @param text The text.
   * @param options `addSpecialTokens` (default true) adds BOS etc. per the post-processor.
   * @returns Token ids.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { a: 0 }, merges: [] } });
   * if (tok.encode("aa").length !== 2) throw new Error();
   * ```
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    if (typeof text !== "string")
      throw new TypeError(`Tokenizer.encode: text must be a string, got ${typeof text}.`);
    const { normalizer } = this.#parts;
    const ids: number[] = [];
    const segments: Segment[] = [];
    this.#rawMatcher.split(text, 0, segments);
    for (const seg of segments) {
      if ("id" in seg) {
        ids.push(seg.id);
        continue;
      }
      if (normalizer === undefined) {
        this.#encodeText(seg.text, seg.start === 0, ids);
        continue;
      }
      const normalized = normalizer(seg.text);
      if (this.#normalizedMatcher.empty) {
        this.#encodeText(normalized, seg.start === 0, ids);
        continue;
      }
      const inner: Segment[] = [];
      this.#normalizedMatcher.split(normalized, 0, inner);
      inner.forEach((s, i) => {
        if ("id" in s) ids.push(s.id);
        else this.#encodeText(s.text, seg.start === 0 && i === 0, ids);
      });
    }
    const post = this.#parts.postProcessor;
    return (options.addSpecialTokens ?? true) && post ? post(ids) : ids;
  }

  #encodeText(text: string, first: boolean, out: number[]): void {
    const { preTokenizer, model } = this.#parts;
    const words = preTokenizer ? preTokenizer([text], first) : text.length > 0 ? [text] : [];
    for (const word of words) {
      const wordIds = model.tokenizeWord(word);
      for (let i = 0; i < wordIds.length; i++) out.push(wordIds[i]!);
    }
  }

  /**
   * Decodes ids to text.
   *
   * @param ids Token ids (integers in [0, vocabSize)).
   * @param options `skipSpecialTokens`, `cleanUpTokenizationSpaces`.
   * @returns The text.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { a: 0 }, merges: [] } });
   * if (tok.decode([0, 0]) !== "a a") throw new Error(); // no decoder: tokens joined by spaces
   * ```
   */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    const skip = options.skipSpecialTokens ?? false;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const token = Number.isInteger(id) ? this.idToToken(id) : undefined;
      if (token === undefined) {
        throw new RangeError(
          `Tokenizer.decode: ids[${i}] = ${id} is not a token id; ids must be integers in [0, ${this.vocabSize}).`,
        );
      }
      if (skip && this.#specialIds.has(id)) continue;
      tokens.push(token);
    }
    const decoder = this.#parts.decoder;
    const text = decoder ? decoder(tokens).join("") : tokens.join(" ");
    return options.cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
  }

  /**
   * Token string to id (added tokens first, then the model vocabulary).
   *
   * @param token The token string (in the vocabulary's alphabet, e.g. "Ġthe").
   * @returns The id, or undefined.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { a: 0 }, merges: [] } });
   * if (tok.tokenToId("a") !== 0 || tok.tokenToId("b") !== undefined) throw new Error();
   * ```
   */
  tokenToId(token: string): number | undefined {
    return this.#addedByContent.get(token)?.id ?? this.#parts.model.tokenToId(token);
  }

  /**
   * Id to token string.
   *
   * @param id The id.
   * @returns The token string, or undefined when the id is unused.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { a: 0 }, merges: [] } });
   * if (tok.idToToken(0) !== "a") throw new Error();
   * ```
   */
  idToToken(id: number): string | undefined {
    return this.#addedById.get(id)?.content ?? this.#parts.model.idToToken(id);
  }

  /**
   * Whether `id` is a special token (added token marked special, or BOS/EOS/PAD).
   *
   * @param id The id.
   * @returns True for special tokens.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { a: 0 }, merges: [] } });
   * if (tok.isSpecialId(0)) throw new Error();
   * ```
   */
  isSpecialId(id: number): boolean {
    return this.#specialIds.has(id);
  }

  /**
   * The tokenizer_config.json this tokenizer was built with ({} when none).
   *
   * @returns The parsed config.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON({ model: { type: "BPE", vocab: { a: 0 }, merges: [] } }, { eos_token: "a" });
   * if (tok.config.eos_token !== "a" || tok.eosTokenId !== 0) throw new Error();
   * ```
   */
  get config(): Readonly<TokenizerConfig> {
    return this.#parts.config;
  }

  /**
   * Renders messages with the chat template of tokenizer_config.json (Jinja, via `@huggingface/jinja`),
   * with `bos_token`, `eos_token`, `pad_token`, `unk_token` available to it.
   *
   * @param messages The conversation.
   * @param options `addGenerationPrompt`; `tokenize` to get ids (encoded with `addSpecialTokens: false`).
   * @returns The text, or ids when `tokenize` is true.
   *
   * @example
   * ```ts
   * import { Tokenizer } from "@wpo/tokenizer";
   * const tok = Tokenizer.fromJSON(
   *   { model: { type: "BPE", vocab: { a: 0 }, merges: [] } },
   *   { chat_template: "{% for m in messages %}{{ m.content }}{% endfor %}" },
   * );
   * if (tok.applyChatTemplate([{ role: "user", content: "aa" }]) !== "aa") throw new Error();
   * ```
   */
  applyChatTemplate(
    messages: ChatMessage[],
    options?: ApplyChatTemplateOptions & { tokenize?: false },
  ): string;
  applyChatTemplate(
    messages: ChatMessage[],
    options: ApplyChatTemplateOptions & { tokenize: true },
  ): number[];
  applyChatTemplate(messages: ChatMessage[], options?: ApplyChatTemplateOptions): string | number[];
  applyChatTemplate(messages: ChatMessage[], options: ApplyChatTemplateOptions = {}): string | number[] {
    const text = renderChatTemplate(this.#chatTemplate(options.chatTemplate), messages, {
      addGenerationPrompt: options.addGenerationPrompt ?? false,
      variables: {
        bos_token: tokenName(this.#parts.config.bos_token) ?? this.#nameOf(this.bosTokenId),
        eos_token: tokenName(this.#parts.config.eos_token) ?? this.#nameOf(this.eosTokenId),
        pad_token: tokenName(this.#parts.config.pad_token),
        unk_token: tokenName(this.#parts.config.unk_token),
        ...options.variables,
      },
    });
    return options.tokenize ? this.encode(text, { addSpecialTokens: false }) : text;
  }

  #nameOf(id: number | undefined): string | undefined {
    return id === undefined ? undefined : this.idToToken(id);
  }

  #chatTemplate(override: string | undefined): string {
    if (override !== undefined) return override;
    const t = this.#parts.config.chat_template;
    if (typeof t === "string") return t;
    if (Array.isArray(t)) {
      const def = t.find((x) => x.name === "default") ?? t[0];
      if (def) return def.template;
    }
    throw new TypeError(
      "applyChatTemplate: tokenizer_config.json has no chat_template; pass one with { chatTemplate } or load the model's tokenizer_config.json.",
    );
  }
}
