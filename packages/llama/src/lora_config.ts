/** The projections of a Llama decoder layer that can carry a LoRA adapter, and their sub-module. */
const PROJECTIONS = {
  q_proj: "self_attn",
  k_proj: "self_attn",
  v_proj: "self_attn",
  o_proj: "self_attn",
  gate_proj: "mlp",
  up_proj: "mlp",
  down_proj: "mlp",
} as const;

/** A projection name LoRA can target (`q_proj` ... `down_proj`). */
export type LoraTargetModule = keyof typeof PROJECTIONS;

/** Every linear layer of a Llama decoder block: what PEFT's `all-linear` selects (the lm_head is excluded). */
export const LORA_ALL_LINEAR: readonly LoraTargetModule[] = Object.freeze(
  Object.keys(PROJECTIONS) as LoraTargetModule[],
);

/** Settings of a LoRA adapter, PEFT's `LoraConfig` names in camelCase. */
export interface LoraConfig {
  /** Rank r (integer >= 1). */
  r: number;
  /** lora_alpha: the scale is alpha / r (alpha / sqrt(r) with `useRslora`). */
  loraAlpha: number;
  /** Dropout on the adapter branch's input, in training only (0 <= p < 1). */
  loraDropout: number;
  /** The projections that carry an adapter, in model order. */
  targetModules: LoraTargetModule[];
  /** Rank-stabilised scaling alpha / sqrt(r). */
  useRslora: boolean;
}

/** What {@linkcode resolveLoraConfig} accepts: `targetModules` may be `"all-linear"` or a comma list. */
export interface LoraConfigInput {
  r?: number;
  loraAlpha?: number;
  loraDropout?: number;
  targetModules?: string | readonly string[];
  useRslora?: boolean;
}

/**
 * Fills PEFT's defaults (r 8, alpha 8, dropout 0, all-linear, no rsLoRA) and checks every
 * field; `targetModules` accepts `"all-linear"`, a comma-separated string or a list.
 *
 * @param input Partial settings.
 * @param where Names the source in error messages (e.g. a file path).
 * @returns A complete config.
 * @throws {RangeError} for r <= 0, a bad alpha or dropout, or an unknown module name.
 * @example
 * ```ts
 * import { resolveLoraConfig } from "@wpo/llama";
 * const c = resolveLoraConfig({ r: 4, targetModules: "v_proj,q_proj" });
 * console.assert(c.targetModules.join() === "q_proj,v_proj" && c.loraAlpha === 8);
 * ```
 */
export function resolveLoraConfig(input: LoraConfigInput = {}, where = "LoRA config"): LoraConfig {
  const r = input.r ?? 8;
  if (!Number.isInteger(r) || r <= 0) throw new RangeError(`${where}: r must be an integer >= 1, got ${r}.`);
  const loraAlpha = input.loraAlpha ?? 8;
  if (!Number.isFinite(loraAlpha) || loraAlpha <= 0)
    throw new RangeError(`${where}: lora_alpha must be a number > 0, got ${loraAlpha}.`);
  const loraDropout = input.loraDropout ?? 0;
  if (!Number.isFinite(loraDropout) || loraDropout < 0 || loraDropout >= 1)
    throw new RangeError(`${where}: lora_dropout must be in [0, 1), got ${loraDropout}.`);
  return {
    r,
    loraAlpha,
    loraDropout,
    targetModules: parseTargetModules(input.targetModules ?? "all-linear", where),
    useRslora: input.useRslora ?? false,
  };
}

/**
 * Parses a target-module list: `"all-linear"`, `"q_proj,v_proj"` or `["q_proj", "v_proj"]`
 * (PEFT also accepts dotted suffixes such as `self_attn.q_proj`).
 *
 * @param spec The list.
 * @param where Names the source in error messages.
 * @returns The modules, in model order, without repeats.
 * @throws {RangeError} naming an unknown module.
 * @example
 * ```ts
 * import { parseTargetModules } from "@wpo/llama";
 * console.assert(parseTargetModules("all-linear").length === 7);
 * ```
 */
export function parseTargetModules(
  spec: string | readonly string[],
  where = "LoRA config",
): LoraTargetModule[] {
  const names = typeof spec === "string" ? spec.split(",") : [...spec];
  const chosen = new Set<LoraTargetModule>();
  for (const raw of names) {
    const name = raw.trim();
    if (name === "") continue;
    if (name === "all-linear") {
      for (const m of LORA_ALL_LINEAR) chosen.add(m);
      continue;
    }
    const last = name.split(".").pop()!;
    const parent = name.includes(".") ? name.split(".").slice(-2)[0] : undefined;
    if (
      !(last in PROJECTIONS) ||
      (parent !== undefined && PROJECTIONS[last as LoraTargetModule] !== parent)
    ) {
      throw new RangeError(
        `${where}: unknown target module '${name}'; a Llama has ${LORA_ALL_LINEAR.join(", ")} (or all-linear).`,
      );
    }
    chosen.add(last as LoraTargetModule);
  }
  if (chosen.size === 0) throw new RangeError(`${where}: target_modules is empty.`);
  return LORA_ALL_LINEAR.filter((m) => chosen.has(m));
}

/**
 * The adapter's scale: alpha / r, or alpha / sqrt(r) with rsLoRA.
 *
 * @param config The LoRA config.
 * @returns The factor applied to the adapter branch.
 * @example
 * ```ts
 * import { loraScale, resolveLoraConfig } from "@wpo/llama";
 * console.assert(loraScale(resolveLoraConfig({ r: 16, loraAlpha: 32 })) === 2);
 * console.assert(loraScale(resolveLoraConfig({ r: 16, loraAlpha: 32, useRslora: true })) === 8);
 * ```
 */
export function loraScale(config: LoraConfig): number {
  return config.useRslora ? config.loraAlpha / Math.sqrt(config.r) : config.loraAlpha / config.r;
}

/**
 * The sub-module path of a projection inside a decoder layer, e.g. `self_attn.q_proj`.
 *
 * @param module The projection.
 * @returns `self_attn.<m>` or `mlp.<m>`.
 * @example
 * ```ts
 * import { loraModulePath } from "@wpo/llama";
 * console.assert(loraModulePath("down_proj") === "mlp.down_proj");
 * ```
 */
export function loraModulePath(module: LoraTargetModule): string {
  return `${PROJECTIONS[module]}.${module}`;
}
