import { describe, expect, it } from "vitest";
import type { MetricRecord } from "./metrics_log.ts";
import { renderReportHtml, renderReportSvg } from "./report.ts";

describe("report", () => {
  const records: MetricRecord[] = [
    { step: 1, loss: 0.69, "rewards/margins": 0, "rewards/accuracies": 0, "wpo/weight_mean": 0.8 },
    { step: 2, loss: 0.5, "rewards/margins": 0.4, "rewards/accuracies": 0.75, "wpo/weight_mean": 0.7 },
    { step: 2, eval_loss: 0.55, "eval_rewards/margins": 0.3 },
  ];
  it("draws four panels as a standalone SVG", () => {
    const svg = renderReportSvg(records);
    expect(svg.startsWith("<svg")).toBe(true);
    for (const t of ["Loss", "Reward margin", "Reward accuracy", "WPO weight"]) expect(svg).toContain(t);
    expect((svg.match(/<path /g) ?? []).length).toBe(6);
    expect(svg).not.toContain("NaN");
  });
  it("builds self-contained HTML with escaped summary", () => {
    const html = renderReportHtml(records, { summary: [["win <rate>", "0.9"]], notes: ["a & b"] });
    expect(html).toContain("win &lt;rate&gt;");
    expect(html).toContain("a &amp; b");
    expect(html).not.toMatch(/<script|href=|src=/);
  });
  it("handles empty and constant series", () => {
    expect(renderReportSvg([])).toContain("no data");
    expect(renderReportSvg([{ step: 1, loss: 1 }])).not.toContain("NaN");
  });
});
