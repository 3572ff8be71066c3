#!/usr/bin/python3
"""Writes the LoRA parity fixtures of @wpo/llama into packages/llama/fixtures/lora/.

Run from anywhere:  /usr/bin/python3 tools/reference/lora_ref.py

A hand-written LoRA (PEFT's `lora.Linear` in its default setting: y = x W^T + scale * (x A^T) B^T,
scale = alpha / r, or alpha / sqrt(r) with rsLoRA; dropout 0) on the tiny Llamas of llama_ref.py
(their `model.safetensors`, inputs, mask and probe from `expected.safetensors`). A and B are random
(B non-zero, so that every adapter gradient is non-trivial). For each case it writes
`fixtures/lora/<case>/adapter_config.json` + `adapter_model.safetensors` (PEFT layout and key names,
`base_model.model.<module>.lora_A.weight` [r, in] / `lora_B.weight` [out, r]) and
`expected.safetensors` with `logits` of the adapted model, `merged_logits` of the model whose
projections are W + scale * B A, and `grad.<adapter tensor name>` = d/dparam of sum(probe * logits)
for every adapter tensor (model names, without `base_model.model.`).

Cases: `gqa_all_linear` (gqa_untied, r 4, alpha 8, all seven projections) and `tied_rslora_qv`
(tied_llama3, r 2, alpha 6, rsLoRA, q_proj and v_proj).
"""
import json
import math
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _llama_torch import Llama, LlamaCfg, read_safetensors, write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(ROOT, "packages", "llama", "fixtures")
ALL_LINEAR = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
PARENT = {m: "self_attn" if m in ALL_LINEAR[:4] else "mlp" for m in ALL_LINEAR}


class LoraLinear(nn.Module):
    """A frozen nn.Linear plus a LoRA branch."""

    def __init__(self, base: nn.Linear, a: torch.Tensor, b: torch.Tensor, scale: float):
        super().__init__()
        self.base = base
        self.lora_A = nn.Parameter(a.clone())
        self.lora_B = nn.Parameter(b.clone())
        self.scale = scale

    def forward(self, x):
        return self.base(x) + self.scale * ((x @ self.lora_A.t()) @ self.lora_B.t())


def load_base(variant: str) -> Llama:
    with open(os.path.join(FIX, variant, "config.json")) as fh:
        j = json.load(fh)
    keys = LlamaCfg.__dataclass_fields__.keys()
    cfg = LlamaCfg(**{k: v for k, v in j.items() if k in keys})
    model = Llama(cfg)
    sd = read_safetensors(os.path.join(FIX, variant, "model.safetensors"))
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected, unexpected
    assert all(m.endswith("inv_freq") or m == "lm_head.weight" for m in missing), missing
    return model


def make_case(name: str, variant: str, r: int, alpha: float, targets: list, rslora: bool, seed: int) -> None:
    torch.manual_seed(seed)
    model = load_base(variant)
    for p in model.parameters():
        p.requires_grad_(False)
    scale = alpha / math.sqrt(r) if rslora else alpha / r
    adapters = {}
    for layer_idx, layer in enumerate(model.model.layers):
        for m in targets:
            parent = getattr(layer, PARENT[m])
            base = getattr(parent, m)
            a = 0.3 * torch.randn(r, base.in_features)
            b = 0.3 * torch.randn(base.out_features, r)
            wrapped = LoraLinear(base, a, b, scale)
            setattr(parent, m, wrapped)
            adapters[f"model.layers.{layer_idx}.{PARENT[m]}.{m}"] = wrapped
    exp_in = read_safetensors(os.path.join(FIX, variant, "expected.safetensors"))
    ids = exp_in["input_ids"].long()
    mask = exp_in["attention_mask"].long()
    probe = exp_in["probe"]
    logits = model(ids, mask)
    f = (probe * logits).sum()
    params = []
    names = []
    for prefix, mod in adapters.items():
        params += [mod.lora_A, mod.lora_B]
        names += [f"{prefix}.lora_A.weight", f"{prefix}.lora_B.weight"]
    grads = torch.autograd.grad(f, params)
    # merged model: W + scale * B A, adapters removed
    merged = load_base(variant)
    with torch.no_grad():
        for prefix, mod in adapters.items():
            layer_idx = int(prefix.split(".")[2])
            parent_name, m = prefix.split(".")[3:5]
            lin = getattr(getattr(merged.model.layers[layer_idx], parent_name), m)
            lin.weight.add_(scale * (mod.lora_B @ mod.lora_A))
        merged_logits = merged(ids, mask)
    out = os.path.join(FIX, "lora", name)
    os.makedirs(out, exist_ok=True)
    config = {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": f"fixtures/{variant}",
        "bias": "none", "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True,
        "layer_replication": None, "layers_pattern": None, "layers_to_transform": None, "loftq_config": {},
        "lora_alpha": alpha, "lora_dropout": 0.0, "megatron_config": None, "megatron_core": "megatron.core",
        "modules_to_save": None, "peft_type": "LORA", "r": r, "rank_pattern": {}, "revision": None,
        "target_modules": sorted(targets), "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": rslora,
    }
    with open(os.path.join(out, "adapter_config.json"), "w") as fh:
        json.dump(config, fh, indent=2, sort_keys=True)
        fh.write("\n")
    tensors = {}
    for prefix, mod in adapters.items():
        tensors[f"base_model.model.{prefix}.lora_A.weight"] = mod.lora_A.detach()
        tensors[f"base_model.model.{prefix}.lora_B.weight"] = mod.lora_B.detach()
    write_safetensors(os.path.join(out, "adapter_model.safetensors"), tensors, {"format": "pt"})
    exp = {"logits": logits.detach(), "merged_logits": merged_logits.detach()}
    for n, g in zip(names, grads):
        exp["grad." + n] = g
    write_safetensors(os.path.join(out, "expected.safetensors"), exp)
    diff = float((merged_logits - logits).abs().max())
    print(name, "f =", float(f), "adapter tensors", len(names), "merged-vs-adapter max diff", diff)


if __name__ == "__main__":
    make_case("gqa_all_linear", "gqa_untied", 4, 8.0, ALL_LINEAR, False, 99)
    make_case("tied_rslora_qv", "tied_llama3", 2, 6.0, ["q_proj", "v_proj"], True, 100)
