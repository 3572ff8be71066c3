#!/usr/bin/python3
"""Reference tables for @wpo/scheduler, written with Python floats exactly as transformers computes them.

transformers is not installed here, so its `lr_lambda` formulas (optimization.py), `TrainingArguments.get_warmup_steps`
and the Trainer's step count (with accelerate's `BatchSamplerShard` length, even_batches=True) are re-implemented below
from their published definitions (see docs/wpo-spec.md section 7). Every value is a Python float (IEEE double).

Writes (committed, read by the tests):
  packages/scheduler/fixtures/schedules.json     lr multipliers of every schedule for several configurations
  packages/scheduler/fixtures/trainer_steps.json dataloader length, updates per epoch, total and warmup steps
  packages/scheduler/fixtures/cos.json           [x, glibc math.cos(x), correctly rounded cos(x)] triples

Run from the repository root:  /usr/bin/python3 tools/reference/scheduler_ref.py
"""
import json
import math
import os
import random
from decimal import Decimal, getcontext

getcontext().prec = 70
PI = Decimal("3.141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117")


def cos_correctly_rounded(x):
    """cos(x) to 70 significant digits, then rounded once to the nearest double."""
    r = Decimal(x) % (2 * PI)
    total, term, n = Decimal(0), Decimal(1), 0
    while abs(term) > Decimal("1e-68"):
        total += term
        term = -term * r * r / ((n + 1) * (n + 2))
        n += 2
    return float(total)


# glibc's cos (Python's math.cos) is within 1 ulp but not always correctly rounded; the TypeScript port rounds
# correctly. Every table is computed with both; `exceptions` lists the entries where they differ.
COS = math.cos

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "scheduler", "fixtures")


def warm(s, w):
    return float(s) / float(max(1, w))


def cosine(s, w, t, num_cycles=0.5, min_lr_rate=0.0):
    if s < w:
        return warm(s, w)
    progress = float(s - w) / float(max(1, t - w))
    factor = 0.5 * (1.0 + COS(math.pi * float(num_cycles) * 2.0 * progress))
    if min_lr_rate == 0.0:
        return max(0.0, factor)
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0, factor)


def cosine_hard_restarts(s, w, t, num_cycles=1):
    if s < w:
        return warm(s, w)
    progress = float(s - w) / float(max(1, t - w))
    if progress >= 1.0:
        return 0.0
    return max(0.0, 0.5 * (1.0 + COS(math.pi * ((float(num_cycles) * progress) % 1.0))))


def linear(s, w, t):
    if s < w:
        return warm(s, w)
    return max(0.0, float(t - s) / float(max(1, t - w)))


def constant(s):
    return 1.0


def constant_with_warmup(s, w):
    if s < w:
        return float(s) / float(max(1.0, w))
    return 1.0


def inverse_sqrt(s, w, timescale=None):
    if timescale is None:
        timescale = w or 10_000
    if s < w:
        return warm(s, w)
    shift = timescale - w
    return 1.0 / math.sqrt((s + shift) / timescale)


def polynomial(s, w, t, lr_init, lr_end=1e-7, power=1.0):
    if s < w:
        return warm(s, w)
    if s > t:
        return lr_end / lr_init
    lr_range = lr_init - lr_end
    decay_steps = t - w
    pct_remaining = 1 - (s - w) / decay_steps
    decay = lr_range * pct_remaining**power + lr_end
    return decay / lr_init


def schedules():
    global COS
    COS = math.cos
    glibc = schedules_with_cos()
    COS = cos_correctly_rounded
    exact = schedules_with_cos()
    COS = math.cos
    for g, e in zip(glibc, exact):
        diffs = {str(i): b for i, (a, b) in enumerate(zip(g["values"], e["values"])) if a != b}
        if diffs:
            g["exceptions"] = diffs
    return glibc


