import {
  checkLossOptions,
  getLoss,
  listLosses,
  mixLosses,
  type PreferenceLoss,
  type PreferenceLossOptions,
} from "@wpo/losses";
import type { TrainOptions } from "./train_options.ts";

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The loss flags of `wpo train`, resolved: what the trainer config takes. */
export interface LossFlags {
  /** `--loss_type` (one name, or names separated by commas). */
  lossType: string;
  /** `--loss_weights`, one per name (undefined: all 1). */
  lossWeights: number[] | undefined;
  /** `--loss_options` in the loss's names (snake_case keys turned camelCase), plus `--beta` / `--label_smoothing`. */
  lossOptions: PreferenceLossOptions;
  /** The loss (a mixture for several names). */
  loss: PreferenceLoss;
}

/**
 * Reads and checks the loss flags of `wpo train`: `--loss_type sigmoid,sft --loss_weights 1,1` (a TRL-style
 * mixture), `--loss_options '{"gamma_beta_ratio":0.5}'` (JSON; TRL's snake_case names or the loss's camelCase
 * ones), `--beta`, `--label_smoothing` (they win over the same keys in `--loss_options`). Every option must be
 * one the loss declares.
 *
 * @param o Resolved `wpo train` options.
 * @returns The loss, its options and the mixture weights.
 * @throws {SyntaxError} for `--loss_options` that is not a JSON object; {RangeError} for an unknown loss or
 * option, or weights that do not match the losses; {TypeError} for a value that is not a number.
 * @example
 * ```ts
 * import { lossFlags } from "@wpo/cli";
 * const f = lossFlags({ loss_type: "simpo", loss_options: '{"gamma_beta_ratio":0.5}', beta: 2.5 });
 * console.assert(f.lossOptions.gammaBetaRatio === 0.5 && f.lossOptions.beta === 2.5);
 * console.assert(lossFlags({ loss_type: "sigmoid,sft", loss_weights: "1,0.5" }).loss.name === "sigmoid+sft");
 * ```
 */
export function lossFlags(o: TrainOptions): LossFlags {
  const lossType = String(o.loss_type ?? "sigmoid");
  const names = lossType.split(",").map((n) => n.trim());
  let lossWeights: number[] | undefined;
  if (typeof o.loss_weights === "string" && o.loss_weights.trim() !== "") {
    lossWeights = o.loss_weights.split(",").map((w) => {
      const v = Number(w);
      if (w.trim() === "" || !Number.isFinite(v)) {
        throw new TypeError(
          `Option --loss_weights expects numbers separated by commas, got '${o.loss_weights}'.`,
        );
      }
      return v;
    });
    if (lossWeights.length !== names.length) {
      throw new RangeError(
        `Option --loss_weights has ${lossWeights.length} weights for the ${names.length} losses of --loss_type ${lossType}: give one per loss.`,
      );
    }
  }
  const loss =
    names.length === 1 && lossWeights === undefined
      ? getLoss(names[0]!)
      : mixLosses(names.map((name, i) => ({ loss: getLoss(name), weight: lossWeights?.[i] ?? 1 })));
  const lossOptions: PreferenceLossOptions = {};
  if (typeof o.loss_options === "string" && o.loss_options.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.loss_options);
    } catch (error) {
      throw new SyntaxError(`Option --loss_options is not JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new SyntaxError(
        `Option --loss_options must be a JSON object such as '{"beta":0.1}', got ${o.loss_options}.`,
      );
    }
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value !== "number") {
        throw new TypeError(
          `Option --loss_options: '${key}' must be a number, got ${JSON.stringify(value)}.`,
        );
      }
      lossOptions[camel(key)] = value;
    }
  }
  if (typeof o.beta === "number") lossOptions.beta = o.beta;
  if (typeof o.label_smoothing === "number") lossOptions.labelSmoothing = o.label_smoothing;
  try {
    checkLossOptions(loss, lossOptions);
  } catch (error) {
    throw new RangeError(`Option --loss_options: ${(error as Error).message}`);
  }
  return { lossType, lossWeights, lossOptions, loss };
}

/**
 * The text of `wpo train --list-losses`: every registered loss with its summary, whether it needs a reference
 * model, and each option with its default (snake_case, as `--loss_options` takes them).
 *
 * @returns Lines of text.
 * @example
 * ```ts
 * import { formatLossList } from "@wpo/cli";
 * const text = formatLossList().join("\n");
 * console.assert(text.includes("simpo") && text.includes("gamma_beta_ratio = 0.25"));
 * ```
 */
export function formatLossList(): string[] {
  const lines = [
    "Preference losses (--loss_type NAME, or NAME,NAME with --loss_weights W,W for a mixture such as sigmoid,sft = RPO).",
    "Options: --beta, --label_smoothing, or --loss_options '{\"name\": value}' (unset: the defaults below).",
    "",
  ];
  for (const name of listLosses()) {
    const loss = getLoss(name);
    const tags = [loss.usesReference ? "uses a reference model" : "reference-free"];
    if (loss.batchCoupled) tags.push("batch-coupled");
    lines.push(`${name}: ${loss.summary} (${tags.join(", ")}; ${loss.paper})`);
    for (const [key, help] of Object.entries(loss.optionHelp)) {
      const value = loss.defaults[key];
      const shown = value === undefined ? "no default" : `= ${String(value)}`;
      lines.push(`    ${snake(key)} ${shown}   ${help}`);
    }
  }
  return lines;
}
