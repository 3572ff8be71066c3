import {
  checkLossOptions,
  getLoss,
  mixLosses,
  type PreferenceLoss,
  type PreferenceLossOptions,
} from "@wpo/losses";
import type { TrainerConfig } from "./trainer_config.ts";

/** The loss of a run and the options it is called with. */
export interface ResolvedLoss {
  loss: PreferenceLoss;
  /** `lossOptions` with `beta` / `labelSmoothing` when set; the loss fills in its own defaults for the rest. */
  options: PreferenceLossOptions;
}

/**
 * The loss named by `lossType` (a registry name, or names separated by commas for a TRL-style mixture weighted by
 * `lossWeights`) and its options, checked against the options the loss declares.
 */
export function resolveLoss(config: TrainerConfig): ResolvedLoss {
  const names = config.lossType.split(",").map((n) => n.trim());
  const weights = config.lossWeights;
  if (weights !== undefined && weights.length !== names.length) {
    throw new RangeError(
      `Trainer config: lossWeights has ${weights.length} weights for ${names.length} loss(es) '${config.lossType}'; give one per loss.`,
    );
  }
  const loss =
    names.length === 1 && weights === undefined
      ? getLoss(names[0]!)
      : mixLosses(names.map((name, i) => ({ loss: getLoss(name), weight: weights?.[i] ?? 1 })));
  const named: PreferenceLossOptions = {};
  if (config.beta !== undefined) named.beta = config.beta;
  if (config.labelSmoothing !== undefined) named.labelSmoothing = config.labelSmoothing;
  return { loss, options: checkLossOptions(loss, { ...config.lossOptions, ...named }) };
}
