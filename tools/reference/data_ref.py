#!/usr/bin/python3
"""Reference fixtures for @wpo/data (TRL 0.9.6 tokenisation, truncation and collation, as run by WPO).

Writes packages/data/fixtures/{tokenize_cases,pair_feature_cases,collate_cases,hybrid_cases}.json, copies a
few rows of assets/ into packages/data/fixtures/ as small sample files, and writes the trainer's seeded epoch
orders to packages/trainer/fixtures/epoch_orders.json.

Run from the repository root:  /usr/bin/python3 tools/reference/data_ref.py

Everything here is re-implemented from docs (wpo-spec.md section 6): WPO's apply_chat_template (task "dpo"),
TRL 0.9.6 build_tokenized_answer / tokenize_row (non encoder-decoder path), DPODataCollatorWithPadding +
concatenated_inputs, and the hybrid-v2 pair rules. The tokenizer is a toy (special tokens, byte tokens and a few
multi-byte pieces matched greedily, longest first) mirrored exactly by src/_test_toy_tokenizer.ts, with a
Llama-3-shaped chat template rendered by hand here and by @huggingface/jinja in TypeScript.
"""
import gzip
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ASSETS = os.path.join(ROOT, "assets")
OUT = os.path.join(ROOT, "packages", "data", "fixtures")

SPECIALS = ["<pad>", "<s>", "</s>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"]
PIECES = [
    "the", " the", "th", "he", "in", "ing", " a", "an", "and", " and", "er", "re", "on", " to", "ou", "you", " you",
    "\n\n", "user", "assistant", "system", "is", " is", "it", " it", "ll", "ell", "hello", " hello", "at", "or",
    "es", "st", "ed", "  ", " I", "I ", "\u2019", "ow", " w", "wh", "what", " what", "?", "e ", " b", "bu", "tter",
]
PIECE_BYTES = [p.encode("utf-8") for p in PIECES]


class ToyTokenizer:
    bos_token = "<s>"
    bos_token_id = 1
    pad_token_id = 0

    def __init__(self, eos_token_id=2):
        self.eos_token_id = eos_token_id
        self.specials = sorted(SPECIALS, key=len, reverse=True)

    def _plain(self, text, out):
        data = text.encode("utf-8")
        i = 0
        while i < len(data):
            best, best_len = -1, 1
            for k, p in enumerate(PIECE_BYTES):
                if len(p) > best_len and data[i:i + len(p)] == p:
                    best, best_len = k, len(p)
            if best == -1:
                out.append(6 + data[i])
                i += 1
            else:
                out.append(262 + best)
                i += best_len

    def encode(self, text):
        """Like tokenizer(text, add_special_tokens=False)["input_ids"]."""
        out, plain, i = [], "", 0
        while i < len(text):
            special = next((s for s in self.specials if text.startswith(s, i)), None)
            if special is None:
                plain += text[i]
                i += 1
            else:
                self._plain(plain, out)
                plain = ""
                out.append(SPECIALS.index(special))
                i += len(special)
        self._plain(plain, out)
        return out

    def apply_chat_template(self, messages):
        """The Llama-3 template shape: BOS, then per turn header + trimmed content + <|eot_id|>."""
        text = ""
        for index, m in enumerate(messages):
            turn = "<|start_header_id|>" + m["role"] + "<|end_header_id|>\n\n" + m["content"].strip() + "<|eot_id|>"
            text += (self.bos_token + turn) if index == 0 else turn
        return text


def parse_hh(text):
    parts = re.split(r"\n\n(Human|Assistant): ", text)
    return [{"role": "user" if parts[i] == "Human" else "assistant", "content": parts[i + 1]}
            for i in range(1, len(parts) - 1, 2)]


def hh_row(raw):
    chosen, rejected = parse_hh(raw["chosen"]), parse_hh(raw["rejected"])
    return {"prompt": chosen[-2]["content"], "chosen": chosen, "rejected": rejected}


def format_row(row, tok, insert_system=False):
    """WPO apply_chat_template(task="dpo") for message rows; plain string rows pass through."""
    if isinstance(row["chosen"], str):
        return row["prompt"], row["chosen"], row["rejected"]
    if isinstance(row.get("prompt"), list):
        p, c, r = list(row["prompt"]), row["chosen"], row["rejected"]
    else:
        p, c, r = row["chosen"][:-1], row["chosen"][-1:], row["rejected"][-1:]
    if insert_system and (len(p) == 0 or p[0]["role"] != "system"):
        p.insert(0, {"role": "system", "content": ""})

    def strip_bos(t):
        return t[len(tok.bos_token):] if t.startswith(tok.bos_token) else t
    return tok.apply_chat_template(p), strip_bos(tok.apply_chat_template(c)), strip_bos(tok.apply_chat_template(r))


