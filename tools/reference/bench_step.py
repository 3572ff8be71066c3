#!/usr/bin/python3
"""PyTorch twin of the `wpo` training-step benchmark (bench/src/step_tfjs.ts).

Reports the fastest of the measured steps (the machine is shared). Builds the same Llama-like model (RMSNorm, RoPE, grouped-query causal attention,
SwiGLU, untied or tied LM head, optional per-layer recomputation) with random weights, a frozen reference copy, and runs the
same step: reference forward (no grad), policy forward, per-sequence log-probs,
WPO-weighted DPO loss, backward, AdamW. Times each phase and prints ONE JSON line:
{"threads", "omp_wait_policy", "step_ms", "tokens_per_s", "phases_ms": {...}, "loss", "peak_rss_mb"}.

Speed only: weights are random, not shared with the TypeScript side. Run:
  /usr/bin/python3 tools/reference/bench_step.py '<config json>' [steps] [warmup]
The config keys are those of bench/src/bench_config.ts. torch's thread count is left
at its default unless WPO_TORCH_THREADS is set (the bench harness compares both).
"""
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rope_tables(t, head_dim, theta):
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    f = torch.outer(torch.arange(t, dtype=torch.float32), inv)
    emb = torch.cat([f, f], dim=-1)
    return emb.cos(), emb.sin()


def rotate(x, cos, sin):
    h = x.shape[-1] // 2
    rot = torch.cat([-x[..., h:], x[..., :h]], dim=-1)
    return x * cos + rot * sin


def init_params(c, gen):
    e, hd = c["dim"], c["dim"] // c["heads"]
    kv = c["kvHeads"] * hd

    def w(*shape):
        return (torch.randn(*shape, generator=gen) * 0.02).requires_grad_(True)

    p = {"embed": w(c["vocab"], e), "norm": torch.ones(e, requires_grad=True)}
    if not c.get("tied", False):
        p["lm_head"] = w(c["vocab"], e)
    for i in range(c["layers"]):
        p[f"{i}.attn_norm"] = torch.ones(e, requires_grad=True)
        p[f"{i}.q"] = w(e, e)
        p[f"{i}.k"] = w(kv, e)
        p[f"{i}.v"] = w(kv, e)
        p[f"{i}.o"] = w(e, e)
        p[f"{i}.mlp_norm"] = torch.ones(e, requires_grad=True)
        p[f"{i}.gate"] = w(c["hidden"], e)
        p[f"{i}.up"] = w(c["hidden"], e)
        p[f"{i}.down"] = w(e, c["hidden"])
    return p


