/** Assembles tokenizer stages from tokenizer.json (+ tokenizer_config.json). */
import { parseAddedTokens } from "./_added_tokens.ts";
import { BpeModel } from "./_bpe_model.ts";
import { asObject, stageType, unknownStage } from "./_config.ts";
import { buildDecoder } from "./_decoders.ts";
import { buildNormalizer } from "./_normalizers.ts";
import type { TokenizerConfig, TokenizerParts } from "./_parts.ts";
import { buildPostProcessor } from "./_post_processors.ts";
import { buildPreTokenizer } from "./_pre_tokenizers.ts";

/**
 * Parses tokenizer.json (object or JSON text) and an optional tokenizer_config.json.
 *
 * @param tokenizerJson Parsed tokenizer.json or its text.
 * @param tokenizerConfig Parsed tokenizer_config.json or its text.
 * @returns The tokenizer's parts.
 */
export function partsFromJson(tokenizerJson: unknown, tokenizerConfig?: unknown): TokenizerParts {
  const json = asObject(parseMaybe(tokenizerJson, "tokenizer.json"), "tokenizer.json");
  const config = (
    tokenizerConfig === undefined || tokenizerConfig === null
      ? {}
      : asObject(parseMaybe(tokenizerConfig, "tokenizer_config.json"), "tokenizer_config.json")
  ) as TokenizerConfig;
  if (json.model === undefined || json.model === null) {
    throw new TypeError(
      'tokenizer.json: missing "model" section; is this a Hugging Face tokenizer.json file?',
    );
  }
  const modelObj = asObject(json.model, "model");
  // Older files omit the model type; the reference then infers it, and merges mean BPE.
  const modelType =
    modelObj.type === undefined && Array.isArray(modelObj.merges) ? "BPE" : stageType(json.model, "model");
  if (modelType !== "BPE") throw unknownStage("model", modelType, ["BPE"]);
  const pre = buildPreTokenizer(json.pre_tokenizer);
  const model = new BpeModel(modelObj, { byteLevelInput: pre.byteLevelDeferred });
  const postProcessor = buildPostProcessor(json.post_processor);
  const addedTokens = parseAddedTokens(json.added_tokens);
  const idOf = (name: string) => addedTokens.find((t) => t.content === name)?.id ?? model.tokenToId(name);
  return {
    model,
    addedTokens,
    matchAddedTokens: true,
    normalizer: buildNormalizer(json.normalizer),
    preTokenizer: pre.run,
    postProcessor,
    decoder: buildDecoder(json.decoder),
    config,
    defaultBosId: postProcessor?.([-1])[0] === -1 ? undefined : postProcessor?.([-1])[0],
    defaultEosId: ["<|end_of_text|>", "</s>", "<|endoftext|>"].map(idOf).find((id) => id !== undefined),
  };
}

function parseMaybe(value: unknown, file: string): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new SyntaxError(
      `${file}: invalid JSON (${(error as Error).message}); pass the file's exact contents.`,
    );
  }
}
