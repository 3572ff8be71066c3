import { appendFileSync, dirname, mkdirSync, writeFileSync } from "#node-only";
import { atomicWriteFile } from "./atomic_write.ts";

/** One logged record: metric name (TRL's names, e.g. `rewards/margins`) -> value. */
export type MetricRecord = Record<string, number>;

/**
 * Averages metrics over the micro-batches stored since the last log, the way TRL's
 * DPOTrainer reports them (each name is averaged over the records that have it).
 *
 * @example
 * ```ts
 * import { MetricsAccumulator } from "@wpo/trainer";
 * const acc = new MetricsAccumulator();
 * acc.add({ loss: 1 });
 * acc.add({ loss: 3 });
 * console.assert(acc.flush().loss === 2);
 * ```
 */
export class MetricsAccumulator {
  #sums = new Map<string, { sum: number; count: number }>();

  /**
   * Stores one micro-batch's metrics.
   *
   * @param record Metric name -> value.
   */
  add(record: MetricRecord): void {
    for (const [k, v] of Object.entries(record)) {
      const e = this.#sums.get(k) ?? { sum: 0, count: 0 };
      e.sum += v;
      e.count += 1;
      this.#sums.set(k, e);
    }
  }

  /**
   * Returns the means since the last flush and clears the store.
   *
   * @returns Metric name -> mean.
   */
  flush(): MetricRecord {
    const out: MetricRecord = {};
    for (const [k, e] of this.#sums) out[k] = e.sum / e.count;
    this.#sums.clear();
    return out;
  }
}

/**
 * Prefixes every metric name with `eval_`, TRL's convention for evaluation metrics.
 *
 * @param record Metric name -> value.
 * @returns The same values under `eval_<name>`.
 * @example
 * ```ts
 * import { withEvalPrefix } from "@wpo/trainer";
 * console.assert(withEvalPrefix({ "rewards/margins": 1 })["eval_rewards/margins"] === 1);
 * ```
 */
export function withEvalPrefix(record: MetricRecord): MetricRecord {
  const out: MetricRecord = {};
  for (const [k, v] of Object.entries(record)) out[`eval_${k}`] = v;
  return out;
}

/**
 * Appends metric records as JSON lines (one object per logging step) to a file.
 *
 * @example
 * ```ts
 * import { MetricsWriter } from "@wpo/trainer";
 * import { readFileSync, mkdtempSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const p = join(mkdtempSync(join(tmpdir(), "wpo-")), "metrics.jsonl");
 * const w = new MetricsWriter(p);
 * w.write({ step: 1, loss: 0.69 });
 * console.assert(JSON.parse(readFileSync(p, "utf8")).loss === 0.69);
 * ```
 */
export class MetricsWriter {
  /** The JSONL file being written. */
  readonly path: string;
  /** Every record written so far (for the final report). */
  readonly records: MetricRecord[] = [];

  /**
   * Opens (and, unless `append`, truncates) a JSONL file.
   *
   * @param path File to write.
   * @param options `append: true` keeps existing lines; `start` replaces them with these records (a resume
   * passes the checkpoint's history, which drops the lines logged after the checkpoint).
   */
  constructor(path: string, options: MetricsWriterOptions = {}) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    if (options.start) atomicWriteFile(path, options.start.map((r) => `${JSON.stringify(r)}\n`).join(""));
    else if (!options.append) writeFileSync(path, "");
  }

  /**
   * Appends one record.
   *
   * @param record Metric name -> value.
   */
  write(record: MetricRecord): void {
    this.records.push(record);
    try {
      appendFileSync(this.path, `${JSON.stringify(record)}\n`);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e?.code && !e.path) e.path = this.path; // a failed write(2) carries no path
      throw error;
    }
  }
}

/** Options of {@linkcode MetricsWriter}. */
export interface MetricsWriterOptions {
  /** Keep the file's existing lines. Default false. */
  append?: boolean;
  /** Replace the file's lines with these records (written atomically). */
  start?: readonly MetricRecord[];
}
