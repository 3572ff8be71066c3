import type * as tf from "@tensorflow/tfjs-core";

/** A parameter group: which parameters, and their weight decay and learning-rate multiplier. */
export interface AdamWParamGroup {
  /** The group's parameters: a list of names, or a predicate on name and variable. First matching group wins. */
  params: readonly string[] | ((name: string, variable: tf.Variable) => boolean);
  /** Decoupled weight decay of this group. Default: the optimizer's `weightDecay`. */
  weightDecay?: number;
  /** Multiplier on the step's learning rate (torch: a group `lr` of baseLr x lrScale). Default 1. */
  lrScale?: number;
}

/** Options of {@linkcode AdamW} (torch.optim.AdamW's, in camelCase). */
export interface AdamWOptions {
  /** Learning rate used when `step` is called without one. Default 1e-3 (torch). */
  lr?: number;
  /** Coefficients of the running averages of the gradient and its square. Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Added to the bias-corrected sqrt of the second moment. Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay (`p *= 1 - lr * weightDecay`). Default 1e-2 (torch; HF Trainer passes 0). */
  weightDecay?: number;
  /**
   * No weight decay on parameters with fewer than 2 dimensions (norm weights, biases), as the HF Trainer's
   * default grouping does. Default false. Explicit `groups` take precedence.
   */
  noDecayOn1D?: boolean;
  /** Parameter groups; parameters in no group use the optimizer-level settings. */
  groups?: readonly AdamWParamGroup[];
  /**
   * Use the backend's fused update kernel (`ADAMW_UPDATE_KERNEL`, registered on wasm when the native
   * `@wpo/blas` addon loads) when there is one. Same float32 results, one pass over memory. Default true.
   */
  fusedKernel?: boolean;
}

/** The resolved per-parameter settings. */
export interface ResolvedGroup {
  weightDecay: number;
  lrScale: number;
}

function checkNumber(
  value: number,
  what: string,
  min: number,
  maxExclusive = Number.POSITIVE_INFINITY,
): void {
  if (typeof value !== "number" || Number.isNaN(value))
    throw new TypeError(`AdamW: ${what} must be a number.`);
  if (!(value >= min && value < maxExclusive)) {
    throw new RangeError(`AdamW: ${what} must be in [${min}, ${maxExclusive}), got ${value}.`);
  }
}

/** Validates the optimizer-level options (torch's checks) and returns them with defaults. */
export function resolveOptions(options: AdamWOptions): Required<Omit<AdamWOptions, "groups">> & {
  groups: readonly AdamWParamGroup[];
} {
  const {
    lr = 1e-3,
    betas = [0.9, 0.999],
    eps = 1e-8,
    weightDecay = 1e-2,
    noDecayOn1D = false,
    groups = [],
    fusedKernel = true,
  } = options;
  checkNumber(lr, "lr", 0);
  checkNumber(betas[0], "betas[0]", 0, 1);
  checkNumber(betas[1], "betas[1]", 0, 1);
  checkNumber(eps, "eps", 0);
  checkNumber(weightDecay, "weightDecay", 0);
  for (const g of groups) {
    if (g.weightDecay !== undefined) checkNumber(g.weightDecay, "group weightDecay", 0);
    if (g.lrScale !== undefined) checkNumber(g.lrScale, "group lrScale", 0);
  }
  if (typeof fusedKernel !== "boolean") throw new TypeError("AdamW: fusedKernel must be a boolean.");
  return { lr, betas, eps, weightDecay, noDecayOn1D, groups, fusedKernel };
}

/** The group settings of one parameter. */
export function groupOf(
  name: string,
  variable: tf.Variable,
  options: ReturnType<typeof resolveOptions>,
): ResolvedGroup {
  for (const g of options.groups) {
    const hit = typeof g.params === "function" ? g.params(name, variable) : g.params.includes(name);
    if (hit) return { weightDecay: g.weightDecay ?? options.weightDecay, lrScale: g.lrScale ?? 1 };
  }
  const weightDecay = options.noDecayOn1D && variable.rank < 2 ? 0 : options.weightDecay;
  return { weightDecay, lrScale: 1 };
}
