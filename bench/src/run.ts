/**
 * `pnpm bench`: the project's WPO training step on the best CPU backend against the
 * same step in PyTorch on this machine, a 200-step memory run, and the tokenizer
 * throughput benchmark; prints a table and ends with ONE JSON line for run-to-run
 * comparison. Flags: --shape NAME (a real model shape of @wpo/llama's NAMED_SHAPES, e.g. smollm2-135m: one pair of
 * --seq-len N (1024) tokens, gradient checkpointing on both sides unless --no-gradient-checkpointing; the memory
 * run is skipped unless --memory-steps is given) --steps N (4) --warmup N (1) --rounds N (3: wpo and PyTorch alternate, the median
 * round is reported) --backend wasm|native|cpu (wasm) --no-blas --model project|handwritten (project: @wpo/llama +
 * @wpo/losses + @wpo/optim) --memory-steps N (200, 0 skips) --no-torch --no-tokenizer.
 */
import { existsSync } from "node:fs";
import { initBackend } from "@wpo/backends";
import { BENCH_CONFIG, parameterCount } from "./bench_config.ts";
import { benchShapeConfig } from "./bench_shapes.ts";
import { memoryRun } from "./memory_run.ts";
import { benchTfjsStep, type StepResult } from "./step_tfjs.ts";
import { benchWpoStep } from "./step_wpo.ts";
import { benchTorchStep, type TorchResult } from "./torch_step.ts";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const num = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const str = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? dflt) : dflt;
};
const shape = str("shape", "");
const steps = Math.max(1, num("steps", shape ? 2 : 4));
const warmup = num("warmup", 1);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const log = (...a: unknown[]) => console.error(...a);

const info = await initBackend(str("backend", "wasm") as "wasm" | "native" | "cpu", {
  nativeBlas: !flag("no-blas"),
});
log(`backend ${info.name}, matmul ${info.matmul ?? "stock"}; ${info.notes.join("; ")}`);
const c = shape
  ? benchShapeConfig(shape, {
      seqLen: num("seq-len", 1024),
      pairs: num("pairs", 1),
      gradientCheckpointing: !flag("no-gradient-checkpointing"),
    })
  : BENCH_CONFIG;
log(
  `config: ${shape || "bench"}, ${(parameterCount(c) / 1e6).toFixed(1)}M params, ${c.pairs} pairs x ${c.seqLen} tokens, live reference model` +
    (c.gradientCheckpointing ? ", gradient checkpointing (both sides)" : ""),
);

const model = str("model", "project");
const bench = model === "handwritten" ? benchTfjsStep : benchWpoStep;
log(
  `step: ${model === "handwritten" ? "hand-written Llama block stack (bench/src/model_tfjs.ts)" : "@wpo/llama + @wpo/losses (chunked log-probs, WPO weights, sigmoid) + @wpo/optim AdamW"}`,
);
const memorySteps = num("memory-steps", shape ? 0 : 200);
const memory = memorySteps > 0 ? await memoryRun(memorySteps) : undefined;
if (memory)
  log(
    `memory run (WpoTrainer, small model, ${memory.warmup_steps} warm-up steps, then ${memory.steps} steps sampled after a full GC): tensors ${memory.num_tensors.join(",")}; rss MB ${memory.rss_mb.join(",")} (growth ${memory.rss_growth_mb}; highest without forced GC ${memory.rss_no_gc_max_mb}); wasm heap MB ${memory.wasm_heap_mb.join(",")}; JS heap MB ${memory.js_heap_mb.join(",")}`,
  );

/** PyTorch's step at its default thread count and at 2 threads; the faster, plus both results. */
function torchStep(): { best?: TorchResult; runs: Record<string, TorchResult | { error: string }> } {
  const runs: Record<string, TorchResult | { error: string }> = {};
  let best: TorchResult | undefined;
  // torch.get_num_threads() is 1 after `import torch` here; compare its default with 2 threads, keep the faster.
  for (const threads of [undefined, 2]) {
    const r = benchTorchStep(c, { steps, warmup, ...(threads ? { threads } : {}) });
    runs[threads ? `threads=${threads}` : "default"] = r;
    if ("error" in r) log(`torch: ${r.error}`);
    else if (!best || r.tokens_per_s > best.tokens_per_s) best = r;
  }
  return best ? { best, runs } : { runs };
}

