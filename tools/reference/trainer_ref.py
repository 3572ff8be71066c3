#!/usr/bin/python3
"""Writes the multi-step WPO training parity fixture of @wpo/trainer into packages/trainer/fixtures/wpo_steps/.

Run from anywhere:  /usr/bin/python3 tools/reference/trainer_ref.py

Scenario (float32, deterministic, torch.manual_seed(7)): a tiny random Llama (vocab 32, hidden 16, 2 layers,
4/2 heads, untied) is the policy; a frozen copy of it is the reference. Six micro-batches of 2 preference pairs
(rows [chosen; rejected], right-padded, labels -100 on prompt and padding) are consumed in order with gradient
accumulation 2, i.e. 3 optimizer steps. Each micro-batch: sequence log-prob sums, the WPO weight (sampled
alignment: logZ = lse(2x) - 2 lse(x), mean over response tokens, w = min(1, exp(a_c + a_r)), detached),
sigmoid DPO loss with beta 0.1, loss = mean_i w_i l_i, backward of loss / accumulation. Then: total-norm
clipping (max_grad_norm 0.1, active on steps 2 and 3, coef = min(1, max/(norm + 1e-6))), torch AdamW (betas 0.9/0.999, eps 1e-8,
weight_decay 0.01) with lr = 3e-2 * lambda(step), cosine schedule with 1 warmup step over 3 steps (HF formula).

Files written:
- config.json, model.safetensors: the initial model in the Hugging Face layout.
- batches.safetensors: `mb<k>.input_ids|attention_mask|labels` (I32 [4, T]) for k = 0..5.
- expected.json: per optimizer step: loss (mean of micro-batch losses), grad_norm (before clipping),
  learning_rate, and TRL metrics averaged over the step's micro-batches (rewards/*, logps/*, logits/*,
  wpo/weight_mean).
- expected_weights.safetensors: `step<s>.<param name>` for every parameter after each optimizer step.
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _llama_torch import Llama, LlamaCfg, write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "packages", "trainer", "fixtures", "wpo_steps")

CFG = LlamaCfg(vocab_size=32, hidden_size=16, intermediate_size=24, num_hidden_layers=2, num_attention_heads=4,
               num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
               max_position_embeddings=64, bos_token_id=1, eos_token_id=2)
BETA, LR, WD, MAX_NORM, ACCUM, STEPS, WARMUP, PAIRS = 0.1, 3e-2, 0.01, 0.1, 2, 3, 1, 2


def make_batch(gen):
    """Two pairs: prompt 2-4 tokens (BOS first), responses 1-5 tokens (EOS last), right-padded with 0."""
    rows = []
    for _ in range(PAIRS):
        p = [1] + torch.randint(3, CFG.vocab_size, (int(torch.randint(1, 4, (1,), generator=gen)),), generator=gen).tolist()
        c = torch.randint(3, CFG.vocab_size, (int(torch.randint(1, 5, (1,), generator=gen)),), generator=gen).tolist() + [2]
        r = torch.randint(3, CFG.vocab_size, (int(torch.randint(0, 5, (1,), generator=gen)),), generator=gen).tolist() + [2]
        rows.append((p, c, r))
    seqs = [p + c for p, c, _ in rows] + [p + r for p, _, r in rows]
    labs = [[-100] * len(p) + c for p, c, _ in rows] + [[-100] * len(p) + r for p, _, r in rows]
    t = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), t, dtype=torch.int32)
    mask = torch.zeros(len(seqs), t, dtype=torch.int32)
    labels = torch.full((len(seqs), t), -100, dtype=torch.int32)
    for i, (s, l) in enumerate(zip(seqs, labs)):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
        labels[i, : len(l)] = torch.tensor(l)
    return ids, mask, labels


def seq_stats(logits, labels):
    x = logits[:, :-1, :]
    tgt = labels[:, 1:].long()
    m = tgt != -100
    tgt = torch.where(m, tgt, torch.zeros_like(tgt))
    lp = torch.log_softmax(x, -1).gather(-1, tgt[..., None])[..., 0]
    logz = torch.logsumexp(2 * x, -1) - 2 * torch.logsumexp(x, -1)
    mf = m.float()
    n = mf.sum(-1)
    return (lp * mf).sum(-1), (((lp - logz) * mf).sum(-1) / n)


def lr_lambda(s):
    if s < WARMUP:
        return s / max(1, WARMUP)
    progress = (s - WARMUP) / max(1, STEPS - WARMUP)
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))


def main():
    torch.manual_seed(7)
    policy = Llama(CFG)
    with torch.no_grad():
        for name, p in policy.named_parameters():
            p.copy_(1.0 + 0.1 * torch.randn_like(p) if name.endswith("norm.weight") else 0.3 * torch.randn_like(p))
    ref = Llama(CFG)
    ref.load_state_dict(policy.state_dict())
    for p in ref.parameters():
        p.requires_grad_(False)
    gen = torch.Generator().manual_seed(11)
    batches = [make_batch(gen) for _ in range(STEPS * ACCUM)]
    opt = torch.optim.AdamW(policy.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=WD)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    params = dict(policy.named_parameters())
    expected, weights = [], {}
    for step in range(STEPS):
        opt.zero_grad()
        logs = []
        for k in range(ACCUM):
            ids, mask, labels = batches[step * ACCUM + k]
            logits = policy(ids.long(), mask.long())
            logp, a = seq_stats(logits, labels)
            with torch.no_grad():
                ref_logp, _ = seq_stats(ref(ids.long(), mask.long()), labels)
            pc, pr, rc, rr = logp[:PAIRS], logp[PAIRS:], ref_logp[:PAIRS], ref_logp[PAIRS:]
            w = torch.clamp(torch.exp(a[:PAIRS] + a[PAIRS:]), max=1.0).detach()
            z = (pc - pr) - (rc - rr)
            losses = -torch.nn.functional.logsigmoid(BETA * z)
            loss = (w * losses).mean()
            (loss / ACCUM).backward()
            r_c, r_r = (BETA * (pc - rc)).detach(), (BETA * (pr - rr)).detach()
            logs.append({
                "loss": float(loss), "rewards/chosen": float(r_c.mean()), "rewards/rejected": float(r_r.mean()),
                "rewards/accuracies": float((r_c > r_r).float().mean()), "rewards/margins": float((r_c - r_r).mean()),
                "logps/chosen": float(pc.mean()), "logps/rejected": float(pr.mean()),
                "logits/chosen": float(logits[:PAIRS].mean()), "logits/rejected": float(logits[PAIRS:].mean()),
                "wpo/weight_mean": float(w.mean()),
            })
        norm = torch.nn.utils.clip_grad_norm_(policy.parameters(), MAX_NORM)
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        rec = {k: sum(d[k] for d in logs) / len(logs) for k in logs[0]}
        rec.update({"step": step + 1, "grad_norm": float(norm), "learning_rate": lr})
        expected.append(rec)
        for name, p in params.items():
            weights[f"step{step + 1}.{name}"] = p.detach().clone()
        print(f"step {step + 1}: loss {rec['loss']:.6f} grad_norm {rec['grad_norm']:.6f} lr {lr:.6g} "
              f"w {rec['wpo/weight_mean']:.4f}")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "config.json"), "w") as fh:
        json.dump(CFG.to_hf_json(), fh, indent=2)
        fh.write("\n")
    init = Llama(CFG)
    init.load_state_dict(ref.state_dict())
    write_safetensors(os.path.join(OUT, "model.safetensors"), init.hf_state_dict(), {"format": "pt"})
    bt = {}
    for k, (ids, mask, labels) in enumerate(batches):
        bt[f"mb{k}.input_ids"], bt[f"mb{k}.attention_mask"], bt[f"mb{k}.labels"] = ids, mask, labels
    write_safetensors(os.path.join(OUT, "batches.safetensors"), bt)
    write_safetensors(os.path.join(OUT, "expected_weights.safetensors"), weights)
    with open(os.path.join(OUT, "expected.json"), "w") as fh:
        json.dump({"settings": {"beta": BETA, "learning_rate": LR, "weight_decay": WD, "max_grad_norm": MAX_NORM,
                                "gradient_accumulation_steps": ACCUM, "steps": STEPS, "warmup_steps": WARMUP,
                                "pairs_per_micro_batch": PAIRS, "lr_scheduler_type": "cosine"},
                   "steps": expected}, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
