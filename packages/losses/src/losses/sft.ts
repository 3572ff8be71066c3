import { defineLoss } from "./_define_loss.ts";
import { batchNll } from "./_math.ts";

/**
 * `sft` — SFT / NLL: token-mean negative log-likelihood of the chosen responses over the batch (RPO's term).
 *
 * ℓ = −Σ_i π_c,i / Σ_i n_c,i (same value for every pair); rewards β·(π − ref).
 * Defaults: `{ beta: 0.1 }`. Paper: https://arxiv.org/abs/2404.19733
 *
 * @param inputs Policy (and reference) log-probs of chosen and rejected, each [B] (see `PreferenceInputs`).
 * @param options Hyper-parameters overriding the defaults.
 * @returns Per-pair losses [B] and detached chosen / rejected rewards [B].
 *
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { sftLoss, logpStats } from "@wpo/losses";
 * await initBackend("cpu");
 * const side = logpStats([-10, -5], [2, 2]); // NLL of the chosen side: 15 / 4 = 3.75
 * const { losses } = sftLoss.compute({ policyChosen: side, policyRejected: side });
 * console.assert(Math.abs((await losses.data())[0]! - (3.75)) < 1e-5);
 * ```
 */
export const sftLoss = defineLoss({
  name: "sft",
  summary:
    "SFT / NLL: token-mean negative log-likelihood of the chosen responses over the batch (RPO's term).",
  paper: "https://arxiv.org/abs/2404.19733",
  usesReference: false,
  batchCoupled: true,
  defaults: { beta: 0.1 },
  body: ({ pc, nc }) => {
    return { losses: batchNll(pc, nc) };
  },
});