def split_answer(tok, prompt, prompt_ids, answer):
    full = tok.encode(prompt + answer)
    assert len(prompt_ids) <= len(full)
    start = len(prompt_ids)
    if prompt_ids != full[:start]:
        start -= 1
    return full[:start], full[start:]


def tokenize_row(prompt_ids, chosen_prompt, chosen, rejected_prompt, rejected, bos, eos, max_length,
                 max_prompt_length, mode, label_pad=-100):
    """TRL 0.9.6 tokenize_row after tokenisation: BOS/EOS insertion, prompt then response truncation, labels."""
    plen = min(len(chosen_prompt), len(rejected_prompt))
    prompt_ids = prompt_ids[:plen]
    diff = sum(a != b for a, b in zip(chosen_prompt, rejected_prompt))
    assert diff <= 1 and abs(len(chosen_prompt) - len(rejected_prompt)) <= 1
    sides = {"prompt": list(prompt_ids), "cp": list(chosen_prompt), "rp": list(rejected_prompt)}
    for key in sides:
        if len(sides[key]) == 0 or sides[key][0] != bos:
            sides[key] = [bos] + sides[key]
    chosen, rejected = list(chosen), list(rejected)
    if len(chosen) == 0 or chosen[-1] != eos:
        chosen.append(eos)
    if len(rejected) == 0 or rejected[-1] != eos:
        rejected.append(eos)
    longer = max(len(chosen), len(rejected))
    for key in ["cp", "rp", "prompt"]:
        if len(sides[key]) + longer > max_length:
            sides[key] = sides[key][:max_prompt_length] if mode == "keep_start" else sides[key][-max_prompt_length:]
    if len(sides["cp"]) + longer > max_length:
        chosen = chosen[:max_length - max_prompt_length]
    if len(sides["rp"]) + longer > max_length:
        rejected = rejected[:max_length - max_prompt_length]
    out = {"prompt_input_ids": sides["prompt"]}
    for name, p, r in [("chosen", sides["cp"], chosen), ("rejected", sides["rp"], rejected)]:
        out[name + "_input_ids"] = p + r
        out[name + "_attention_mask"] = [1] * (len(p) + len(r))
        out[name + "_labels"] = [label_pad] * len(p) + r
    return out


def tokenize_preference_row(row, tok, max_length, max_prompt_length, mode, insert_system=False):
    prompt, chosen, rejected = format_row(row, tok, insert_system)
    prompt_ids = tok.encode(prompt)
    cp, c = split_answer(tok, prompt, prompt_ids, chosen)
    rp, r = split_answer(tok, prompt, prompt_ids, rejected)
    out = tokenize_row(prompt_ids, cp, c, rp, r, tok.bos_token_id, tok.eos_token_id, max_length,
                       max_prompt_length, mode)
    out["texts"] = {"prompt": prompt, "chosen": chosen, "rejected": rejected}
    return out


def collate(features, pad_id, label_pad=-100):
    """DPODataCollatorWithPadding (right padding) + concatenated_inputs: rows [chosen; rejected], one length."""
    rows = [(f["chosen_input_ids"], f["chosen_attention_mask"], f["chosen_labels"]) for f in features]
    rows += [(f["rejected_input_ids"], f["rejected_attention_mask"], f["rejected_labels"]) for f in features]
    t = max(len(r[0]) for r in rows)
    return {
        "input_ids": [r[0] + [pad_id] * (t - len(r[0])) for r in rows],
        "attention_mask": [r[1] + [0] * (t - len(r[1])) for r in rows],
        "labels": [r[2] + [label_pad] * (t - len(r[2])) for r in rows],
    }


def hybrid_pair(responses, unit_len):
    """Card rules: chosen = max score (ties: shortest, then first); rejected = min score (ties: smallest length
    difference to chosen, then first); all scores equal -> None."""
    scores = [r["score"] for r in responses]
    if len(responses) < 2:
        return None, "too-few-responses"
    if max(scores) == min(scores):
        return None, "all-equal-scores"
    lens = [unit_len(r) for r in responses]
    ci = min((i for i in range(len(responses)) if scores[i] == max(scores)), key=lambda i: (lens[i], i))
    ri = min((i for i in range(len(responses)) if scores[i] == min(scores)),
             key=lambda i: (abs(lens[i] - lens[ci]), i))
    return (ci, ri), None


M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def mulberry32(seed):
    state = [seed & M32]

    def draw():
        state[0] = (state[0] + 0x6D2B79F5) & M32
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0
    return draw


