import type { PreferenceLoss, PreferenceLossOptions } from "./preference_loss.ts";

/**
 * Checks options meant for `loss.compute`: every key must be an option the loss declares (`optionHelp`; for a
 * mixture, an option of one of its terms) and every value a finite number (or a tensor), so that a misspelt
 * option is an error instead of being ignored.
 *
 * @param loss The loss the options are for.
 * @param options The options.
 * @returns The options without the keys whose value is undefined.
 * @throws {RangeError} for an option the loss does not have, naming the ones it has; {TypeError} for a value
 * that is not a finite number.
 *
 * @example
 * ```ts
 * import { checkLossOptions, getLoss } from "@wpo/losses";
 * console.assert(checkLossOptions(getLoss("simpo"), { gammaBetaRatio: 0.5 }).gammaBetaRatio === 0.5);
 * let message = "";
 * try { checkLossOptions(getLoss("sigmoid"), { gammaBetaRatio: 0.5 }); } catch (e) { message = String(e); }
 * console.assert(message.includes("has no option 'gammaBetaRatio'"));
 * ```
 */
export function checkLossOptions(
  loss: PreferenceLoss,
  options: PreferenceLossOptions,
): PreferenceLossOptions {
  const known = Object.keys(loss.optionHelp);
  const out: PreferenceLossOptions = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    if (!known.includes(key)) {
      throw new RangeError(
        `Loss '${loss.name}' has no option '${key}': its options are ${known.join(", ")}.`,
      );
    }
    if (typeof value === "number" ? !Number.isFinite(value) : typeof value?.dataSync !== "function") {
      throw new TypeError(
        `Loss '${loss.name}': option '${key}' must be a finite number, got ${String(value)}.`,
      );
    }
    out[key] = value;
  }
  return out;
}
