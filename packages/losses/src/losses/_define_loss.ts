import * as tf from "@tensorflow/tfjs-core";
import { detach } from "../detach.ts";
import type {
  LogpStats,
  PreferenceInputs,
  PreferenceLoss,
  PreferenceLossOptions,
} from "../preference_loss.ts";

/** Resolved inputs handed to a loss body: sums, means and counts of the four sides (reference 0 when absent). */
export interface LossContext {
  pc: tf.Tensor1D;
  pr: tf.Tensor1D;
  rc: tf.Tensor1D;
  rr: tf.Tensor1D;
  pcMean: tf.Tensor1D;
  prMean: tf.Tensor1D;
  rcMean: tf.Tensor1D;
  rrMean: tf.Tensor1D;
  nc: tf.Tensor1D;
  nr: tf.Tensor1D;
  o: Required<Pick<PreferenceLossOptions, "beta" | "labelSmoothing">> & PreferenceLossOptions;
}

/** What a loss body returns; rewards default to β·(policy − reference) sums. */
export interface LossBodyResult {
  losses: tf.Tensor;
  chosenRewards?: tf.Tensor;
  rejectedRewards?: tf.Tensor;
}

/** Description of a loss for {@linkcode defineLoss}. */
export interface LossSpec extends Omit<PreferenceLoss, "compute" | "optionHelp"> {
  /** Largest allowed label smoothing (exclusive). Default 1. */
  maxLabelSmoothing?: number;
  /**
   * One line for each option of this loss that {@linkcode OPTION_HELP} does not describe (a new option), and for
   * options without a default. Every key of `defaults` must be described here or there.
   */
  optionHelp?: Readonly<Record<string, string>>;
  body(ctx: LossContext): LossBodyResult;
}

/** Help of the options several losses share (TRL's names in snake_case: `label_smoothing`, ...). */
export const OPTION_HELP: Readonly<Record<string, string>> = {
  beta: "β: inverse temperature of the implicit reward",
  labelSmoothing: "ε: label smoothing (probability that a preference label is flipped)",
  gammaBetaRatio: "SimPO γ/β: the target reward margin divided by β",
  discopopTau: "DiscoPOP τ: temperature of the log-ratio modulation",
  nllWeight: "weight α of the NLL term on the chosen responses (TRL's cpo_alpha)",
};

/** The help of every option a loss declares; throws when one is undescribed. */
function describeOptions(spec: LossSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(spec.defaults)) {
    const help = spec.optionHelp?.[key] ?? OPTION_HELP[key];
    if (help === undefined) {
      throw new TypeError(
        `Loss '${spec.name}': option '${key}' has a default but no help: add it to optionHelp.`,
      );
    }
    out[key] = help;
  }
  return { ...out, ...spec.optionHelp };
}

function checkStats(stats: LogpStats | undefined, name: string, b: number): void {
  if (stats === undefined) return;
  for (const key of ["sum", "mean", "count"] as const) {
    const t = stats[key];
    if (!(t instanceof tf.Tensor) || t.rank !== 1 || t.shape[0] !== b) {
      const got = t instanceof tf.Tensor ? `[${t.shape.join(", ")}]` : typeof t;
      throw new TypeError(
        `Expected '${name}.${key}' to be a [${b}] tensor (one value per pair), got ${got}.`,
      );
    }
  }
}

/** Builds a {@linkcode PreferenceLoss} from a body: merges defaults, validates inputs and options, detaches rewards. */
export function defineLoss(spec: LossSpec): PreferenceLoss {
  const { body, maxLabelSmoothing = 1, optionHelp: _, ...meta } = spec;
  if (!(typeof spec.defaults.beta === "number" && spec.defaults.beta > 0)) {
    throw new TypeError(`Loss '${spec.name}': declare its published default 'beta' in 'defaults'.`);
  }
  return {
    ...meta,
    optionHelp: describeOptions(spec),
    compute(inputs: PreferenceInputs, options: PreferenceLossOptions = {}) {
      const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
      const o = { labelSmoothing: 0, ...spec.defaults, ...given } as LossContext["o"];
      if (!(Number.isFinite(o.beta) && o.beta > 0)) {
        throw new RangeError(`Loss '${spec.name}': 'beta' must be a positive finite number, got ${o.beta}.`);
      }
      if (!(o.labelSmoothing >= 0 && o.labelSmoothing < maxLabelSmoothing)) {
        throw new RangeError(
          `Loss '${spec.name}': 'labelSmoothing' must be in [0, ${maxLabelSmoothing}), got ${o.labelSmoothing}.`,
        );
      }
      const b = inputs?.policyChosen?.sum?.shape?.[0];
      if (b === undefined)
        throw new TypeError(`Loss '${spec.name}': 'inputs.policyChosen.sum' must be a [B] tensor.`);
      checkStats(inputs.policyChosen, "policyChosen", b);
      checkStats(inputs.policyRejected, "policyRejected", b);
      checkStats(inputs.referenceChosen, "referenceChosen", b);
      checkStats(inputs.referenceRejected, "referenceRejected", b);
      return tf.tidy(() => {
        const zeros = tf.zeros([b]) as tf.Tensor1D;
        const ctx: LossContext = {
          pc: inputs.policyChosen.sum,
          pr: inputs.policyRejected.sum,
          rc: inputs.referenceChosen?.sum ?? zeros,
          rr: inputs.referenceRejected?.sum ?? zeros,
          pcMean: inputs.policyChosen.mean,
          prMean: inputs.policyRejected.mean,
          rcMean: inputs.referenceChosen?.mean ?? zeros,
          rrMean: inputs.referenceRejected?.mean ?? zeros,
          nc: inputs.policyChosen.count,
          nr: inputs.policyRejected.count,
          o,
        };
        const out = body(ctx);
        const beta = tf.scalar(o.beta);
        const chosen = out.chosenRewards ?? tf.mul(beta, tf.sub(ctx.pc, ctx.rc));
        const rejected = out.rejectedRewards ?? tf.mul(beta, tf.sub(ctx.pr, ctx.rr));
        return {
          losses: tf.reshape(out.losses, [b]) as tf.Tensor1D,
          chosenRewards: detach(chosen as tf.Tensor1D),
          rejectedRewards: detach(rejected as tf.Tensor1D),
        };
      });
    },
  };
}
