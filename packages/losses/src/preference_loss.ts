import type * as tf from "@tensorflow/tfjs-core";

/** Per-sequence log-probability statistics of one side (chosen or rejected), each [B]. */
export interface LogpStats {
  /** Σ of token log-probs over the response (carries the gradient for the policy). */
  sum: tf.Tensor1D;
  /** `sum / count`: the per-token mean (IPO, SimPO, ORPO, sigmoid_norm use it). */
  mean: tf.Tensor1D;
  /** Number of scored tokens. */
  count: tf.Tensor1D;
}

/**
 * What every preference loss takes: the policy's and (optionally) the frozen reference model's log-probs of the
 * chosen and rejected responses of B pairs. Without a reference, losses that use one are reference-free
 * (TRL's `reference_free=True`: reference log-probs 0).
 */
export interface PreferenceInputs {
  policyChosen: LogpStats;
  policyRejected: LogpStats;
  referenceChosen?: LogpStats;
  referenceRejected?: LogpStats;
}

/**
 * Hyper-parameters of the loss family; each loss reads the ones it declares (`defaults`, `optionHelp`) and has its
 * own defaults. A loss may declare options of its own beyond the named ones below.
 */
export interface PreferenceLossOptions {
  /** An option of one loss (see its `optionHelp`). */
  [option: string]: number | tf.Scalar | undefined;
  /** β: inverse temperature of the implicit reward (IPO: τ; ORPO: λ). */
  beta?: number;
  /** ε: label smoothing (cDPO, robust, EXO, AOT, SimPO, CPO); must be in [0, 0.5) for robust. */
  labelSmoothing?: number;
  /** SimPO γ/β, the target reward margin divided by β. */
  gammaBetaRatio?: number;
  /** DiscoPOP τ, the temperature of the log-ratio modulation. */
  discopopTau?: number;
  /** Weight of the NLL term in CPO (`cpo_alpha`). */
  nllWeight?: number;
  /** BCO reward shift δ (a running mean of rewards, see `runningBcoPairLoss`); default: this batch's mean reward. */
  bcoDelta?: number | tf.Scalar;
}

/** Output of a preference loss: per-pair losses (with gradient) and detached rewards, each [B]. */
export interface PreferenceLossOutput {
  losses: tf.Tensor1D;
  chosenRewards: tf.Tensor1D;
  rejectedRewards: tf.Tensor1D;
}

/** A preference loss: one entry of the registry (see `docs/losses.md`). */
export interface PreferenceLoss {
  /** Registry name, as TRL's `loss_type` where TRL has it (e.g. `sigmoid`, `ipo`, `apo_zero`). */
  readonly name: string;
  /** One line: what the loss is. */
  readonly summary: string;
  /** Link to the paper that introduced it. */
  readonly paper: string;
  /** Whether it uses reference log-probs (false: reference-free, e.g. SimPO, ORPO, CPO). */
  readonly usesReference: boolean;
  /** True when a pair's loss depends on other pairs of the batch (sorting, batch means): WPO weights still multiply it. */
  readonly batchCoupled: boolean;
  /** Defaults from the loss's paper / reference implementation; `beta` is always among them. */
  readonly defaults: Readonly<PreferenceLossOptions>;
  /** One line per option the loss reads (every key of `defaults`, plus options without a default). */
  readonly optionHelp: Readonly<Record<string, string>>;
  /** Computes per-pair losses and rewards; tensors returned are new and owned by the caller. */
  compute(inputs: PreferenceInputs, options?: PreferenceLossOptions): PreferenceLossOutput;
}
