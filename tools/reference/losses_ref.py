#!/usr/bin/python3
"""PyTorch reference for @wpo/losses: writes packages/losses/fixtures/{logps,losses,wpo}.json.

What it writes (all inputs are float32-representable; references are computed in float64):
  logps.json  - sequence log-probs (TRL get_batch_logps: position t predicts t+1, -100 unscored) of random logits:
                sum, mean, count, logits sum per row, the WPO log weight for each alignment (sampled, greedy, none)
                and the gradient of J = sum_r c_r*sum_r + d_r*mean_r w.r.t. the logits; the same for hidden states
                and an lm_head weight (logits = h @ W^T) with gradients w.r.t. both.
  losses.json - every preference loss (wpo-spec.md section 5) on random policy/reference log-probs with beta /
                label-smoothing variants: per-pair losses, chosen/rejected rewards and d(mean loss)/d(policy sums).
  wpo.json    - WPO pair weights for clamp 1 and no clamp, and one full WPO step (run_wpo.py): logits of 2B rows
                -> policy sums + sampled log weights -> sigmoid loss * detached min(1, exp(a_c + a_r)) -> mean,
                with the gradient w.r.t. the logits.
Run from the repository root:  /usr/bin/python3 tools/reference/losses_ref.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "losses", "fixtures")
gen = torch.Generator().manual_seed(20240617)


def f32(t):
    """Round to float32 and back so the TypeScript side sees exactly the same inputs."""
    return t.float().double()


def randn(*shape, scale=1.0):
    return f32(torch.randn(*shape, generator=gen) * scale)


def lst(t):
    return t.detach().reshape(-1).tolist() if t.dim() else t.item()


# ---------------------------------------------------------------- sequence log-probs
def batch_logps(logits, labels, alignment=None):
    x = logits[:, :-1, :]
    tgt = labels[:, 1:].clone()
    m = tgt != -100
    tgt[~m] = 0
    lsm = x.log_softmax(-1)
    lp = torch.gather(lsm, 2, tgt.unsqueeze(2)).squeeze(2)
    n = m.sum(-1).double()
    s = (lp * m).sum(-1)
    out = {"sum": s, "mean": s / n, "count": n, "logitsSum": logits.detach().sum((1, 2))}
    if alignment is not None:
        lse = torch.logsumexp(x, -1)
        if alignment == "sampled":
            logz = torch.log((x.softmax(-1) ** 2).sum(-1))  # WPO run_wpo.py form: log sum p^2
        elif alignment == "greedy":
            logz = x.max(-1).values - lse
        else:
            logz = torch.zeros_like(lse)
        out["wpoLogWeight"] = (((lp - logz) * m).sum(-1) / n).detach()
    return out


def make_labels(n, t, v, starts, ends):
    labels = torch.randint(0, v, (n, t), generator=gen)
    for r in range(n):
        labels[r, : starts[r]] = -100
        labels[r, ends[r]:] = -100
    return labels


def logps_case(logits, labels, coef_sum, coef_mean):
    res = {}
    for al in ["sampled", "greedy", "none"]:
        res[al] = lst(batch_logps(logits, labels, al)["wpoLogWeight"])
    out = batch_logps(logits, labels)
    objective = (coef_sum * out["sum"]).sum() + (coef_mean * out["mean"]).sum()
    return out, objective, res


def logps_fixture():
    n, t, v = 4, 7, 11
    logits = randn(n, t, v, scale=2.0).requires_grad_(True)
    labels = make_labels(n, t, v, [2, 1, 3, 0], [7, 5, 6, 7])
    cs, cm = randn(n), randn(n)
    out, obj, weights = logps_case(logits, labels, cs, cm)
    (g,) = torch.autograd.grad(obj, logits)
    dense = {"logits": lst(logits), "shape": [n, t, v], "labels": lst(labels), "coefSum": lst(cs), "coefMean": lst(cm),
             **{k: lst(val) for k, val in out.items()}, "wpoLogWeight": weights, "gradLogits": lst(g)}
    n, t, e, v = 3, 6, 5, 13
    hidden = randn(n, t, e).requires_grad_(True)
    weight = randn(v, e, scale=0.7).requires_grad_(True)
    labels = make_labels(n, t, v, [1, 3, 0], [6, 6, 4])
    cs, cm = randn(n), randn(n)
    out, obj, weights = logps_case(hidden @ weight.T, labels, cs, cm)
    gh, gw = torch.autograd.grad(obj, [hidden, weight])
    chunked = {"hidden": lst(hidden), "weight": lst(weight), "shape": [n, t, e, v], "labels": lst(labels),
               "coefSum": lst(cs), "coefMean": lst(cm), **{k: lst(val) for k, val in out.items()},
               "wpoLogWeight": weights, "gradHidden": lst(gh), "gradWeight": lst(gw)}
    return {"dense": dense, "chunked": chunked}


# ---------------------------------------------------------------- preference losses (per-pair)
def cdpo(z, beta, eps):
    return -F.logsigmoid(beta * z) * (1 - eps) - F.logsigmoid(-beta * z) * eps


def nll(pc, nc):
    return (-pc.sum() / nc.sum()).expand_as(pc)


class Sides:
    """What a loss reads: options o, sums (pc, pr, rc, rr), counts (nc, nr), Δc, Δr, z = Δc − Δr, default rewards."""

    def __init__(self, o, x):
        self.o, self.b, self.eps = o, o.get("beta", 0.1), o.get("labelSmoothing", 0.0)
        self.pc, self.pr, self.rc, self.rr, self.nc, self.nr = x["pc"], x["pr"], x["rc"], x["rr"], x["nc"], x["nr"]
        self.dc, self.dr = self.pc - self.rc, self.pr - self.rr
        self.z = self.dc - self.dr
        self.rew = (self.b * self.dc.detach(), self.b * self.dr.detach())


# The table of losses: name -> (function of Sides returning (losses, chosen rewards, rejected rewards), the option
# sets the fixture evaluates it with). Adding a loss is one entry here (see CONTRIBUTING.md).
LOSSES = {}
DEF = {"beta": 0.1, "labelSmoothing": 0.0}


def loss(name, *variants):
    def add(fn):
        LOSSES[name] = (fn, list(variants))
        return fn
    return add


@loss("sigmoid", DEF, {"beta": 0.5, "labelSmoothing": 0.0}, {"beta": 0.1, "labelSmoothing": 0.2})
def _sigmoid(v):
    return cdpo(v.z, v.b, v.eps), *v.rew


@loss("robust", DEF, {"beta": 0.3, "labelSmoothing": 0.2})
def _robust(v):
    return (-F.logsigmoid(v.b * v.z) * (1 - v.eps) + F.logsigmoid(-v.b * v.z) * v.eps) / (1 - 2 * v.eps), *v.rew


@loss("hinge", DEF, {"beta": 0.5})
def _hinge(v):
    return torch.relu(1 - v.b * v.z), *v.rew


@loss("ipo", DEF, {"beta": 0.5})
def _ipo(v):
    dcm, drm = v.pc / v.nc - v.rc / v.nc, v.pr / v.nr - v.rr / v.nr
    return (dcm - drm - 1 / (2 * v.b)) ** 2, v.b * dcm.detach(), v.b * drm.detach()


@loss("exo_pair", DEF, {"beta": 0.3, "labelSmoothing": 0.1})
def _exo_pair(v):
    e = v.eps if v.eps else 1e-3
    s = v.b * v.z
    return (s.sigmoid() * (F.logsigmoid(s) - math.log(1 - e)) + (-s).sigmoid() * (F.logsigmoid(-s) - math.log(e))), *v.rew


@loss("nca_pair", DEF, {"beta": 0.5})
def _nca_pair(v):
    return -F.logsigmoid(v.b * v.dc) - 0.5 * F.logsigmoid(-v.b * v.dc) - 0.5 * F.logsigmoid(-v.b * v.dr), *v.rew


@loss("bco_pair", DEF, {"beta": 0.5})
def _bco_pair(v):
    delta = torch.cat([v.b * v.dc, v.b * v.dr]).mean().detach()
    return -F.logsigmoid(v.b * v.dc - delta) - F.logsigmoid(-(v.b * v.dr - delta)), *v.rew


@loss("sppo_hard", DEF, {"beta": 0.5})
def _sppo_hard(v):
    return (v.dc - 0.5 / v.b) ** 2 + (v.dr + 0.5 / v.b) ** 2, *v.rew


@loss("aot", DEF, {"beta": 0.5, "labelSmoothing": 0.2})
def _aot(v):
    d = torch.sort(v.pc - v.pr).values - torch.sort(v.rc - v.rr).values
    return cdpo(d, v.b, v.eps), *v.rew


@loss("aot_pair", DEF, {"beta": 0.5, "labelSmoothing": 0.2})
def _aot_pair(v):
    d = torch.sort(v.dc).values - torch.sort(v.dr).values
    return cdpo(d, v.b, v.eps), *v.rew


@loss("apo_zero", DEF, {"beta": 0.5})
def _apo_zero(v):
    return (1 - torch.sigmoid(v.b * v.dc)) + torch.sigmoid(v.b * v.dr), *v.rew


@loss("apo_down", DEF, {"beta": 0.5})
def _apo_down(v):
    return torch.sigmoid(v.b * v.dc) + (1 - torch.sigmoid(v.b * v.z)), *v.rew


@loss("discopop", {"beta": 0.1, "discopopTau": 0.05}, {"beta": 0.5, "discopopTau": 0.2})
def _discopop(v):
    g = v.b * v.z
    mod = torch.sigmoid(g / v.o["discopopTau"])
    return -F.logsigmoid(g) * (1 - mod) + torch.exp(-g) * mod, *v.rew


@loss("sigmoid_norm", DEF, {"beta": 0.5})
def _sigmoid_norm(v):
    return -F.logsigmoid(v.b * (v.dc / v.nc - v.dr / v.nr)), *v.rew


@loss("simpo", {"beta": 2.0, "gammaBetaRatio": 0.25, "labelSmoothing": 0.0},
      {"beta": 2.5, "gammaBetaRatio": 0.5, "labelSmoothing": 0.1})
def _simpo(v):
    u = v.pc / v.nc - v.pr / v.nr - v.o["gammaBetaRatio"]
    return cdpo(u, v.b, v.eps), v.b * (v.pc / v.nc).detach(), v.b * (v.pr / v.nr).detach()


@loss("cpo", {"beta": 0.1, "labelSmoothing": 0.0, "nllWeight": 1.0},
      {"beta": 0.5, "labelSmoothing": 0.1, "nllWeight": 0.3})
def _cpo(v):
    return cdpo(v.pc - v.pr, v.b, v.eps) + v.o["nllWeight"] * nll(v.pc, v.nc), v.b * v.pc.detach(), v.b * v.pr.detach()


@loss("orpo", {"beta": 0.1}, {"beta": 0.5})
def _orpo(v):
    a, c = v.pc / v.nc, v.pr / v.nr
    log_odds = (a - c) - (torch.log1p(-torch.exp(a)) - torch.log1p(-torch.exp(c)))
    return nll(v.pc, v.nc) - v.b * F.logsigmoid(log_odds), v.b * a.detach(), v.b * c.detach()


@loss("sft", {})
def _sft(v):
    return nll(v.pc, v.nc), *v.rew


@loss("slic", {"beta": 1.0, "delta": 1.0}, {"beta": 0.5, "delta": 2.0}, {"beta": 0.1, "delta": 0.5})
def _slic(v):
    return torch.relu(v.o["delta"] - v.b * (v.pc - v.pr)), v.b * v.pc.detach(), v.b * v.pr.detach()


def losses_fixture():
    bsz = 6
    nc = torch.randint(3, 20, (bsz,), generator=gen).double()
    nr = torch.randint(3, 20, (bsz,), generator=gen).double()
    pc = f32(-(torch.rand(bsz, generator=gen) * 1.5 + 0.2) * nc)
    pr = f32(-(torch.rand(bsz, generator=gen) * 1.5 + 0.2) * nr)
    rc = f32(pc + torch.randn(bsz, generator=gen) * 3)
    rr = f32(pr + torch.randn(bsz, generator=gen) * 3)
    inputs = {"pc": lst(pc), "pr": lst(pr), "rc": lst(rc), "rr": lst(rr), "nc": lst(nc), "nr": lst(nr)}
    cases = []
    for name, (fn, variants) in LOSSES.items():
        for o in variants:
            x = {"pc": pc.clone().requires_grad_(True), "pr": pr.clone().requires_grad_(True),
                 "rc": rc, "rr": rr, "nc": nc, "nr": nr}
            losses, cr, rj = fn(Sides(o, x))
            gc, gr = torch.autograd.grad(losses.mean(), [x["pc"], x["pr"]], allow_unused=True)
            gr = torch.zeros_like(pc) if gr is None else gr
            cases.append({"name": name, "options": o, "losses": lst(losses), "chosenRewards": lst(cr),
                          "rejectedRewards": lst(rj), "gradPolicyChosen": lst(gc), "gradPolicyRejected": lst(gr)})
    return {"inputs": inputs, "cases": cases}


# ---------------------------------------------------------------- WPO
def wpo_fixture():
    ac = f32(torch.rand(6, generator=gen) * 3 - 2.5)
    ar = f32(torch.rand(6, generator=gen) * 3 - 2.0)
    ac[0], ar[0] = 0.4, 0.3  # exp(a_c + a_r) > 1: exercises the clamp
    weights = {"aChosen": lst(ac), "aRejected": lst(ar), "clamped": lst(torch.clamp(torch.exp(ac + ar), max=1.0)),
               "unclamped": lst(torch.exp(ac + ar))}
    b, t, v, beta = 3, 6, 9, 0.1
    logits = randn(2 * b, t, v, scale=1.5).requires_grad_(True)
    labels = make_labels(2 * b, t, v, [2, 2, 3, 2, 2, 3], [6, 5, 6, 6, 4, 6])
    ref = f32(torch.randn(2 * b, generator=gen) * 2 - 8)
    out = batch_logps(logits, labels, "sampled")
    pc, pr = out["sum"][:b], out["sum"][b:]
    a = out["wpoLogWeight"]
    w = torch.clamp(torch.exp(a[:b] + a[b:]), max=1.0).detach()
    losses = cdpo((pc - pr) - (ref[:b] - ref[b:]), beta, 0.0)
    loss = (losses * w).mean()
    (g,) = torch.autograd.grad(loss, logits)
    step = {"shape": [2 * b, t, v], "beta": beta, "logits": lst(logits), "labels": lst(labels),
            "referenceLogps": lst(ref), "weights": lst(w), "losses": lst(losses), "loss": loss.item(),
            "gradLogits": lst(g)}
    return {"pairWeights": weights, "step": step}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for fname, data in [("logps.json", logps_fixture()), ("losses.json", losses_fixture()), ("wpo.json", wpo_fixture())]:
        with open(os.path.join(OUT, fname), "w") as fh:
            json.dump(data, fh, separators=(",", ":"))
        print(fname, os.path.getsize(os.path.join(OUT, fname)), "bytes")
