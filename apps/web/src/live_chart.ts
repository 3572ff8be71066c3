const SVG = "http://www.w3.org/2000/svg";
const W = 300;
const H = 140;
const PAD = { left: 40, right: 8, top: 8, bottom: 18 };

/** One line of a {@linkcode LiveChart}. */
export interface SeriesSpec {
  /** Legend label. */
  label: string;
  /** CSS colour. */
  color: string;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string>,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** A small SVG line chart that redraws as points arrive (no dependencies). */
export class LiveChart {
  /** Points per series. */
  readonly points: [number, number][][];
  readonly #svg: SVGSVGElement;
  readonly #last: HTMLSpanElement;
  readonly #series: SeriesSpec[];

  /**
   * Creates the chart inside a container.
   *
   * @param container Where to append the chart.
   * @param options Title, series and an id for tests.
   */
  constructor(container: HTMLElement, options: { id: string; title: string; series: SeriesSpec[] }) {
    this.#series = options.series;
    this.points = options.series.map(() => []);
    const box = document.createElement("div");
    box.className = "chart";
    box.id = `chart-${options.id}`;
    const title = document.createElement("div");
    title.className = "title";
    title.textContent = options.title;
    this.#last = document.createElement("span");
    this.#last.className = "last";
    title.append(this.#last);
    this.#svg = el("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none" });
    box.append(title, this.#svg);
    container.append(box);
    this.#draw();
  }

  /** Number of points drawn, over all series. */
  get size(): number {
    return this.points.reduce((n, p) => n + p.length, 0);
  }

  /**
   * Adds a point to a series and redraws; non-finite values are skipped.
   *
   * @param series Index of the series.
   * @param x Step.
   * @param y Value.
   */
  push(series: number, x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.points[series]?.push([x, y]);
    this.#last.textContent = this.#series
      .map((s, i) => `${s.label} ${fmt(this.points[i]?.at(-1)?.[1] ?? Number.NaN)}`)
      .join("  ");
    this.#draw();
  }

  #draw(): void {
    const all = this.points.flat();
    const xs = all.map((p) => p[0]);
    const ys = all.map((p) => p[1]);
    let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
    let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
    const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
    const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
    const children: SVGElement[] = [
      el("line", {
        x1: `${PAD.left}`,
        x2: `${W - PAD.right}`,
        y1: `${H - PAD.bottom}`,
        y2: `${H - PAD.bottom}`,
        stroke: "#bbb",
      }),
      el("line", {
        x1: `${PAD.left}`,
        x2: `${PAD.left}`,
        y1: `${PAD.top}`,
        y2: `${H - PAD.bottom}`,
        stroke: "#bbb",
      }),
    ];
    const label = (x: number, y: number, text: string, anchor: string) => {
      const t = el("text", { x: `${x}`, y: `${y}`, "font-size": "10", fill: "#666", "text-anchor": anchor });
      t.textContent = text;
      children.push(t);
    };
    label(PAD.left - 3, PAD.top + 8, fmt(y1), "end");
    label(PAD.left - 3, H - PAD.bottom, fmt(y0), "end");
    label(PAD.left, H - 4, fmt(x0), "start");
    label(W - PAD.right, H - 4, fmt(x1), "end");
    this.points.forEach((pts, i) => {
      if (!pts.length) return;
      const d = pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
      const color = this.#series[i]?.color ?? "#333";
      children.push(el("polyline", { points: d, fill: "none", stroke: color, "stroke-width": "1.5" }));
      for (const [x, y] of pts.length <= 40 ? pts : []) {
        children.push(el("circle", { cx: `${sx(x)}`, cy: `${sy(y)}`, r: "2", fill: color }));
      }
    });
    this.#svg.replaceChildren(...children);
  }
}
