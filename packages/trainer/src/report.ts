import { type ChartSeries, lineChart } from "./_svg_chart.ts";
import type { MetricRecord } from "./metrics_log.ts";

/** Options of {@linkcode renderReportHtml}. */
export interface ReportOptions {
  /** Page title. Default "WPO training report". */
  title?: string;
  /** Rows of a summary table (label -> value), e.g. held-out reward and win rate. */
  summary?: [string, string][];
  /** Free text shown under the title (HTML-escaped). */
  notes?: string[];
}

const PANELS: { title: string; keys: { key: string; label: string; color: string }[] }[] = [
  {
    title: "Loss",
    keys: [
      { key: "loss", label: "train", color: "#1f77b4" },
      { key: "eval_loss", label: "eval", color: "#ff7f0e" },
    ],
  },
  {
    title: "Reward margin (chosen - rejected)",
    keys: [
      { key: "rewards/margins", label: "train", color: "#1f77b4" },
      { key: "eval_rewards/margins", label: "eval", color: "#ff7f0e" },
    ],
  },
  {
    title: "Reward accuracy",
    keys: [
      { key: "rewards/accuracies", label: "train", color: "#1f77b4" },
      { key: "eval_rewards/accuracies", label: "eval", color: "#ff7f0e" },
    ],
  },
  {
    title: "WPO weight (mean over pairs)",
    keys: [
      { key: "wpo/weight_mean", label: "train", color: "#2ca02c" },
      { key: "eval_wpo/weight_mean", label: "eval", color: "#d62728" },
    ],
  },
];

function seriesOf(records: MetricRecord[], key: string): [number, number][] {
  const out: [number, number][] = [];
  records.forEach((r, i) => {
    const v = r[key];
    if (v !== undefined) out.push([r.step ?? i, v]);
  });
  return out;
}

/**
 * Renders the training curves (loss, reward margin, reward accuracy, WPO weight)
 * as one standalone SVG image.
 *
 * @param records Logged metric records (each with `step`).
 * @returns SVG text.
 * @example
 * ```ts
 * import { renderReportSvg } from "@wpo/trainer";
 * const svg = renderReportSvg([{ step: 1, loss: 0.7 }, { step: 2, loss: 0.6 }]);
 * console.assert(svg.startsWith("<svg") && svg.includes("Loss"));
 * ```
 */
export function renderReportSvg(records: MetricRecord[]): string {
  const cw = 420;
  const ch = 220;
  const charts = PANELS.map((p, i) => {
    const series: ChartSeries[] = p.keys.map((k) => ({
      label: k.label,
      color: k.color,
      points: seriesOf(records, k.key),
    }));
    return lineChart(p.title, series, { x: (i % 2) * cw, y: Math.floor(i / 2) * ch, width: cw, height: ch });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * cw}" height="${2 * ch}" viewBox="0 0 ${2 * cw} ${2 * ch}"><rect width="100%" height="100%" fill="white"/>${charts.join("")}</svg>`;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Renders a self-contained HTML report: a summary table and the training curves
 * as inline SVG (no scripts, no external files).
 *
 * @param records Logged metric records (each with `step`).
 * @param options Title, summary rows, notes.
 * @returns HTML text.
 * @example
 * ```ts
 * import { renderReportHtml } from "@wpo/trainer";
 * const html = renderReportHtml([{ step: 1, loss: 0.7 }], { summary: [["win rate", "0.9"]] });
 * console.assert(html.includes("<svg") && html.includes("win rate"));
 * ```
 */
export function renderReportHtml(records: MetricRecord[], options: ReportOptions = {}): string {
  const title = options.title ?? "WPO training report";
  const rows = (options.summary ?? [])
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join("");
  const notes = (options.notes ?? []).map((n) => `<p>${esc(n)}</p>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:900px}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}th{background:#f4f4f4}</style>
</head><body>
<h1>${esc(title)}</h1>
${notes}
${rows ? `<table>${rows}</table>` : ""}
<h2>Training curves</h2>
${renderReportSvg(records)}
</body></html>
`;
}
