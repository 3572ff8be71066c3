import { join } from "#node-only";
import type { LlamaModel } from "@wpo/llama";
import type { PreferenceLoss } from "@wpo/losses";
import { referenceFingerprint } from "./fingerprint.ts";
import {
  liveReference,
  noReference,
  precomputedReference,
  precomputeReferenceTable,
  type ReferenceSource,
  type ReferenceTable,
} from "./reference_logps.ts";
import type { TrainerConfig } from "./trainer_config.ts";
import type { WpoTrainerOptions } from "./wpo_trainer_options.ts";

/** The reference source of a trainer, and the frozen model it owns (to dispose), if any. */
export interface ReferenceSetup {
  reference: ReferenceSource;
  referenceTable: ReferenceTable | undefined;
  ownedReference: LlamaModel | undefined;
  /** The model reference log-probs come from (the given one, the clone, or the adapter-off view), if any. */
  referenceModel: LlamaModel | undefined;
}

/**
 * Chooses the trainer's reference log-probs: none (reference-free loss or mode), a live
 * frozen model, or a table precomputed once (from the checkpoint, the disk cache, or the
 * model). A frozen clone of the policy is made only when a model is actually needed; with a
 * LoRA adapter the reference is the policy with the adapter off (shared weights, no clone).
 */
export async function setupReference(
  policy: LlamaModel,
  args: {
    config: TrainerConfig;
    loss: PreferenceLoss;
    options: WpoTrainerOptions;
    checkpointTable?: ReferenceTable;
  },
): Promise<ReferenceSetup> {
  const { config, loss, options } = args;
  if (config.referenceMode === "none" || !loss.usesReference) {
    return {
      reference: noReference(),
      referenceTable: undefined,
      ownedReference: undefined,
      referenceModel: undefined,
    };
  }
  const hasEval = (options.evalPairs?.length ?? 0) > 0;
  const needModel = config.referenceMode === "live" || !options.resumeFrom || hasEval;
  let ownedReference: LlamaModel | undefined;
  let refModel = options.reference;
  if (!refModel && policy.loraConfig()) refModel = policy.withAdaptersDisabled();
  if (!refModel && needModel) {
    ownedReference = policy.clone({ trainable: false });
    refModel = ownedReference;
  }
  if (config.referenceMode !== "precomputed") {
    return {
      reference: liveReference(refModel!, { chunkSize: config.logpsChunkSize }),
      referenceTable: undefined,
      ownedReference,
      referenceModel: refModel,
    };
  }
  let referenceTable = args.checkpointTable;
  if (!referenceTable) {
    const cacheDir =
      options.referenceCacheDir ?? (options.outputDir ? join(options.outputDir, "cache") : undefined);
    const fingerprint = await referenceFingerprint(refModel!, {
      features: options.trainPairs,
      settings: { chunk: config.logpsChunkSize ?? null, pad: options.padTokenId },
    });
    referenceTable = await precomputeReferenceTable(refModel!, {
      features: options.trainPairs,
      padTokenId: options.padTokenId,
      batchSize: config.perDeviceEvalBatchSize,
      chunkSize: config.logpsChunkSize,
      cacheDir,
      fingerprint,
      onCache: (hit, path) =>
        options.log?.(`reference log-probs ${hit ? "loaded from cache" : "cached"}: ${path}`),
    });
  }
  if (!hasEval) {
    ownedReference?.dispose();
    ownedReference = undefined;
  }
  const referenceModel = options.reference ?? ownedReference ?? (policy.loraConfig() ? refModel : undefined);
  return { reference: precomputedReference(referenceTable), referenceTable, ownedReference, referenceModel };
}
