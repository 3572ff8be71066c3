import { type LoraConfig, resolveLoraConfig } from "./lora_config.ts";

/** PEFT's key prefix of a causal-LM adapter's tensors in `adapter_model.safetensors`. */
export const PEFT_KEY_PREFIX = "base_model.model.";

/**
 * The `adapter_config.json` PEFT writes for a LoRA config (its other fields at PEFT's defaults),
 * so PEFT's `PeftModel.from_pretrained` reads it.
 *
 * @param config The LoRA config.
 * @param options `baseModelNameOrPath`: the base checkpoint (folder or hub id).
 * @returns The JSON object.
 * @example
 * ```ts
 * import { peftAdapterConfig, resolveLoraConfig } from "@wpo/llama";
 * const j = peftAdapterConfig(resolveLoraConfig({ r: 16, loraAlpha: 32 }), { baseModelNameOrPath: "m" });
 * console.assert(j.peft_type === "LORA" && j.r === 16 && (j.target_modules as string[]).length === 7);
 * ```
 */
export function peftAdapterConfig(
  config: LoraConfig,
  options: { baseModelNameOrPath?: string | null } = {},
): Record<string, unknown> {
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: options.baseModelNameOrPath ?? null,
    bias: "none",
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layer_replication: null,
    layers_pattern: null,
    layers_to_transform: null,
    loftq_config: {},
    lora_alpha: config.loraAlpha,
    lora_dropout: config.loraDropout,
    megatron_config: null,
    megatron_core: "megatron.core",
    modules_to_save: null,
    peft_type: "LORA",
    r: config.r,
    rank_pattern: {},
    revision: null,
    target_modules: [...config.targetModules],
    task_type: "CAUSAL_LM",
    use_dora: false,
    use_rslora: config.useRslora,
  };
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === "object" && Object.keys(v as object).length === 0);

/**
 * Reads a PEFT `adapter_config.json` object into a LoRA config, refusing what this
 * implementation does not run (DoRA, biases, per-layer ranks, layer subsets, extra modules).
 *
 * @param json The parsed file.
 * @param file The file's path, named in errors.
 * @returns The config and `base_model_name_or_path`.
 * @throws {RangeError} naming the file and the field.
 * @example
 * ```ts
 * import { parsePeftAdapterConfig } from "@wpo/llama";
 * const { config } = parsePeftAdapterConfig({ peft_type: "LORA", r: 4, lora_alpha: 8,
 *   target_modules: ["q_proj", "v_proj"] }, "adapter_config.json");
 * console.assert(config.r === 4 && config.targetModules.join() === "q_proj,v_proj");
 * ```
 */
export function parsePeftAdapterConfig(
  json: Record<string, unknown>,
  file: string,
): { config: LoraConfig; baseModelNameOrPath: string | undefined } {
  const bad = (what: string) => new RangeError(`${file}: ${what}.`);
  if (json.peft_type !== "LORA") throw bad(`peft_type must be "LORA", got ${JSON.stringify(json.peft_type)}`);
  if (json.task_type !== undefined && json.task_type !== null && json.task_type !== "CAUSAL_LM")
    throw bad(`task_type must be "CAUSAL_LM", got ${JSON.stringify(json.task_type)}`);
  if (json.use_dora === true) throw bad("use_dora (DoRA) adapters are not supported");
  if (json.bias !== undefined && json.bias !== "none")
    throw bad(`bias must be "none", got ${JSON.stringify(json.bias)}`);
  if (json.fan_in_fan_out === true) throw bad("fan_in_fan_out adapters are not supported");
  for (const k of [
    "rank_pattern",
    "alpha_pattern",
    "layers_to_transform",
    "modules_to_save",
    "layer_replication",
  ])
    if (!isEmpty(json[k])) throw bad(`${k} is not supported (got ${JSON.stringify(json[k])})`);
  const targets = json.target_modules;
  if (typeof targets !== "string" && !Array.isArray(targets))
    throw bad(`target_modules must be a list of module names, got ${JSON.stringify(targets)}`);
  const num = (k: string): number | undefined => {
    const v = json[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number") throw bad(`${k} must be a number, got ${JSON.stringify(v)}`);
    return v;
  };
  const r = num("r");
  const config = resolveLoraConfig(
    {
      ...(r !== undefined ? { r } : {}),
      loraAlpha: num("lora_alpha") ?? 8,
      loraDropout: num("lora_dropout") ?? 0,
      targetModules: targets as string | string[],
      useRslora: json.use_rslora === true,
    },
    file,
  );
  const base = json.base_model_name_or_path;
  return { config, baseModelNameOrPath: typeof base === "string" ? base : undefined };
}
