/** One line on a chart. */
export interface ChartSeries {
  label: string;
  color: string;
  points: [number, number][];
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

/** Renders a small line chart as an SVG `<g>` positioned at (x, y), without external resources. */
export function lineChart(
  title: string,
  series: ChartSeries[],
  box: { x: number; y: number; width: number; height: number },
): string {
  const pad = { left: 52, right: 10, top: 22, bottom: 26 };
  const w = box.width - pad.left - pad.right;
  const h = box.height - pad.top - pad.bottom;
  const all = series.flatMap((s) => s.points).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const parts: string[] = [
    `<g transform="translate(${box.x},${box.y})" font-family="sans-serif" font-size="11">`,
  ];
  parts.push(`<text x="${pad.left}" y="14" font-size="13" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<rect x="${pad.left}" y="${pad.top}" width="${w}" height="${h}" fill="none" stroke="#bbb"/>`);
  if (all.length === 0) {
    parts.push(`<text x="${pad.left + 8}" y="${pad.top + 20}" fill="#888">no data</text></g>`);
    return parts.join("");
  }
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0)
    [y0, y1] = [y0 - Math.max(1e-6, Math.abs(y0) * 0.1), y1 + Math.max(1e-6, Math.abs(y1) * 0.1)];
  const sx = (v: number) => pad.left + ((v - x0) / (x1 - x0)) * w;
  const sy = (v: number) => pad.top + h - ((v - y0) / (y1 - y0)) * h;
  for (const v of [y0, (y0 + y1) / 2, y1]) {
    parts.push(`<text x="${pad.left - 4}" y="${sy(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  parts.push(`<text x="${pad.left}" y="${pad.top + h + 16}">${fmt(x0)}</text>`);
  parts.push(`<text x="${pad.left + w}" y="${pad.top + h + 16}" text-anchor="end">${fmt(x1)} (step)</text>`);
  const shown = series.filter((s) => s.points.some(([a, b]) => Number.isFinite(a) && Number.isFinite(b)));
  let legendX = pad.left + w - shown.reduce((acc, s) => acc + 8 + 7 * s.label.length, 0);
  for (const s of series) {
    const pts = s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    if (pts.length === 0) continue;
    const d = pts
      .map(([a, b], i) => `${i === 0 ? "M" : "L"}${sx(a).toFixed(1)},${sy(b).toFixed(1)}`)
      .join("");
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"/>`);
    if (pts.length <= 12) {
      for (const [a, b] of pts)
        parts.push(`<circle cx="${sx(a).toFixed(1)}" cy="${sy(b).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
    parts.push(`<text x="${legendX}" y="14" fill="${s.color}">${esc(s.label)}</text>`);
    legendX += 8 + 7 * s.label.length;
  }
  parts.push("</g>");
  return parts.join("");
}
