import type { BackendInfo } from "@wpo/backends";

/** One logged training step as the page (and the e2e test) sees it. */
export interface StepRecord {
  /** 1-based optimizer step. */
  step: number;
  /** Mean loss of the step. */
  loss: number;
  /** Other metrics (TRL names: `rewards/margins`, `rewards/accuracies`, `wpo/weight`, `grad_norm`, ...). */
  metrics: Record<string, number>;
}

/** Page state, also published on `window.__wpo` so that tests can read it. */
export interface AppState {
  /** Where the page is. */
  phase: "init" | "ready" | "loading" | "training" | "done" | "error";
  /** The active backend. */
  backend?: BackendInfo;
  /** Why WebGPU was not used, when it was asked for. */
  fallbackReason?: string;
  /** Steps logged so far. */
  steps: StepRecord[];
  /** How many points each chart has drawn. */
  chartPoints: Record<string, number>;
  /** Sample completions before and after training. */
  samples: { prompt: string; before: string; after?: string }[];
  /** Milliseconds per optimizer step, measured. */
  msPerStep?: number;
  /** The error that stopped the page, if any. */
  error?: string;
}

/** The one state object of the page. */
export const state: AppState = { phase: "init", steps: [], chartPoints: {}, samples: [] };

declare global {
  interface Window {
    __wpo?: AppState;
  }
}

/** Publishes the state on `window.__wpo` (read by the Playwright test). */
export function publishState(): void {
  globalThis.window.__wpo = state;
}
