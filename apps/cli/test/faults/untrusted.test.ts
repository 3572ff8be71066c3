import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readPreferenceDataset } from "@wpo/data";
import { describe, expect, it } from "vitest";
import { tempDir, tinyData, toyTokenizer, wpo, wpoProcess } from "./_harness.ts";

const messages = (user: string, answer: string) => [
  { role: "user", content: user },
  { role: "assistant", content: answer },
];

/** A message-list row (rendered with the chat template) for `wpo tokenize --data`. */
function chatRows(dir: string): string {
  const p = join(dir, "chat.jsonl");
  writeFileSync(
    p,
    `${JSON.stringify({ chosen: messages("Hi", "Hello"), rejected: messages("Hi", "Go") })}\n`,
  );
  return p;
}

describe("faults: untrusted templates, regexes, data and paths", { timeout: 240_000 }, () => {
  const dir = tempDir();

  it.for([
    [
      "range(1000000000)",
      "{% for i in range(1000000000) %}x{% endfor %}",
      /range\(\) of 1000000000 elements/,
    ],
    [
      "nested loops",
      "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}x{% endfor %}{% endfor %}{% endfor %}",
      /more than 200000 evaluation steps/,
    ],
  ] as const)("a chat template with %s ends in a wpo: error within seconds (child process)", async ([
    name,
    template,
    message,
  ]) => {
    const d = join(dir, name.replace(/\W/g, ""));
    mkdirSync(d);
    const r = await wpoProcess(
      ["tokenize", `--tokenizer=${toyTokenizer(d, { chatTemplate: template })}`, `--data=${chatRows(d)}`],
      {
        timeoutMs: 60_000,
      },
    );
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wpo: /);
    expect(r.stderr).toMatch(message);
  });

  it("a tokenizer.json Split regex that backtracks ((a+)+$) is refused at load, not run for hours", async () => {
    const d = join(dir, "regex");
    mkdirSync(d);
    const r = await wpoProcess(
      ["tokenize", `--tokenizer=${toyTokenizer(d, { splitRegex: "(a+)+$" })}`, `--text=${"a".repeat(34)}!`],
      { timeoutMs: 60_000 },
    );
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wpo: .*tokenizer.json: pre_tokenizer.pretokenizers\[0\].pattern: regex "\(a\+\)\+\$" repeats a group/,
    );
  });

  it("a data line over the line limit is an error naming file and line", async () => {
    const p = join(dir, "long.jsonl");
    writeFileSync(p, `{"prompt": "a", "chosen": "b", "rejected": "c"}\n{"prompt": "${"x".repeat(4096)}"}\n`);
    await expect(readPreferenceDataset(p, { maxLineBytes: 1024 })).rejects.toThrow(
      `'${p}', line 2: longer than 1024 bytes`,
    );
  });

  it.for([
    ["/proc/self/x", /^wpo: Output folder '\/proc\/self\/x' is inside \/proc, a system folder/],
    ["/dev/shm/../null/x", /^wpo: Output folder .* is inside \/dev/],
    ["FILE/x", /^wpo: Output folder '.*pairs\.jsonl\/x': '.*pairs\.jsonl' is a file, not a folder/],
  ] as const)("--output_dir %s ends in a wpo: error", async ([out, message]) => {
    const data = tinyData(dir);
    const r = await wpo([
      "train",
      `--data=${data}`,
      "--backend=cpu",
      `--output_dir=${out.replace("FILE", data)}`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it.for([
    [
      "--data=ZERO",
      /^wpo: Preference dataset '.*zero\.jsonl' is not a regular file \(a device, pipe or socket\)/,
    ],
    ["--model=/dev/zero", /^wpo: Model file '\/dev\/zero' is not a regular file/],
    ["--tokenizer=/dev/zero", /^wpo: Tokenizer file '\/dev\/zero' is not a regular file/],
    ["--config=/dev/zero", /^wpo: Config file '\/dev\/zero' is not a regular file/],
  ] as const)("%s is refused, not read forever", async ([flag, message]) => {
    const zero = join(dir, "zero.jsonl");
    if (!existsSync(zero)) symlinkSync("/dev/zero", zero);
    const t = join(dir, "tok");
    mkdirSync(t, { recursive: true });
    const r = await wpo([
      "train",
      `--data=${tinyData(dir)}`,
      `--tokenizer=${toyTokenizer(t)}`,
      "--backend=cpu",
      `--output_dir=${join(dir, "z")}`,
      flag.replace("ZERO", zero),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
