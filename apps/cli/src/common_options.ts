import type { OptionSpec } from "./cli_args.ts";

/**
 * `--backend`: the TensorFlow.js backend every model-running command accepts.
 *
 * @example
 * ```ts
 * import { BACKEND_OPTION } from "@wpo/cli";
 * console.assert(BACKEND_OPTION.backend.default === "auto");
 * ```
 */
export const BACKEND_OPTION = {
  backend: {
    kind: ["auto", "cpu", "wasm", "native", "webgpu", "tensorflow"],
    default: "auto",
    help: "TensorFlow.js backend",
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * `--verbose` and `--help`, accepted by every command.
 *
 * @example
 * ```ts
 * import { COMMON_OPTIONS } from "@wpo/cli";
 * console.assert(COMMON_OPTIONS.verbose.default === false);
 * ```
 */
export const COMMON_OPTIONS = {
  verbose: { kind: "bool", default: false, help: "print stack traces on errors" },
  help: { kind: "bool", help: "show this help" },
} as const satisfies Record<string, OptionSpec>;

/**
 * `--adapter DIR`: a PEFT LoRA adapter folder (`adapter_config.json` + `adapter_model.safetensors`)
 * applied to `--model`.
 *
 * @example
 * ```ts
 * import { ADAPTER_OPTION } from "@wpo/cli";
 * console.assert(ADAPTER_OPTION.adapter.kind === "string");
 * ```
 */
export const ADAPTER_OPTION = {
  adapter: { kind: "string", help: "PEFT LoRA adapter folder applied to --model" },
} as const satisfies Record<string, OptionSpec>;
