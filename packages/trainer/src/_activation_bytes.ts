import type { LlamaConfig } from "@wpo/llama";
import type { PlanBackend } from "./memory_plan.ts";

/** Options of {@linkcode activationBytes}. */
export interface ActivationShape {
  /** Sequences in the micro-batch (2 per pair). */
  sequences: number;
  /** Tokens per sequence. */
  tokens: number;
  /** Each decoder layer recomputed in the backward pass. */
  checkpointing: boolean;
  /** Attention memory linear in the sequence length. */
  linearAttention: boolean;
  /** The backend (wasm's heap fragments more than typed arrays). */
  backend: PlanBackend;
}

/**
 * Floats one decoder layer allocates per token in its forward pass: the projections and their head
 * transposes, RoPE, norms, residual adds and SwiGLU (E, KV and I terms); the attention scores and
 * probabilities add H·T per token unless the attention is linear in T.
 */
function forwardFloatsPerToken(c: LlamaConfig, tokens: number, linearAttention: boolean): number {
  const e = c.hiddenSize;
  const kv = c.numKeyValueHeads * c.headDim;
  const attention = linearAttention ? 0 : c.numAttentionHeads * tokens;
  return 15 * e + 5 * kv + 5 * c.intermediateSize + attention;
}

/**
 * tfjs autodiff keeps every forward intermediate and the gradient of each one until the backward pass
 * ends, so a layer costs about twice its forward floats, plus allocator slack (measured on wasm's heap:
 * 2.4 x for the bench shapes; typed-array backends return freed memory and need less).
 */
const TAPE_FACTOR: Record<PlanBackend, number> = {
  wasm: 2.4,
  cpu: 2.2,
  native: 2.2,
  webgpu: 2.2,
  tensorflow: 2.2,
};

/** Bytes of activations a micro-batch's forward + backward holds at its peak. */
export function activationBytes(c: LlamaConfig, s: ActivationShape): number {
  const tokens = s.sequences * s.tokens;
  const layer = forwardFloatsPerToken(c, s.tokens, s.linearAttention) * TAPE_FACTOR[s.backend];
  // Embedding output, final norm, hidden states and their gradients; the vocabulary pass is chunked
  // (at most 2^22 floats a slice, 2^23 kept softmax floats).
  const head = 6 * c.hiddenSize * tokens + 3 * 2 ** 22;
  if (!s.checkpointing) return 4 * (tokens * layer * c.numHiddenLayers + head);
  // Checkpointed: each layer keeps its input and its output gradient; one layer is recomputed at a time.
  const kept = 2 * c.hiddenSize * tokens * c.numHiddenLayers;
  return 4 * (kept + tokens * layer + head);
}

/** The largest activation tensor: attention scores [N, H, T, T] (or a tile of them), or an MLP output. */
export function largestActivationBytes(
  c: LlamaConfig,
  sequences: number,
  tokens: number,
  linearAttention: boolean,
): { bytes: number; what: string } {
  const scoreRows = linearAttention ? Math.min(tokens, 256) : tokens;
  const scores = 4 * sequences * c.numAttentionHeads * scoreRows * tokens;
  const mlp = 4 * sequences * tokens * c.intermediateSize;
  return scores >= mlp
    ? {
        bytes: scores,
        what: `attention scores [${sequences}, ${c.numAttentionHeads}, ${scoreRows}, ${tokens}]`,
      }
    : { bytes: mlp, what: `MLP activations [${sequences}, ${tokens}, ${c.intermediateSize}]` };
}
