#!/usr/bin/python3
"""Reference trajectories for @wpo/optim from torch.optim.AdamW and torch.nn.utils.clip_grad_norm_ (PyTorch 1.13).

Writes (committed, read by the tests):
  packages/optim/fixtures/adamw.json      AdamW runs: initial params, per-step grads and lrs, and after every step the
                                          pre-clip gradient norm, params, exp_avg and exp_avg_sq (float32 values)
  packages/optim/fixtures/clip_grad_norm.json  gradient sets with their total norm (2 and inf) and clipped gradients

Scenarios: HF Trainer style (two parameter groups, decay only on >= 2-D params, clip at max_norm 1.0, lr 0 at step 0,
a different lr every step), and torch-default style (decay everywhere, other betas/eps, per-group lr multipliers, a
parameter that gets no gradient on some steps and is skipped as torch skips `p.grad is None`), and gradients
of the size of eps (where eps enters the denominator matters).

Run from the repository root:  /usr/bin/python3 tools/reference/optim_ref.py
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optim", "fixtures")
SHAPES = {"layer.weight": [4, 3], "layer.bias": [3], "block.kernel": [2, 3, 2], "norm.weight": [5]}


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def make_params(gen):
    return {n: torch.nn.Parameter(torch.randn(s, generator=gen)) for n, s in SHAPES.items()}


def run(name, gen, lrs, betas, eps, groups, max_norm, grad_scales, missing):
    params = make_params(gen)
    initial = {n: flat(p) for n, p in params.items()}
    torch_groups = [{"params": [params[n] for n in g["names"]], "weight_decay": g["weightDecay"], "lr": 0.0}
                    for g in groups]
    opt = torch.optim.AdamW(torch_groups, lr=0.0, betas=betas, eps=eps)
    steps = []
    for s, lr in enumerate(lrs):
        grads = {}
        for n, p in params.items():
            if n in missing.get(s, []):
                p.grad = None
                continue
            g = torch.randn(p.shape, generator=gen) * grad_scales[s]
            p.grad = g.clone()
            grads[n] = flat(g)
        norm = None
        if max_norm is not None:
            norm = float(torch.nn.utils.clip_grad_norm_([p for p in params.values() if p.grad is not None], max_norm))
        for tg, g in zip(opt.param_groups, groups):
            tg["lr"] = lr * g.get("lrScale", 1.0)
        opt.step()
        state = opt.state
        steps.append({
            "lr": lr, "grads": grads, "norm": norm,
            "params": {n: flat(p) for n, p in params.items()},
            "expAvg": {n: flat(state[p]["exp_avg"]) for n, p in params.items() if p in state},
            "expAvgSq": {n: flat(state[p]["exp_avg_sq"]) for n, p in params.items() if p in state},
            "paramSteps": {n: int(state[p]["step"]) for n, p in params.items() if p in state},
        })
    return {"name": name, "shapes": SHAPES, "betas": list(betas), "eps": eps, "groups": groups, "maxNorm": max_norm,
            "initial": initial, "steps": steps}


def adamw_runs():
    gen = torch.Generator().manual_seed(1234)
    hf = run("hf_trainer", gen, lrs=[0.0, 1e-2, 3e-2, 2e-2, 5e-3, 1e-3, 4e-2], betas=(0.9, 0.999), eps=1e-8,
             groups=[{"names": ["layer.weight", "block.kernel"], "weightDecay": 0.1},
                     {"names": ["layer.bias", "norm.weight"], "weightDecay": 0.0}],
             max_norm=1.0, grad_scales=[1.0, 0.05, 2.0, 0.1, 3.0, 0.02, 1.0], missing={})
    plain = run("torch_defaults", gen, lrs=[1e-3, 1e-2, 2e-2, 2e-2, 1e-2, 5e-3], betas=(0.8, 0.95), eps=1e-6,
                groups=[{"names": ["layer.weight", "layer.bias", "norm.weight"], "weightDecay": 0.01},
                        {"names": ["block.kernel"], "weightDecay": 0.3, "lrScale": 0.5}],
                max_norm=None, grad_scales=[1.0, 0.5, 0.01, 1.0, 2.0, 0.3], missing={0: ["norm.weight"], 3: ["layer.bias"]})
    # gradients of the size of eps, so that where eps enters the denominator matters
    eps_sized = run("eps_sized_grads", gen, lrs=[5e-2, 5e-2, 2e-2, 1e-2, 5e-2], betas=(0.9, 0.99), eps=1e-3,
                    groups=[{"names": list(SHAPES), "weightDecay": 0.05}],
                    max_norm=None, grad_scales=[1e-3, 5e-4, 2e-3, 1e-4, 1e-3], missing={})
    return [hf, plain, eps_sized]


def clip_cases():
    gen = torch.Generator().manual_seed(99)
    cases = []
    for scale, max_norm, norm_type in [(1.0, 1.0, 2.0), (0.01, 1.0, 2.0), (5.0, 0.5, 2.0), (1.0, 0.3, float("inf")),
                                       (0.001, 1.0, float("inf"))]:
        grads = {n: torch.randn(s, generator=gen) * scale for n, s in SHAPES.items()}
        before = {n: flat(g) for n, g in grads.items()}
        ps = []
        for n, g in grads.items():
            p = torch.nn.Parameter(torch.zeros(SHAPES[n]))
            p.grad = g.clone()
            ps.append(p)
        norm = float(torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type))
        cases.append({"maxNorm": max_norm, "normType": "inf" if norm_type == float("inf") else norm_type,
                      "grads": before, "norm": norm,
                      "clipped": {n: flat(p.grad) for n, p in zip(grads.keys(), ps)}})
    return cases


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    for name, data in (("adamw.json", adamw_runs()), ("clip_grad_norm.json", clip_cases())):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")


if __name__ == "__main__":
    main()