def schedules_with_cos():
    cases = []
    shapes = [(0, 10), (3, 10), (94, 936), (10, 10), (12, 10), (1, 1), (0, 1), (0, 0), (5, 37), (100, 1000)]
    for w, t in shapes:
        steps = list(range(0, t + 4))
        cases.append({"name": "cosine", "options": {"warmupSteps": w, "totalSteps": t},
                      "values": [cosine(s, w, t) for s in steps]})
        cases.append({"name": "linear", "options": {"warmupSteps": w, "totalSteps": t},
                      "values": [linear(s, w, t) for s in steps]})
        cases.append({"name": "constant_with_warmup", "options": {"warmupSteps": w, "totalSteps": t},
                      "values": [constant_with_warmup(s, w) for s in steps]})
        cases.append({"name": "constant", "options": {"warmupSteps": w, "totalSteps": t},
                      "values": [constant(s) for s in steps]})
        if t > 0:
            cases.append({"name": "inverse_sqrt", "options": {"warmupSteps": w, "totalSteps": t},
                          "values": [inverse_sqrt(s, w) for s in steps]})
        if t > w:
            cases.append({"name": "polynomial", "options": {"warmupSteps": w, "totalSteps": t, "lrInit": 1e-6},
                          "values": [polynomial(s, w, t, 1e-6) for s in steps]})
    for nc in [0.25, 1.0, 1.5, 3.0]:
        cases.append({"name": "cosine", "options": {"warmupSteps": 7, "totalSteps": 200, "numCycles": nc},
                      "values": [cosine(s, 7, 200, nc) for s in range(204)]})
    for rate in [0.1, 0.05]:
        cases.append({"name": "cosine", "options": {"warmupSteps": 7, "totalSteps": 200, "minLrRate": rate},
                      "values": [cosine(s, 7, 200, 0.5, rate) for s in range(204)]})
    for nc in [1, 2, 3]:
        cases.append({"name": "cosine_with_restarts", "options": {"warmupSteps": 5, "totalSteps": 120, "numCycles": nc},
                      "values": [cosine_hard_restarts(s, 5, 120, nc) for s in range(124)]})
    cases.append({"name": "inverse_sqrt", "options": {"warmupSteps": 0, "totalSteps": 50, "timescale": 7},
                  "values": [inverse_sqrt(s, 0, 7) for s in range(54)]})
    for power, end in [(2.0, 0.0), (1.0, 1e-8), (3.0, 2e-7)]:
        cases.append({"name": "polynomial",
                      "options": {"warmupSteps": 4, "totalSteps": 60, "lrInit": 1e-6, "lrEnd": end, "power": power},
                      "values": [polynomial(s, 4, 60, 1e-6, end, power) for s in range(64)]})
    return cases


def batch_sampler_shard_len(n, batch, devices, drop_last, even_batches=True):
    # accelerate BatchSamplerShard.__len__ (split_batches=False); the inner sampler is torch's BatchSampler
    n_batches = n // batch if drop_last else (n + batch - 1) // batch
    if n_batches % devices == 0:
        return n_batches // devices
    length = n_batches // devices
    if drop_last:
        return length
    if even_batches:
        return length + 1
    raise ValueError("uneven")


def trainer_steps():
    rows = []
    rng = random.Random(5)
    grid = [(60000, 2, 8, 8, 2, 0.1), (61135, 2, 8, 8, 2, 0.1), (100, 1, 1, 1, 1, 0.0), (7, 2, 8, 1, 3, 0.1),
            (1000, 4, 2, 3, 1.5, 0.03), (1, 1, 1, 4, 1, 0.5), (999, 8, 4, 2, 0.3, 0.1)]
    for _ in range(40):
        grid.append((rng.randint(1, 5000), rng.randint(1, 8), rng.randint(1, 16), rng.randint(1, 8),
                     rng.choice([1, 2, 3, 0.5, 2.5]), rng.choice([0.0, 0.1, 0.05, 0.03, 0.2])))
    for n, b, acc, dev, ep, ratio in grid:
        for drop_last in (False, True):
            len_dl = batch_sampler_shard_len(n, b, dev, drop_last)
            upd = max(len_dl // acc, 1)
            total = math.ceil(ep * upd)
            rows.append({"datasetSize": n, "perDeviceBatchSize": b, "gradientAccumulationSteps": acc, "devices": dev,
                         "epochs": ep, "dropLast": drop_last, "warmupRatio": ratio, "batchesPerDevice": len_dl,
                         "updatesPerEpoch": upd, "totalSteps": total, "warmupSteps": math.ceil(total * ratio)})
    return rows


def cos_pairs():
    rng = random.Random(11)
    xs = [rng.uniform(0.0, 7.0) for _ in range(3000)]
    xs += [math.pi * 0.5 * 2.0 * (float(s) / float(t)) for t in (936, 842, 333) for s in range(0, t + 1, 3)]
    xs += [0.0, 1e-300, 1e-9, math.pi / 2, math.pi, 3 * math.pi / 2, 2 * math.pi, 100.0, 1000.0]
    return [[x, math.cos(x), cos_correctly_rounded(x)] for x in xs]


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in (("schedules.json", schedules()), ("trainer_steps.json", trainer_steps()), ("cos.json", cos_pairs())):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")


if __name__ == "__main__":
    main()
