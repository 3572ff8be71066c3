#!/usr/bin/python3
"""Writes the PyTorch parity fixture of @wpo/llama's reward model into packages/llama/fixtures/reward_model/.

Run from anywhere:  /usr/bin/python3 tools/reference/reward_model_ref.py

A tiny random Hugging Face `LlamaForSequenceClassification` (GQA 4/2 heads, num_labels 1, pad_token_id 0):
`config.json` (architectures LlamaForSequenceClassification, id2label, pad_token_id), `model.safetensors` (the Llama
body under `model.*` plus `score.weight` [num_labels, hidden], no lm_head) and `expected.safetensors` with
`input_ids`, `attention_mask` (I32 [3, 7]; row 1 right-padded, row 2 left-padded), `scores` [3, 1] and `last` (I32
[3]): transformers' rule, the score (`hidden @ score.weight.T`, no bias) at the last position whose id is not the
pad id. Deterministic (torch.manual_seed); float32 throughout.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _llama_torch import Llama, LlamaCfg, write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "packages", "llama", "fixtures", "reward_model")

CFG = LlamaCfg(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
               num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
               max_position_embeddings=64, bos_token_id=1, eos_token_id=2)
PAD = 0
NUM_LABELS = 1


def main() -> None:
    torch.manual_seed(4321)
    model = Llama(CFG)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(1.0 + 0.2 * torch.randn_like(p) if name.endswith("norm.weight") else 0.3 * torch.randn_like(p))
    score = 0.3 * torch.randn(NUM_LABELS, CFG.hidden_size)
    b, t = 3, 7
    ids = torch.randint(3, CFG.vocab_size, (b, t), dtype=torch.int64)
    ids[1, 5:] = PAD
    ids[2, :2] = PAD
    mask = (ids != PAD).long()
    with torch.no_grad():
        hidden = model.hidden_states(ids, mask)
        logits = hidden @ score.t()  # [B, T, L]
        # transformers (LlamaForSequenceClassification): the last token that is not the pad token
        non_pad = (ids != PAD).int()
        last = (torch.arange(t)[None, :] * non_pad).argmax(-1)
        scores = logits[torch.arange(b), last]
    os.makedirs(OUT, exist_ok=True)
    config = CFG.to_hf_json()
    config["architectures"] = ["LlamaForSequenceClassification"]
    config["id2label"] = {str(i): f"LABEL_{i}" for i in range(NUM_LABELS)}
    config["label2id"] = {f"LABEL_{i}": i for i in range(NUM_LABELS)}
    config["pad_token_id"] = PAD
    with open(os.path.join(OUT, "config.json"), "w") as fh:
        json.dump(config, fh, indent=2)
        fh.write("\n")
    sd = {k: v for k, v in model.hf_state_dict().items() if not k.startswith("lm_head")}
    sd["score.weight"] = score
    write_safetensors(os.path.join(OUT, "model.safetensors"), sd, {"format": "pt"})
    write_safetensors(os.path.join(OUT, "expected.safetensors"),
                      {"input_ids": ids.int().numpy(), "attention_mask": mask.int().numpy(),
                       "scores": scores.float(), "last": last.int().numpy()})
    print("reward model scores", scores.flatten().tolist(), "last", last.tolist())


if __name__ == "__main__":
    main()
