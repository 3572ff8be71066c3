import { type BackendInfo, initBackend } from "@wpo/backends";

/** One backend configuration the suite compares against the cpu baseline. */
export interface Variant {
  /** Label used in test names and messages. */
  label: string;
  /** Activates it; throws when it cannot load here. */
  init(): Promise<BackendInfo>;
}

/**
 * cpu (the baseline), wasm with native OpenBLAS matmul, wasm without it, native (typed arrays + @wpo/blas;
 * skipped where the addon is not built) and WebGPU (Dawn in Node).
 */
export const VARIANTS: readonly Variant[] = [
  { label: "cpu", init: () => initBackend("cpu") },
  { label: "wasm+blas", init: () => initBackend("wasm", { nativeBlas: true }) },
  { label: "wasm", init: () => initBackend("wasm", { nativeBlas: false }) },
  { label: "native", init: () => initBackend("native") },
  { label: "webgpu", init: () => initBackend("webgpu") },
];

/** The variants selected by `WPO_XB_BACKENDS` (comma-separated labels), default all. */
export function selectedVariants(): Variant[] {
  const env = process.env.WPO_XB_BACKENDS;
  if (!env) return [...VARIANTS];
  const wanted = env.split(",").map((s) => s.trim());
  return VARIANTS.filter((v) => v.label === "cpu" || wanted.includes(v.label));
}

/** Named float arrays one variant produced. */
export type Outputs = Map<string, Float32Array>;

/** What a run over the variants gave: the outputs per label, and why a variant was skipped. */
export interface VariantRuns {
  outputs: Map<string, Outputs>;
  skipped: Map<string, string>;
  infos: Map<string, BackendInfo>;
}

/**
 * Runs `compute` once per variant (cpu first), each time on freshly activated backend,
 * and collects its named outputs as host arrays. A variant that cannot initialise is
 * recorded as skipped, with the reason; a compute failure is an error.
 */
export async function runOnVariants(
  compute: (label: string) => Promise<Outputs>,
  variants: readonly Variant[] = selectedVariants(),
): Promise<VariantRuns> {
  const runs: VariantRuns = { outputs: new Map(), skipped: new Map(), infos: new Map() };
  for (const v of variants) {
    let info: BackendInfo;
    try {
      info = await v.init();
    } catch (error) {
      if (v.label === "cpu") throw error;
      runs.skipped.set(v.label, (error as Error).message.split("\n")[0] ?? "");
      continue;
    }
    runs.infos.set(v.label, info);
    runs.outputs.set(v.label, await compute(v.label));
  }
  return runs;
}
