import { BUILTIN_LOSSES } from "./builtin_losses.ts";
import type { PreferenceLoss } from "./preference_loss.ts";

const registry = new Map<string, PreferenceLoss>(BUILTIN_LOSSES.map((loss) => [loss.name, loss]));

/** Options of {@linkcode registerLoss}. */
export interface RegisterLossOptions {
  /** Replace a loss already registered under the same name. Default false (a duplicate is an error). */
  override?: boolean;
}

/**
 * Returns the preference loss registered under `name` (built-ins: see {@linkcode listLosses}).
 *
 * @param name Registry name, e.g. `sigmoid`, `ipo`, `simpo`.
 * @returns The loss.
 * @throws {RangeError} for an unknown name, listing the known ones.
 *
 * @example
 * ```ts
 * import { getLoss } from "@wpo/losses";
 * console.assert(getLoss("sigmoid").defaults.beta === 0.1);
 * ```
 */
export function getLoss(name: string): PreferenceLoss {
  const loss = registry.get(name);
  if (loss === undefined) {
    throw new RangeError(
      `Unknown preference loss '${name}': choose one of ${[...registry.keys()].join(", ")}, or registerLoss() it.`,
    );
  }
  return loss;
}

/**
 * Adds a preference loss to the registry so that `getLoss(loss.name)` finds it.
 *
 * @param loss The loss (see `PreferenceLoss`; `defineLoss`-style objects with name, defaults and compute).
 * @param options `override` to replace an existing entry.
 * @returns Nothing.
 * @throws {TypeError} when `loss` lacks a name or compute; {RangeError} when the name is taken and not overridden.
 *
 * @example
 * ```ts
 * import { getLoss, listLosses, registerLoss } from "@wpo/losses";
 * registerLoss({ ...getLoss("sigmoid"), name: "my_dpo" });
 * console.assert(listLosses().includes("my_dpo"));
 * ```
 */
export function registerLoss(loss: PreferenceLoss, options: RegisterLossOptions = {}): void {
  if (typeof loss?.name !== "string" || loss.name === "" || typeof loss.compute !== "function") {
    throw new TypeError("Expected a PreferenceLoss with a non-empty 'name' and a 'compute' function.");
  }
  if (registry.has(loss.name) && !options.override) {
    throw new RangeError(
      `A loss named '${loss.name}' is already registered: pass { override: true } to replace it.`,
    );
  }
  registry.set(loss.name, loss);
}

/**
 * Names of all registered losses, built-ins first.
 *
 * @returns The names, in registration order.
 *
 * @example
 * ```ts
 * import { listLosses } from "@wpo/losses";
 * console.assert(listLosses()[0] === "sigmoid");
 * ```
 */
export function listLosses(): string[] {
  return [...registry.keys()];
}
