#!/usr/bin/python3
"""Writes the attention parity fixture of @wpo/llama: packages/llama/fixtures/attention/expected.safetensors.

Run from anywhere:  /usr/bin/python3 tools/reference/attention_ref.py

Grouped-query attention exactly as the reference Llama computes it (`_llama_torch.Attention` after the
projections and RoPE): query head h uses key/value head h // g (g = H / KV), scores q·kᵀ·d^-0.5 plus an
additive bias that is -1e9 where a key is in the future (causal) or is padding, softmax over the keys, times v.
The blocked attention of `_tiled_attention.ts` (query blocks, probabilities recomputed in the backward pass)
must give the same output and the same gradients.

Tensors (float32 throughout, as the reference Llama: in float32 a score plus -1e9 rounds to -1e9, so a fully
masked padding row is uniform over all keys, in PyTorch as in tfjs; float64 would keep the scores):
`q` [B, H, T, d], `k`, `v` [B, KV, T, d], `attention_mask` I32 [B, T] (row 1 right-padded, row 2
left-padded), `probe` [B, H, T, d], `out`, and `grad.q`, `grad.k`, `grad.v` of f = sum(probe * out).
Deterministic: torch.manual_seed(4321).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _llama_torch import MASK_VALUE, write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "packages", "llama", "fixtures", "attention")


def attention(q, k, v, mask):
    b, h, t, d = q.shape
    g = h // k.shape[1]
    k = k.repeat_interleave(g, dim=1)
    v = v.repeat_interleave(g, dim=1)
    allowed = torch.tril(torch.ones(t, t, dtype=torch.bool))[None, None] & mask.bool()[:, None, None, :]
    bias = torch.where(allowed, torch.tensor(0.0, dtype=q.dtype), torch.tensor(MASK_VALUE, dtype=q.dtype))
    p = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * d ** -0.5 + bias, dim=-1)
    return torch.matmul(p, v)


def main() -> None:
    torch.manual_seed(4321)
    b, h, kv, t, d = 3, 4, 2, 37, 8
    q = torch.randn(b, h, t, d)
    k = torch.randn(b, kv, t, d)
    v = torch.randn(b, kv, t, d)
    mask = torch.ones(b, t, dtype=torch.int64)
    mask[1, 30:] = 0
    mask[2, :5] = 0
    probe = torch.randn(b, h, t, d)
    qg, kg, vg = (x.clone().requires_grad_(True) for x in (q, k, v))
    out = attention(qg, kg, vg, mask)
    f = (probe * out).sum()
    dq, dk, dv = torch.autograd.grad(f, [qg, kg, vg])
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "expected.safetensors"), {
        "q": q, "k": k, "v": v, "attention_mask": mask.int().numpy(), "probe": probe,
        "out": out.detach(), "grad.q": dq, "grad.k": dk, "grad.v": dv,
    })
    print("attention f =", float(f))


if __name__ == "__main__":
    main()
