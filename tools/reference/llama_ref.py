#!/usr/bin/python3
"""Writes the PyTorch parity fixtures of @wpo/llama into packages/llama/fixtures/.

Run from anywhere:  /usr/bin/python3 tools/reference/llama_ref.py

For each tiny random variant (`gqa_untied`: GQA 4/2 heads, untied lm_head;
`tied_llama3`: 4/1 heads, head_dim 16 != hidden/heads, tied embeddings, llama3 rope
scaling) it writes `fixtures/<variant>/config.json`, `model.safetensors` (HF names) and
`expected.safetensors` with: `input_ids`, `attention_mask` (I32 [3, 7]; row 1 right-padded,
row 2 left-padded), `probe` W [3, 7, V], `logits`, `hidden` (after the final norm) and
`grad.<param name>` = d/dparam of f = sum(W * logits) for every parameter.

It also loads assets/stories260K.bin (q/k rows permuted into the HF layout), checks that
greedy decoding from BOS gives the ids listed in assets/PROVENANCE.md, and writes
`fixtures/stories260K_logits.safetensors` (`input_ids` = BOS + 32 greedy ids, `logits` [33, 512]).
Deterministic: torch.manual_seed per variant; float32 throughout.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _llama_torch import Llama, LlamaCfg, load_llama2c, write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "packages", "llama", "fixtures")

VARIANTS = {
    "gqa_untied": LlamaCfg(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0,
                           tie_word_embeddings=False, max_position_embeddings=64, bos_token_id=1, eos_token_id=2),
    "tied_llama3": LlamaCfg(vocab_size=48, hidden_size=32, intermediate_size=40, num_hidden_layers=2,
                            num_attention_heads=4, num_key_value_heads=1, head_dim=16, rms_norm_eps=1e-6,
                            rope_theta=10000.0, tie_word_embeddings=True, max_position_embeddings=256,
                            rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                          "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
                            bos_token_id=1, eos_token_id=2),
}

GREEDY_IDS = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337,
              410, 408, 419, 292, 411, 322, 265, 282, 295, 433, 426, 385]


def make_variant(name: str, cfg: LlamaCfg, seed: int) -> None:
    torch.manual_seed(seed)
    model = Llama(cfg)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if pname.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    b, t, v = 3, 7, cfg.vocab_size
    ids = torch.randint(3, v, (b, t), dtype=torch.int64)
    mask = torch.ones(b, t, dtype=torch.int64)
    mask[1, 5:] = 0
    mask[2, :2] = 0
    ids[mask == 0] = 0
    probe = torch.randn(b, t, v)
    logits = model(ids, mask)
    hidden = model.hidden_states(ids, mask).detach()
    f = (probe * logits).sum()
    params = dict(model.named_parameters())
    grads = torch.autograd.grad(f, list(params.values()))
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as fh:
        json.dump(cfg.to_hf_json(), fh, indent=2)
        fh.write("\n")
    write_safetensors(os.path.join(d, "model.safetensors"), model.hf_state_dict(), {"format": "pt"})
    exp = {"input_ids": ids.int().numpy(), "attention_mask": mask.int().numpy(), "probe": probe,
           "logits": logits.detach(), "hidden": hidden}
    for (pname, _), g in zip(params.items(), grads):
        exp["grad." + pname] = g
    write_safetensors(os.path.join(d, "expected.safetensors"), exp)
    print(name, "f =", float(f), "params", len(params))


def make_stories() -> None:
    cfg, sd = load_llama2c(os.path.join(ROOT, "assets", "stories260K.bin"))
    model = Llama(cfg)
    model.load_state_dict(sd, strict=False)
    ids = [1]
    with torch.no_grad():
        for _ in range(32):
            logits = model(torch.tensor([ids]))
            ids.append(int(logits[0, -1].argmax()))
        assert ids[1:] == GREEDY_IDS, ids
        logits = model(torch.tensor([ids]))[0]
    top = torch.topk(logits[0], 3)
    print("stories260K greedy ok; position 0 top:", top.indices.tolist(), [round(x, 4) for x in top.values.tolist()])
    write_safetensors(os.path.join(OUT, "stories260K_logits.safetensors"),
                      {"input_ids": torch.tensor(ids, dtype=torch.int32).numpy(), "logits": logits})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for i, (n, c) in enumerate(VARIANTS.items()):
        make_variant(n, c, 1234 + i)
    make_stories()