// Rounds alternate the two sides, so a change in the machine's speed during the run reaches both; the
// round with the median ratio is reported (all rounds are in the JSON line).
const rounds = Math.max(1, num("rounds", shape ? 1 : 3));
const measured: {
  ours: StepResult;
  torch?: TorchResult;
  torchRuns: Record<string, TorchResult | { error: string }>;
}[] = [];
for (let r = 0; r < rounds; r++) {
  const ours = await bench(c, { steps, warmup });
  const t = flag("no-torch") ? { runs: {} } : torchStep();
  measured.push({ ours, torchRuns: t.runs, ...(t.best ? { torch: t.best } : {}) });
  log(
    `round ${r + 1}/${rounds}: wpo ${round(ours.step_ms, 0)} ms (${round(ours.tokens_per_s)} tokens/s, tensors after each step ${ours.num_tensors.join(",")})` +
      (t.best
        ? `; PyTorch ${round(t.best.step_ms, 0)} ms (${round(t.best.tokens_per_s)} tokens/s); ratio ${round(ours.tokens_per_s / t.best.tokens_per_s, 3)}`
        : ""),
  );
}
const ratioOf = (m: (typeof measured)[number]) =>
  m.torch ? m.ours.tokens_per_s / m.torch.tokens_per_s : m.ours.tokens_per_s;
const median = [...measured].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor((measured.length - 1) / 2)]!;
const { ours, torch, torchRuns } = median;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

let tok: { tokenizer_mb_per_s?: number; hf_tokenizer_mb_per_s?: number } = {};
if (!flag("no-tokenizer") && existsSync(new URL("./tokenizer.ts", import.meta.url))) {
  // Written by the tokenizer engineer; imported by path so the step bench runs without it.
  const mod = (await import(/* @vite-ignore */ new URL("./tokenizer.ts", import.meta.url).href)) as {
    benchTokenizer?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  };
  tok = ((await mod.benchTokenizer?.()) ?? {}) as typeof tok;
  log(`tokenizer: ${JSON.stringify(tok)}`);
}

const phases = Object.keys(ours.phases_ms) as (keyof typeof ours.phases_ms)[];
log("\n| phase | tfjs ms | torch ms |\n|---|---|---|");
for (const p of phases)
  log(`| ${p} | ${round(ours.phases_ms[p], 0)} | ${torch ? round(torch.phases_ms[p], 0) : "-"} |`);
log(`| step | ${round(ours.step_ms, 0)} | ${torch ? round(torch.step_ms, 0) : "-"} |`);
log(`| tokens/s | ${round(ours.tokens_per_s)} | ${torch ? round(torch.tokens_per_s) : "-"} |`);
log(`| peak RSS MB | ${round(peakRssMb, 0)} | ${torch ? round(torch.peak_rss_mb, 0) : "-"} |\n`);

console.log(
  JSON.stringify({
    step_tokens_per_s: round(ours.tokens_per_s),
    torch_step_tokens_per_s: torch ? round(torch.tokens_per_s) : null,
    step_ratio: torch ? round(ours.tokens_per_s / torch.tokens_per_s, 3) : null,
    peak_rss_mb: round(peakRssMb, 0),
    torch_peak_rss_mb: torch ? round(torch.peak_rss_mb, 0) : null,
    tokenizer_mb_per_s: tok.tokenizer_mb_per_s ?? null,
    hf_tokenizer_mb_per_s: tok.hf_tokenizer_mb_per_s ?? null,
    model,
    shape: shape || "bench",
    gradient_checkpointing: c.gradientCheckpointing ?? false,
    backend: info.name,
    matmul: info.matmul ?? null,
    params_m: round(parameterCount(c) / 1e6, 1),
    tokens_per_step: 2 * c.pairs * c.seqLen,
    phases_ms: Object.fromEntries(phases.map((p) => [p, round(ours.phases_ms[p], 0)])),
    torch_phases_ms: torch ? Object.fromEntries(phases.map((p) => [p, round(torch.phases_ms[p], 0)])) : null,
    torch_threads: torch?.threads ?? null,
    torch_runs_tokens_per_s: Object.fromEntries(
      Object.entries(torchRuns).map(([k, r]) => [k, "error" in r ? null : round(r.tokens_per_s)]),
    ),
    memory_steps: memory?.steps ?? 0,
    memory_tensor_drift: memory?.tensor_drift ?? null,
    memory_rss_growth_mb: memory?.rss_growth_mb ?? null,
    memory_rss_mb: memory?.rss_mb ?? null,
    rounds,
    step_ratio_rounds: measured.every((m) => m.torch) ? measured.map((m) => round(ratioOf(m), 3)) : null,
    step_tokens_per_s_rounds: measured.map((m) => round(m.ours.tokens_per_s)),
    torch_step_tokens_per_s_rounds: measured.map((m) => (m.torch ? round(m.torch.tokens_per_s) : null)),
    load_avg_1m: round((await import("node:os")).loadavg()[0] ?? 0, 2),
  }),
);
