#!/usr/bin/python3
"""A small PyTorch Llama with Hugging Face parameter names, for parity fixtures.

Importable by other reference scripts (e.g. the trainer's): `from _llama_torch import ...`
with `tools/reference` on `sys.path`. Provides:

- `LlamaCfg`: the fields of a Hugging Face Llama `config.json` that matter (snake_case),
  `to_hf_json()` to write one.
- `Llama(cfg)`: the model (RMSNorm, RoPE rotate-half layout with optional llama3 scaling,
  grouped-query attention with causal + key-padding masks as an additive -1e9, SwiGLU,
  tied or untied lm_head). `forward(input_ids, attention_mask=None, position_ids=None)`
  returns float32 logits [B, T, V]; `hidden_states(...)` returns the final-norm output.
  Parameter names are exactly the HF ones (`model.embed_tokens.weight`, ...).
- `read_safetensors(path)` / `write_safetensors(path, tensors, metadata)`: pure-python
  safetensors (F32 written; F32/F16/BF16 read), no `safetensors` package needed.
- `load_llama2c(path)`: a llama2.c checkpoint (e.g. stories260K.bin) as (LlamaCfg, state
  dict in the HF layout, q/k rows permuted from interleaved to rotate-half pairs).

Only torch + numpy + the standard library are used (Debian's python3-torch).
"""
import json
import math
import struct
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import torch
from torch import nn

MASK_VALUE = -1e9


@dataclass
class LlamaCfg:
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: Optional[int] = None
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    rope_scaling: Optional[dict] = None
    tie_word_embeddings: bool = False
    max_position_embeddings: int = 2048
    bos_token_id: int = 1
    eos_token_id: int = 2

    @property
    def hd(self) -> int:
        return self.head_dim or self.hidden_size // self.num_attention_heads

    def to_hf_json(self) -> dict:
        return {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "vocab_size": self.vocab_size,
            "hidden_size": self.hidden_size,
            "intermediate_size": self.intermediate_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "head_dim": self.hd,
            "hidden_act": "silu",
            "rms_norm_eps": self.rms_norm_eps,
            "rope_theta": self.rope_theta,
            "rope_scaling": self.rope_scaling,
            "tie_word_embeddings": self.tie_word_embeddings,
            "max_position_embeddings": self.max_position_embeddings,
            "bos_token_id": self.bos_token_id,
            "eos_token_id": self.eos_token_id,
            "attention_bias": False,
            "mlp_bias": False,
            "initializer_range": 0.02,
            "torch_dtype": "float32",
        }


def rope_inv_freq(cfg: LlamaCfg) -> torch.Tensor:
    """inv_freq as transformers computes it (float32), with llama3 scaling when configured."""
    d = cfg.hd
    inv = 1.0 / (cfg.rope_theta ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    rs = cfg.rope_scaling
    if rs is None or rs.get("rope_type", rs.get("type")) == "default":
        return inv
    assert rs.get("rope_type", rs.get("type")) == "llama3"
    factor, low, high = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
    old = rs["original_max_position_embeddings"]
    low_wl, high_wl = old / low, old / high
    wavelen = 2 * math.pi / inv
    scaled = torch.where(wavelen > low_wl, inv / factor, inv)
    smooth = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < high_wl) * ~(wavelen > low_wl)
    return torch.where(medium, smoothed, scaled)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


class RMSNorm(nn.Module):
    def __init__(self, n: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps))


class Attention(nn.Module):
    def __init__(self, cfg: LlamaCfg):
        super().__init__()
        e, h, kv, d = cfg.hidden_size, cfg.num_attention_heads, cfg.num_key_value_heads, cfg.hd
        self.h, self.kv, self.d = h, kv, d
        self.q_proj = nn.Linear(e, h * d, bias=False)
        self.k_proj = nn.Linear(e, kv * d, bias=False)
        self.v_proj = nn.Linear(e, kv * d, bias=False)
        self.o_proj = nn.Linear(h * d, e, bias=False)

    def forward(self, x, cos, sin, bias):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.d).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv, self.d).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        g = self.h // self.kv
        k = k.repeat_interleave(g, dim=1)
        v = v.repeat_interleave(g, dim=1)
        s = torch.matmul(q, k.transpose(2, 3)) * (self.d ** -0.5)
        s = s + bias
        p = torch.softmax(s, dim=-1, dtype=torch.float32)
        o = torch.matmul(p, v).transpose(1, 2).reshape(b, t, self.h * self.d)
        return self.o_proj(o)


class MLP(nn.Module):
    def __init__(self, cfg: LlamaCfg):
        super().__init__()
        e, i = cfg.hidden_size, cfg.intermediate_size
        self.gate_proj = nn.Linear(e, i, bias=False)
        self.up_proj = nn.Linear(e, i, bias=False)
        self.down_proj = nn.Linear(i, e, bias=False)

    def forward(self, x):
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, cfg: LlamaCfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, bias):
        h = x + self.self_attn(self.input_layernorm(x), cos, sin, bias)
        return h + self.mlp(self.post_attention_layernorm(h))


