import { type LoraConfigInput, resolveLoraConfig } from "@wpo/llama";
import type { OptionSpec } from "./cli_args.ts";

/**
 * The LoRA options of `wpo train` (TRL's `ModelConfig` names and defaults; target modules
 * default to PEFT's choice for Llama, `q_proj,v_proj`).
 *
 * @example
 * ```ts
 * import { LORA_OPTIONS } from "@wpo/cli";
 * console.assert(LORA_OPTIONS.lora_r.default === 16 && LORA_OPTIONS.lora_alpha.default === 32);
 * ```
 */
export const LORA_OPTIONS = {
  use_peft: { kind: "bool", default: false, help: "LoRA: train a PEFT adapter on the frozen model" },
  lora_r: { kind: "int", default: 16, help: "LoRA rank r" },
  lora_alpha: { kind: "number", default: 32, help: "LoRA alpha (scale alpha / r)" },
  lora_dropout: { kind: "number", default: 0.05, help: "dropout on the adapter's input (training only)" },
  lora_target_modules: {
    kind: "string",
    default: "q_proj,v_proj",
    help: "all-linear, or a comma list of q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
  },
  use_rslora: { kind: "bool", default: false, help: "rank-stabilised LoRA: scale alpha / sqrt(r)" },
} as const satisfies Record<string, OptionSpec>;

/**
 * The LoRA config of resolved `wpo train` options, checked, or undefined without `--use_peft`.
 *
 * @param o Resolved options.
 * @returns The config for the trainer's `lora` option.
 * @throws {RangeError} naming the option that is wrong.
 * @example
 * ```ts
 * import { loraFromOptions } from "@wpo/cli";
 * const c = loraFromOptions({ use_peft: true, lora_r: 8, lora_alpha: 16, lora_dropout: 0, lora_target_modules: "all-linear" });
 * console.assert(c!.r === 8 && loraFromOptions({ use_peft: false }) === undefined);
 * ```
 */
export function loraFromOptions(o: Record<string, unknown>): LoraConfigInput | undefined {
  if (!o.use_peft) return undefined;
  const input: LoraConfigInput = {
    r: o.lora_r as number,
    loraAlpha: o.lora_alpha as number,
    loraDropout: o.lora_dropout as number,
    targetModules: o.lora_target_modules as string,
    useRslora: o.use_rslora === true,
  };
  resolveLoraConfig(input, "Options --lora_*");
  return input;
}
