import type { PreferenceLoss } from "../preference_loss.ts";
import { sigmoidLoss } from "./sigmoid.ts";
import { robustLoss } from "./robust.ts";
import { hingeLoss } from "./hinge.ts";
import { ipoLoss } from "./ipo.ts";
import { exoPairLoss } from "./exo_pair.ts";
import { ncaPairLoss } from "./nca_pair.ts";
import { bcoPairLoss } from "./bco_pair.ts";
import { sppoHardLoss } from "./sppo_hard.ts";
import { aotLoss } from "./aot.ts";
import { aotPairLoss } from "./aot_pair.ts";
import { apoZeroLoss } from "./apo_zero.ts";
import { apoDownLoss } from "./apo_down.ts";
import { discopopLoss } from "./discopop.ts";
import { sigmoidNormLoss } from "./sigmoid_norm.ts";
import { simpoLoss } from "./simpo.ts";
import { cpoLoss } from "./cpo.ts";
import { orpoLoss } from "./orpo.ts";
import { sftLoss } from "./sft.ts";

/** Every built-in preference loss, in the order of `docs/losses.md`. */
export const BUILTIN_LOSSES: readonly PreferenceLoss[] = [
  sigmoidLoss,
  robustLoss,
  hingeLoss,
  ipoLoss,
  exoPairLoss,
  ncaPairLoss,
  bcoPairLoss,
  sppoHardLoss,
  aotLoss,
  aotPairLoss,
  apoZeroLoss,
  apoDownLoss,
  discopopLoss,
  sigmoidNormLoss,
  simpoLoss,
  cpoLoss,
  orpoLoss,
  sftLoss,
];

export { sigmoidLoss } from "./sigmoid.ts";
export { robustLoss } from "./robust.ts";
export { hingeLoss } from "./hinge.ts";
export { ipoLoss } from "./ipo.ts";
export { exoPairLoss } from "./exo_pair.ts";
export { ncaPairLoss } from "./nca_pair.ts";
export { bcoPairLoss } from "./bco_pair.ts";
export { type RunningBcoPairLoss, runningBcoPairLoss } from "./bco_pair_running.ts";
export { sppoHardLoss } from "./sppo_hard.ts";
export { aotLoss } from "./aot.ts";
export { aotPairLoss } from "./aot_pair.ts";
export { apoZeroLoss } from "./apo_zero.ts";
export { apoDownLoss } from "./apo_down.ts";
export { discopopLoss } from "./discopop.ts";
export { sigmoidNormLoss } from "./sigmoid_norm.ts";
export { simpoLoss } from "./simpo.ts";
export { cpoLoss } from "./cpo.ts";
export { orpoLoss } from "./orpo.ts";
export { sftLoss } from "./sft.ts";
