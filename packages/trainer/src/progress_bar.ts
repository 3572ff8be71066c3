/** Where a {@linkcode ProgressBar} writes: a stream with `write` and optionally `isTTY`. */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** True when the stream is an interactive terminal. */
  isTTY?: boolean;
}

/** Options of {@linkcode ProgressBar}. */
export interface ProgressBarOptions {
  /** Output stream. Default `process.stderr`. */
  stream?: ProgressStream;
  /** Bar width in characters. Default 24. */
  width?: number;
  /** When not a TTY, print a plain line every this many steps (and at the end). Default 10. */
  plainEvery?: number;
  /** A label in front of the bar. Default "train". */
  label?: string;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** The figures shown on the bar. */
export interface ProgressFigures {
  /** Last loss. */
  loss?: number;
  /** Last reward accuracy. */
  accuracy?: number;
  /** Tokens per second. */
  tokensPerSecond?: number;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const m = Math.floor(s / 60);
  const r = Math.round(s - 60 * m);
  return m > 0 ? `${m}m${String(r).padStart(2, "0")}s` : `${r}s`;
}

/**
 * A training progress bar: step/total, loss, reward accuracy, tokens/s and ETA.
 * On a terminal it redraws one line; otherwise it prints a plain line every few steps.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "@wpo/trainer";
 * let out = "";
 * const bar = new ProgressBar(4, { stream: { write: (t: string) => { out += t; } }, plainEvery: 2 });
 * bar.update(2, { loss: 0.69 });
 * console.assert(out.includes("2/4") && out.includes("loss 0.6900"));
 * ```
 */
export class ProgressBar {
  readonly #total: number;
  readonly #stream: ProgressStream;
  readonly #width: number;
  readonly #every: number;
  readonly #label: string;
  readonly #now: () => number;
  readonly #start: number;
  #startStep: number | undefined;

  /**
   * Creates a bar for `total` steps.
   *
   * @param total Number of steps.
   * @param options Stream, width, label.
   */
  constructor(total: number, options: ProgressBarOptions = {}) {
    this.#total = Math.max(1, total);
    this.#stream = options.stream ?? process.stderr;
    this.#width = options.width ?? 24;
    this.#every = options.plainEvery ?? 10;
    this.#label = options.label ?? "train";
    this.#now = options.now ?? Date.now;
    this.#start = this.#now();
  }

  /**
   * The line shown for a step (without newline or carriage return).
   *
   * @param step Steps done.
   * @param figures Loss, accuracy, tokens/s.
   * @returns The text of the bar.
   */
  render(step: number, figures: ProgressFigures = {}): string {
    this.#startStep ??= step - 1;
    const frac = Math.min(1, step / this.#total);
    const filled = Math.round(frac * this.#width);
    const bar = `${"#".repeat(filled)}${"-".repeat(this.#width - filled)}`;
    const elapsed = (this.#now() - this.#start) / 1000;
    const done = step - (this.#startStep ?? 0);
    const eta = done > 0 ? (elapsed / done) * (this.#total - step) : Number.NaN;
    const parts = [`${this.#label} [${bar}] ${step}/${this.#total}`];
    if (figures.loss !== undefined) parts.push(`loss ${figures.loss.toFixed(4)}`);
    if (figures.accuracy !== undefined) parts.push(`acc ${figures.accuracy.toFixed(2)}`);
    if (figures.tokensPerSecond !== undefined) parts.push(`${Math.round(figures.tokensPerSecond)} tok/s`);
    parts.push(`elapsed ${formatSeconds(elapsed)}`, `eta ${formatSeconds(eta)}`);
    return parts.join(" | ");
  }

  /**
   * Shows progress after `step` steps.
   *
   * @param step Steps done.
   * @param figures Loss, accuracy, tokens/s.
   */
  update(step: number, figures: ProgressFigures = {}): void {
    const line = this.render(step, figures);
    if (this.#stream.isTTY) {
      this.#stream.write(`\r${line}\x1b[K${step >= this.#total ? "\n" : ""}`);
    } else if (step % this.#every === 0 || step >= this.#total) {
      this.#stream.write(`${line}\n`);
    }
  }
}
