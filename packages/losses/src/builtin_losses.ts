import * as exported from "./losses/mod.ts";
import type { PreferenceLoss } from "./preference_loss.ts";

function isLoss(value: unknown): value is PreferenceLoss {
  return (
    typeof value === "object" && value !== null && typeof (value as PreferenceLoss).compute === "function"
  );
}

/**
 * Every built-in preference loss: whatever `losses/mod.ts` exports, DPO's `sigmoid` (the default) first, then by
 * name. Adding a loss file and its export line is all it takes to register it.
 */
export const BUILTIN_LOSSES: readonly PreferenceLoss[] = Object.values(exported)
  .filter(isLoss)
  .sort((a, b) => (a.name === "sigmoid" ? -1 : b.name === "sigmoid" ? 1 : a.name < b.name ? -1 : 1));