def epoch_order(n, seed, epoch):
    """The trainer's epoch order (@wpo/trainer epochBatches): Fisher-Yates (@wpo/random permutation) driven by
    mulberry32 (@wpo/random SeededRng) seeded with (seed * 1000003 + epoch * 7919) mod 2^32."""
    draw, order = mulberry32((seed * 1000003 + epoch * 7919) & M32), list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(draw() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def msgs(*pairs):
    return [{"role": r, "content": c} for r, c in pairs]


def main():
    os.makedirs(OUT, exist_ok=True)
    raw = [json.loads(l) for l in gzip.open(os.path.join(ASSETS, "hh_helpful-base_test.jsonl.gz"), "rt")][:12]
    wpo = [json.loads(l) for l in open(os.path.join(ASSETS, "hh_helpful-base_test.wpo_schema.first256.jsonl"))][:12]
    with open(os.path.join(OUT, "hh_raw_sample.jsonl"), "w") as f:
        for r in raw:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(OUT, "wpo_schema_sample.jsonl"), "w") as f:
        for r in wpo:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(OUT, "wpo_schema_sample.json"), "w") as f:
        json.dump(wpo[:5], f, ensure_ascii=False, indent=1)

    long_user = "Tell me the story of the butterflies and the hello world " * 6
    long_answer = "I think the answer is that you and I should go on the road to the inn " * 5
    single = msgs(("user", "hello there, what is the answer?"), ("assistant", "It is forty two."))
    single_r = msgs(("user", "hello there, what is the answer?"), ("assistant", "I do not know."))
    cases = [
        ("single turn, EOS </s> appended after <|eot_id|>", {"prompt": "x", "chosen": single, "rejected": single_r}, 2, 128, 64, "keep_end"),
        ("single turn, EOS <|eot_id|> already present", {"prompt": "x", "chosen": single, "rejected": single_r}, 3, 128, 64, "keep_end"),
        ("long prompt keep_end (BOS dropped)", {"chosen": msgs(("user", long_user), ("assistant", "Yes.")),
                                                 "rejected": msgs(("user", long_user), ("assistant", "No way."))}, 2, 96, 48, "keep_end"),
        ("long prompt keep_start", {"chosen": msgs(("user", long_user), ("assistant", "Yes.")),
                                    "rejected": msgs(("user", long_user), ("assistant", "No way."))}, 2, 96, 48, "keep_start"),
        ("long responses, short prompt", {"chosen": msgs(("user", "Why?"), ("assistant", long_answer)),
                                          "rejected": msgs(("user", "Why?"), ("assistant", "Because."))}, 2, 96, 48, "keep_end"),
        ("long prompt and long responses", {"chosen": msgs(("user", long_user), ("assistant", long_answer)),
                                            "rejected": msgs(("user", long_user), ("assistant", long_answer[::-1]))}, 3, 120, 50, "keep_end"),
        ("empty chosen response", {"chosen": msgs(("user", "Say nothing."), ("assistant", "")),
                                   "rejected": msgs(("user", "Say nothing."), ("assistant", "Something."))}, 2, 128, 64, "keep_end"),
        ("multi-turn", {"chosen": msgs(("user", "Hi"), ("assistant", "Hello!"), ("user", "What is the time?"), ("assistant", "Noon.")),
                        "rejected": msgs(("user", "Hi"), ("assistant", "Hello!"), ("user", "What is the time?"), ("assistant", "No idea"))}, 2, 128, 64, "keep_end"),
        ("system message", {"chosen": msgs(("system", "  Be brief.  "), ("user", "Hello?"), ("assistant", " Hi. ")),
                            "rejected": msgs(("system", "  Be brief.  "), ("user", "Hello?"), ("assistant", "Go away."))}, 2, 128, 64, "keep_end"),
        ("prompt given as a message list", {"prompt": msgs(("user", "Q?")), "chosen": msgs(("assistant", "A1")),
                                            "rejected": msgs(("assistant", "A2"))}, 2, 128, 64, "keep_end"),
        ("plain strings, seam merge on chosen only", {"prompt": "Tell me about th", "chosen": "e sea", "rejected": " sky"}, 2, 128, 64, "keep_end"),
        ("plain strings, empty responses", {"prompt": "Q: hello", "chosen": "", "rejected": ""}, 2, 128, 64, "keep_end"),
        ("plain strings with BOS and EOS text", {"prompt": "<s>Q: what", "chosen": " yes</s>", "rejected": " no"}, 2, 128, 64, "keep_end"),
        ("plain strings, long prompt and response", {"prompt": long_user, "chosen": long_answer, "rejected": "ok"}, 2, 64, 40, "keep_end"),
    ]
    for i, r in enumerate(wpo[:6]):
        cases.append((f"HH WPO-schema row {i + 1}", r, 2, 256, 128, "keep_end"))
    for i in [1, 3]:
        cases.append((f"HH raw transcript row {i + 1}", {"__hh__": raw[i]}, 3, 200, 120, "keep_start"))

    tokenize_cases = []
    for name, row, eos, ml, mpl, mode in cases:
        tok = ToyTokenizer(eos)
        parsed = hh_row(row["__hh__"]) if "__hh__" in row else row
        expected = tokenize_preference_row(parsed, tok, ml, mpl, mode)
        tokenize_cases.append({"name": name, "row": row["__hh__"] if "__hh__" in row else row, "hh": "__hh__" in row,
                               "eosId": eos, "maxLength": ml, "maxPromptLength": mpl, "truncationMode": mode,
                               "expected": expected})
    sys_case = {"chosen": single, "rejected": single_r}
    tokenize_cases.append({"name": "inserted empty system message", "row": sys_case, "hh": False, "eosId": 2,
                           "maxLength": 128, "maxPromptLength": 64, "truncationMode": "keep_end",
                           "insertEmptySystemMessage": True,
                           "expected": tokenize_preference_row(sys_case, ToyTokenizer(2), 128, 64, "keep_end", True)})
    json.dump(tokenize_cases, open(os.path.join(OUT, "tokenize_cases.json"), "w"), ensure_ascii=False)

    pair_cases = []
    spec = [
        ([1, 10, 11], [20, 21], [30], 8, 4, "keep_end"),
        ([10, 11, 12, 13, 14, 15], [20, 21, 2], [30, 31, 32, 33], 8, 4, "keep_end"),
        ([10, 11, 12, 13, 14, 15], [20, 21, 2], [30, 31, 32, 33], 8, 4, "keep_start"),
        ([10], list(range(40, 52)), [30], 8, 4, "keep_end"),
        ([], [], [], 8, 4, "keep_end"),
        (list(range(100, 120)), list(range(40, 52)), list(range(60, 63)), 16, 10, "keep_end"),
        (list(range(100, 120)), list(range(40, 45)), [2], 24, 20, "keep_start"),
    ]
    for p, c, r, ml, mpl, mode in spec:
        out = tokenize_row(p, p, c, p, r, 1, 2, ml, mpl, mode)
        pair_cases.append({"promptIds": p, "chosenIds": c, "rejectedIds": r, "maxLength": ml,
                           "maxPromptLength": mpl, "truncationMode": mode, "expected": out})
    json.dump(pair_cases, open(os.path.join(OUT, "pair_feature_cases.json"), "w"))

    feats = [c["expected"] for c in tokenize_cases[:5]]
    json.dump({"caseNames": [c["name"] for c in tokenize_cases[:5]], "padTokenId": 0,
               "expected": collate(feats, 0)}, open(os.path.join(OUT, "collate_cases.json"), "w"))

    tok = ToyTokenizer(2)
    prompts = [
        {"prompt": "p1", "responses": [{"text": "aaaa", "score": 3}, {"text": "bb", "score": 3}, {"text": "cccccc", "score": 1},
                                       {"text": "d", "score": 1}, {"text": "eeeeeeeeee", "score": 2}]},
        {"prompt": "p2", "responses": [{"text": "same", "score": 5}, {"text": "other", "score": 5}]},
        {"prompt": "p3", "responses": [{"text": "only", "score": 1}]},
        {"prompt": "p4", "responses": [{"text": "the the the", "score": 9}, {"text": "hello hello", "score": 9},
                                       {"text": "x", "score": 0}, {"text": "what is it", "score": 0}, {"text": "yyyyyyyyyy", "score": 0}]},
        {"prompt": "p5", "responses": [{"text": "héllo wörld", "score": 0.5}, {"text": "ab", "score": -1}, {"text": "abcdefghijk", "score": -1}]},
    ]
    hybrid = {"prompts": prompts}
    for unit in ["chars", "tokens"]:
        f = (lambda r: len(r["text"])) if unit == "chars" else (lambda r: len(tok.encode(r["text"])))
        hybrid[unit] = [dict(zip(["pair", "skip"], hybrid_pair(p["responses"], f))) for p in prompts]
    json.dump(hybrid, open(os.path.join(OUT, "hybrid_cases.json"), "w"), ensure_ascii=False)
    orders = [{"size": n, "seed": seed, "epoch": e, "order": epoch_order(n, seed, e)}
              for n, seed, e in [(8, 42, 0), (8, 42, 1), (50, 1, 0), (50, 1, 3), (1000, 123456789, 2)]]
    json.dump(orders, open(os.path.join(ROOT, "packages", "trainer", "fixtures", "epoch_orders.json"), "w"))
    print("wrote", len(tokenize_cases), "tokenize cases,", len(pair_cases), "pair cases to", OUT)


if __name__ == "__main__":
    main()
