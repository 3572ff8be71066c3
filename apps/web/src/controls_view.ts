/** Training settings the page exposes (also settable by URL query, for tests and links). */
export interface TrainSettings {
  /** Optimizer steps. */
  steps: number;
  /** Pairs per step. */
  batchPairs: number;
  /** AdamW learning rate (peak of the cosine schedule). */
  learningRate: number;
  /** DPO β. */
  beta: number;
  /** Seed for generation. */
  seed: number;
  /** Read metrics back from the GPU every this many steps. */
  logEvery: number;
  /** Prompts to sample before/after. */
  samplePrompts: number;
  /** New tokens per sample. */
  sampleTokens: number;
  /** LoRA rank (all-linear, alpha 2r): train only an adapter on the frozen model; 0 = full fine-tuning. */
  loraRank: number;
}

const FIELDS: { key: keyof TrainSettings; label: string; step: string }[] = [
  { key: "steps", label: "steps", step: "1" },
  { key: "batchPairs", label: "pairs per step", step: "1" },
  { key: "learningRate", label: "learning rate", step: "any" },
  { key: "beta", label: "β", step: "any" },
  { key: "seed", label: "seed", step: "1" },
  { key: "logEvery", label: "read metrics every", step: "1" },
  { key: "samplePrompts", label: "sample prompts", step: "1" },
  { key: "sampleTokens", label: "sample tokens", step: "1" },
  { key: "loraRank", label: "LoRA rank (0: full fine-tuning)", step: "1" },
];

/** Defaults of the embedded demo. */
export const DEFAULT_SETTINGS: TrainSettings = {
  steps: 16,
  batchPairs: 4,
  learningRate: 3e-4,
  beta: 0.1,
  seed: 42,
  logEvery: 2,
  samplePrompts: 4,
  sampleTokens: 32,
  loraRank: 0,
};

/**
 * Reads settings from the URL query over the defaults (`?steps=3&batchPairs=2`).
 *
 * @param params The page's query.
 * @returns The settings.
 */
export function settingsFromQuery(params: URLSearchParams): TrainSettings {
  const out = { ...DEFAULT_SETTINGS };
  for (const { key } of FIELDS) {
    const v = params.get(key);
    if (v !== null && Number.isFinite(Number(v))) out[key] = Number(v);
  }
  return out;
}

/** Handlers of the page's buttons. */
export interface ControlHandlers {
  onPickModel(): void;
  onPickDataset(): void;
  onStart(settings: TrainSettings): void;
  onDownload(): void;
}

function button(id: string, text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.id = id;
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

/**
 * Renders the source and training controls.
 *
 * @param initial Settings to show.
 * @param handlers What the buttons do.
 */
export function renderControls(initial: TrainSettings, handlers: ControlHandlers): void {
  const source = document.getElementById("source-controls")!;
  const sourceText = document.createElement("div");
  sourceText.id = "source-text";
  sourceText.textContent = "Embedded demo: stories260K with happy-vs-sad story pairs.";
  source.replaceChildren(
    sourceText,
    button("pick-model", "Load model folder…", handlers.onPickModel),
    button("pick-dataset", "Load dataset file…", handlers.onPickDataset),
  );
  const train = document.getElementById("train-controls")!;
  const inputs = new Map<keyof TrainSettings, HTMLInputElement>();
  const labels = FIELDS.map(({ key, label, step }) => {
    const l = document.createElement("label");
    const input = document.createElement("input");
    input.type = "number";
    input.step = step;
    input.value = String(initial[key]);
    input.id = `set-${key}`;
    inputs.set(key, input);
    l.append(`${label} `, input);
    return l;
  });
  const start = button("start", "Train", () => {
    const s = { ...initial };
    for (const [key, input] of inputs) s[key] = Number(input.value);
    handlers.onStart(s);
  });
  const download = button("download", "Download trained safetensors", handlers.onDownload);
  download.disabled = true;
  train.replaceChildren(...labels, start, download);
}

/**
 * Shows what the page will train on.
 *
 * @param text Description of model and data.
 */
export function setSourceText(text: string): void {
  document.getElementById("source-text")!.textContent = text;
}

/**
 * Enables or disables a button by id.
 *
 * @param id Button id.
 * @param enabled Whether it can be clicked.
 */
export function setEnabled(id: string, enabled: boolean): void {
  const b = document.getElementById(id) as HTMLButtonElement | null;
  if (b) b.disabled = !enabled;
}