class Inner(nn.Module):
    def __init__(self, cfg: LlamaCfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([Layer(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


class Llama(nn.Module):
    def __init__(self, cfg: LlamaCfg):
        super().__init__()
        self.cfg = cfg
        self.model = Inner(cfg)
        if not cfg.tie_word_embeddings:
            self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        self.register_buffer("inv_freq", rope_inv_freq(cfg), persistent=False)

    def lm_head_weight(self):
        return self.model.embed_tokens.weight if self.cfg.tie_word_embeddings else self.lm_head.weight

    def hidden_states(self, input_ids, attention_mask=None, position_ids=None):
        b, t = input_ids.shape
        if position_ids is None:
            position_ids = torch.arange(t).unsqueeze(0).expand(b, t)
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        allowed = torch.tril(torch.ones(t, t, dtype=torch.bool))[None, None]
        if attention_mask is not None:
            allowed = allowed & attention_mask.bool()[:, None, None, :]
        bias = torch.where(allowed, torch.tensor(0.0), torch.tensor(MASK_VALUE))
        x = self.model.embed_tokens(input_ids)
        for layer in self.model.layers:
            x = layer(x, cos, sin, bias)
        return self.model.norm(x)

    def forward(self, input_ids, attention_mask=None, position_ids=None):
        h = self.hidden_states(input_ids, attention_mask, position_ids)
        return torch.matmul(h, self.lm_head_weight().t()).float()

    def hf_state_dict(self) -> dict:
        sd = {k: v for k, v in self.state_dict().items() if k != "inv_freq"}
        return sd


# ---------------------------------------------------------------- safetensors (pure python)

_DT = {"F32": (np.float32, 4), "F16": (np.float16, 2), "BF16": (None, 2), "I32": (np.int32, 4), "I64": (np.int64, 8)}


def write_safetensors(path: str, tensors: dict, metadata: Optional[dict] = None) -> None:
    """Writes float32 tensors (name -> torch.Tensor or ndarray), names sorted, header space-padded to 8 bytes."""
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        a = tensors[name]
        a = a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
        if a.dtype == np.int32:
            dt = "I32"
        else:
            a, dt = a.astype("<f4"), "F32"
        raw = np.ascontiguousarray(a).tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path: str) -> dict:
    """Reads a safetensors file into name -> float32 (or int) torch tensors."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        raw = data[base + b : base + e]
        dt = info["dtype"]
        if dt == "BF16":
            u = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            a = u.view(np.float32)
        else:
            a = np.frombuffer(raw, dtype=np.dtype(_DT[dt][0]).newbyteorder("<")).astype(
                np.float32 if dt.startswith("F") else _DT[dt][0]
            )
        out[name] = torch.from_numpy(a.reshape(info["shape"]).copy())
    return out


# ---------------------------------------------------------------- llama2.c import

def load_llama2c(path: str):
    """Loads a llama2.c checkpoint as (LlamaCfg, HF-layout state dict), permuting q/k rows."""
    with open(path, "rb") as f:
        data = f.read()
    dim, hidden, n_layers, n_heads, n_kv, vocab, seq_len = struct.unpack("<7i", data[:28])
    shared = vocab > 0
    vocab = abs(vocab)
    hs = dim // n_heads
    w = np.frombuffer(data, dtype="<f4", offset=28)
    pos = 0

    def take(*shape):
        nonlocal pos
        n = int(np.prod(shape))
        a = w[pos : pos + n].reshape(shape).copy()
        pos += n
        return torch.from_numpy(a)

    def permute(m, heads):
        # row p*(hs/2)+i of each head takes old row 2i+p
        m = m.view(heads, hs // 2, 2, dim)
        return m.transpose(1, 2).reshape(heads * hs, dim)

    emb = take(vocab, dim)
    rms_att = take(n_layers, dim)
    wq = take(n_layers, n_heads * hs, dim)
    wk = take(n_layers, n_kv * hs, dim)
    wv = take(n_layers, n_kv * hs, dim)
    wo = take(n_layers, dim, n_heads * hs)
    rms_ffn = take(n_layers, dim)
    w1 = take(n_layers, hidden, dim)
    w2 = take(n_layers, dim, hidden)
    w3 = take(n_layers, hidden, dim)
    rms_final = take(dim)
    cfg = LlamaCfg(vocab_size=vocab, hidden_size=dim, intermediate_size=hidden, num_hidden_layers=n_layers,
                   num_attention_heads=n_heads, num_key_value_heads=n_kv, rms_norm_eps=1e-5, rope_theta=10000.0,
                   tie_word_embeddings=shared, max_position_embeddings=seq_len, bos_token_id=1, eos_token_id=2)
    sd = {"model.embed_tokens.weight": emb, "model.norm.weight": rms_final}
    for i in range(n_layers):
        p = f"model.layers.{i}."
        sd[p + "input_layernorm.weight"] = rms_att[i]
        sd[p + "self_attn.q_proj.weight"] = permute(wq[i], n_heads)
        sd[p + "self_attn.k_proj.weight"] = permute(wk[i], n_kv)
        sd[p + "self_attn.v_proj.weight"] = wv[i]
        sd[p + "self_attn.o_proj.weight"] = wo[i]
        sd[p + "post_attention_layernorm.weight"] = rms_ffn[i]
        sd[p + "mlp.gate_proj.weight"] = w1[i]
        sd[p + "mlp.down_proj.weight"] = w2[i]
        sd[p + "mlp.up_proj.weight"] = w3[i]
    if not shared:
        pos += seq_len * hs  # legacy freq_cis_real + freq_cis_imag tables
        sd["lm_head.weight"] = take(vocab, dim)
    return cfg, sd
