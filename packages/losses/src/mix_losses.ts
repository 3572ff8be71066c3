import * as tf from "@tensorflow/tfjs-core";
import type {
  PreferenceInputs,
  PreferenceLoss,
  PreferenceLossOptions,
  PreferenceLossOutput,
} from "./preference_loss.ts";
import { getLoss } from "./registry.ts";

/** One term of {@linkcode mixLosses}. */
export interface LossTerm {
  /** A loss or its registry name. */
  loss: PreferenceLoss | string;
  /** Multiplier of this term's per-pair losses. Default 1. */
  weight?: number;
  /** Options of this term (call-time options override them). */
  options?: PreferenceLossOptions;
}

/** Options of {@linkcode mixLosses}. */
export interface MixLossesOptions {
  /** Name of the mixture. Default: the term names joined by `+`. */
  name?: string;
}

/**
 * A loss whose per-pair value is Σ_k weight_k · ℓ_k (rewards from the first term): RPO is
 * `mixLosses([{ loss: "sigmoid" }, { loss: "sft", weight: alpha }])` (TRL 0.10–0.28's `ℓ + rpo_alpha·NLL`;
 * TRL 0.9.6 weighted the DPO term instead: weights `[alpha, 1]`). Register it to use it by name.
 *
 * @param terms The losses and their weights; at least one.
 * @param options `name`.
 * @returns The mixed PreferenceLoss.
 * @throws {RangeError} for no terms, a non-finite weight or an unknown loss name.
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { logpStats, mixLosses } from "@wpo/losses";
 * await initBackend("cpu");
 * const rpo = mixLosses([{ loss: "sigmoid" }, { loss: "sft", weight: 0.5 }]);
 * const side = logpStats([-4], [2]); // ln 2 + 0.5 · (4 / 2)
 * const { losses } = rpo.compute({ policyChosen: side, policyRejected: side, referenceChosen: side, referenceRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (Math.LN2 + 1)) < 1e-6);
 * ```
 */
export function mixLosses(terms: LossTerm[], options: MixLossesOptions = {}): PreferenceLoss {
  if (!Array.isArray(terms) || terms.length === 0) throw new RangeError("mixLosses needs at least one term.");
  const resolved = terms.map((t) => {
    const weight = t.weight ?? 1;
    if (!Number.isFinite(weight)) throw new RangeError(`Expected a finite term weight, got ${weight}.`);
    return { loss: typeof t.loss === "string" ? getLoss(t.loss) : t.loss, weight, options: t.options ?? {} };
  });
  const first = resolved[0]!;
  return {
    name: options.name ?? resolved.map((t) => t.loss.name).join("+"),
    summary: `Weighted sum of ${resolved.map((t) => `${t.weight}·${t.loss.name}`).join(" + ")}.`,
    paper: first.loss.paper,
    usesReference: resolved.some((t) => t.loss.usesReference),
    batchCoupled: resolved.some((t) => t.loss.batchCoupled),
    defaults: Object.assign(
      {},
      ...[...resolved].reverse().map((t) => ({ ...t.loss.defaults, ...t.options })),
    ),
    optionHelp: Object.assign({}, ...[...resolved].reverse().map((t) => t.loss.optionHelp)),
    compute(inputs: PreferenceInputs, callOptions: PreferenceLossOptions = {}): PreferenceLossOutput {
      return tf.tidy(() => {
        const outs = resolved.map((t) => t.loss.compute(inputs, { ...t.options, ...callOptions }));
        const parts = outs.map((o, i) => tf.mul(o.losses, resolved[i]!.weight));
        return {
          losses: (parts.length === 1 ? parts[0]! : tf.addN(parts)) as tf.Tensor1D,
          chosenRewards: outs[0]!.chosenRewards,
          rejectedRewards: outs[0]!.rejectedRewards,
        };
      });
    },
  };
}