def layer(p, i, x, c, cos, sin, mask):
    b, t, _ = x.shape
    h, kvh = c["heads"], c["kvHeads"]
    hd = c["dim"] // h
    a = rms_norm(x, p[f"{i}.attn_norm"], c["eps"])
    q = (a @ p[f"{i}.q"].T).view(b, t, h, hd).transpose(1, 2)
    k = (a @ p[f"{i}.k"].T).view(b, t, kvh, hd).transpose(1, 2)
    v = (a @ p[f"{i}.v"].T).view(b, t, kvh, hd).transpose(1, 2)
    q, k = rotate(q, cos, sin), rotate(k, cos, sin)
    k = k.repeat_interleave(h // kvh, dim=1)
    v = v.repeat_interleave(h // kvh, dim=1)
    s = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + mask
    o = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)
    x = x + o @ p[f"{i}.o"].T
    m = rms_norm(x, p[f"{i}.mlp_norm"], c["eps"])
    return x + (F.silu(m @ p[f"{i}.gate"].T) * (m @ p[f"{i}.up"].T)) @ p[f"{i}.down"].T


def forward(p, ids, c, cos, sin, mask):
    """Logits; with c["gradientCheckpointing"] each layer is recomputed in the backward (torch.utils.checkpoint)."""
    x = p["embed"][ids]
    recompute = c.get("gradientCheckpointing", False) and torch.is_grad_enabled()
    for i in range(c["layers"]):
        if recompute:
            x = checkpoint(layer, p, i, x, c, cos, sin, mask, use_reentrant=False)
        else:
            x = layer(p, i, x, c, cos, sin, mask)
    return rms_norm(x, p["norm"], c["eps"]) @ p.get("lm_head", p["embed"]).T


def seq_logps(logits, labels, with_weight=True):
    """Sum of log p(label) over scored positions (t predicts t+1) and the WPO "sampled"
    log-weight: mean of log p(label) - (logsumexp(2x) - 2 logsumexp(x)), detached."""
    lg, lb = logits[:, :-1], labels[:, 1:]
    mask = lb != -100
    logp = lg.log_softmax(-1)
    picked = torch.gather(logp, 2, lb.clamp(min=0).unsqueeze(-1)).squeeze(-1) * mask
    if not with_weight:
        return picked.sum(-1), None
    with torch.no_grad():
        d = lg.detach()
        log_z = torch.logsumexp(2 * d, -1) - 2 * torch.logsumexp(d, -1)
        log_weight = ((picked.detach() - log_z) * mask).sum(-1) / mask.sum(-1)
    return picked.sum(-1), log_weight


def adamw(params, grads, state, lr, betas=(0.9, 0.999), eps=1e-8, wd=0.0):
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for name, prm in params.items():
            g = grads[name]
            m = state["m"].setdefault(name, torch.zeros_like(prm))
            v = state["v"].setdefault(name, torch.zeros_like(prm))
            prm.mul_(1 - lr * wd)
            m.mul_(betas[0]).add_(g, alpha=1 - betas[0])
            v.mul_(betas[1]).addcmul_(g, g, value=1 - betas[1])
            denom = (v / (1 - betas[1] ** t)).sqrt_().add_(eps)
            prm.addcdiv_(m, denom, value=-lr / (1 - betas[0] ** t))


def main():
    c = json.loads(sys.argv[1])
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if os.environ.get("WPO_TORCH_THREADS"):
        torch.set_num_threads(int(os.environ["WPO_TORCH_THREADS"]))
    gen = torch.Generator().manual_seed(0)
    policy = init_params(c, gen)
    ref = {k: v.detach().clone() for k, v in policy.items()}
    b, t = 2 * c["pairs"], c["seqLen"]
    ids = torch.randint(0, c["vocab"], (b, t), generator=gen)
    labels = ids.clone()
    labels[:, : c["promptLen"]] = -100
    cos, sin = rope_tables(t, c["dim"] // c["heads"], c["ropeTheta"])
    mask = torch.triu(torch.full((t, t), -1e9), diagonal=1)
    state = {"t": 0, "m": {}, "v": {}}
    measured = []
    loss_value = 0.0
    for step in range(warmup + steps):
        t0 = time.perf_counter()
        with torch.no_grad():
            ref_sum, _ = seq_logps(forward(ref, ids, c, cos, sin, mask), labels, with_weight=False)
        t1 = time.perf_counter()
        logits = forward(policy, ids, c, cos, sin, mask)
        t2 = time.perf_counter()
        pol_sum, log_w = seq_logps(logits, labels)
        n = c["pairs"]
        margin = (pol_sum[:n] - ref_sum[:n]) - (pol_sum[n:] - ref_sum[n:])
        weight = torch.exp(log_w[:n] + log_w[n:]).clamp(max=1.0)
        loss = -(weight * F.logsigmoid(c["beta"] * margin)).mean()
        t3 = time.perf_counter()
        names = list(policy)
        grads = dict(zip(names, torch.autograd.grad(loss, [policy[k] for k in names])))
        t4 = time.perf_counter()
        adamw(policy, grads, state, c["lr"])
        t5 = time.perf_counter()
        loss_value = float(loss)
        if step >= warmup:
            names = ("ref_forward", "forward", "logps_loss", "backward", "optimizer")
            measured.append(dict(zip(names, (1000 * d for d in (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)))))
    # The machine is shared: report the fastest step (others' load only slows a step down).
    phases = min(measured, key=lambda p: sum(p.values()))
    step_ms = sum(phases.values())
    print(json.dumps({
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(default)"),
        "step_ms": step_ms,
        "tokens_per_s": b * t / (step_ms / 1000),
        "phases_ms": phases,
        "steps_ms": [sum(p.values()) for p in measured],
        "loss": loss_value,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
