import { mkdirSync, readFileSync } from "node:fs";
import { decodeSafetensors } from "@wpo/llama";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppState } from "../src/app_state.ts";
import { APP_ROOT, buildApp } from "./_build_app.ts";
import { cpuDemoRun } from "./_cpu_reference.ts";
import { DEFAULT_SETTINGS, type TrainSettings } from "../src/controls_view.ts";
import { hasLavapipe, launchChromium, WEBGPU_OPENGLES, WEBGPU_SWIFTSHADER } from "./_chromium.ts";
import { type StaticServer, serveStatic } from "./_static_server.ts";

const ARTEFACTS = `${APP_ROOT}test-results`;

/** A few tiny steps: software WebGPU is slow (OpenGL ES adapter ~3.4 s/step, SwiftShader ~13 s/step). */
const E2E_SETTINGS: TrainSettings = {
  ...DEFAULT_SETTINGS,
  steps: 3,
  batchPairs: 1,
  logEvery: 1,
  samplePrompts: 2,
  sampleTokens: 8,
};

/**
 * Tolerances of WebGPU vs cpu (float32 both; different summation orders, exp/log).
 * Step 1's loss is a pure forward: 1e-5 relative. Later steps come after AdamW updates, which
 * normalise every gradient entry (tiny entries amplify rounding): 1e-4 relative on losses, and
 * 1e-4 of the largest weight magnitude per tensor on the trained weights.
 */
const TOL = { firstLoss: 1e-5, loss: 1e-4, weight: 1e-4 };

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-8);
}

function query(s: TrainSettings): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/**
 * Training runs on Chromium's OpenGL ES adapter (ANGLE on Mesa's lavapipe; ~4x faster than SwiftShader) when
 * mesa-vulkan-drivers is installed, as in CI; else on SwiftShader.
 */
const GLES = hasLavapipe();

let server: StaticServer;
/** Chromium with only --enable-unsafe-webgpu: the SwiftShader adapter. */
let browser: Browser;
/** Chromium with the OpenGL ES adapter flags (when lavapipe exists). */
let glesBrowser: Browser | undefined;

async function openPage(query: string, on: Browser = browser): Promise<{ page: Page; console: string[] }> {
  const page = await on.newPage({ viewport: { width: 1280, height: 1400 } });
  const lines: string[] = [];
  page.on("console", (m) => lines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => lines.push(`pageerror: ${e.message}`));
  await page.goto(`${server.url}${query}`);
  return { page, console: lines };
}

async function waitForPhase(page: Page, phases: AppState["phase"][], timeout: number): Promise<AppState> {
  await page.waitForFunction(
    (want) => want.includes(window.__wpo?.phase ?? "init") || window.__wpo?.phase === "error",
    phases,
    {
      timeout,
    },
  );
  return (await page.evaluate(() => window.__wpo)) as AppState;
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  server = await serveStatic(await buildApp());
  browser = await launchChromium(WEBGPU_SWIFTSHADER);
  if (GLES) glesBrowser = await launchChromium(WEBGPU_OPENGLES);
});

afterAll(async () => {
  await browser?.close();
  await glesBrowser?.close();
  await server?.close();
});

describe("apps/web in headless Chromium", () => {
  it("initialises tfjs on a WebGPU adapter and shows the adapter and its limits", async () => {
    const { page, console } = await openPage("?backend=webgpu");
    const s = await waitForPhase(page, ["ready"], 60_000);
    expect(s.error, console.join("\n")).toBeUndefined();
    expect(s.backend?.name).toBe("webgpu");
    expect(s.backend?.adapter?.source).toBe("browser");
    expect(s.backend?.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(await page.textContent('[data-key="backend"]')).toBe("webgpu");
    await page.close();
  });

  it.runIf(GLES)(
    "uses Chromium's OpenGL ES adapter with ?adapter=compatibility (not a wasm fallback)",
    async () => {
      const { page, console } = await openPage("?backend=webgpu&adapter=compatibility", glesBrowser);
      const s = await waitForPhase(page, ["ready"], 60_000);
      expect(s.error, console.join("\n")).toBeUndefined();
      expect(s.fallbackReason, console.join("\n")).toBeUndefined();
      expect(s.backend?.name).toBe("webgpu");
      expect(s.backend?.adapter?.source).toBe("browser");
      expect(await page.isVisible("#notice")).toBe(false);
      await page.close();
    },
  );

  it(`trains a few WPO steps on WebGPU (${GLES ? "OpenGL ES adapter" : "SwiftShader"}) with live charts; losses and weights equal the cpu backend's`, async () => {
    const adapter = GLES ? "&adapter=compatibility" : "";
    const { page, console: lines } = await openPage(
      `?backend=webgpu${adapter}&autostart=1&${query(E2E_SETTINGS)}`,
      glesBrowser ?? browser,
    );
    const s = await waitForPhase(page, ["done"], 180_000);
    expect(s.error, lines.join("\n")).toBeUndefined();
    expect(s.backend?.name).toBe("webgpu");
    expect(s.fallbackReason).toBeUndefined();
    expect(s.steps.map((r) => r.step)).toEqual([1, 2, 3]);
    for (const id of ["loss", "margin", "accuracy", "weight"]) expect(s.chartPoints[id]).toBe(3);
    expect(await page.locator("#chart-loss polyline").count()).toBe(1);
    expect(await page.textContent("#progress-text")).toMatch(/done: 3 steps/);
    expect(s.samples).toHaveLength(2);
    expect(s.samples.every((x) => typeof x.after === "string")).toBe(true);
    await page.screenshot({ path: `${ARTEFACTS}/web-after-training.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const file = `${ARTEFACTS}/model.safetensors`;
    await download.saveAs(file);
    const trained = decodeSafetensors(new Uint8Array(readFileSync(file))).tensors;

    const cpu = await cpuDemoRun(E2E_SETTINGS);
    const report = s.steps.map((r, i) => ({ step: r.step, webgpu: r.loss, cpu: cpu.steps[i]!.loss }));
    globalThis.console.log(
      `webgpu vs cpu losses: ${JSON.stringify(report)}; page ${s.msPerStep?.toFixed(0)} ms/step on ${GLES ? "the OpenGL ES adapter" : "SwiftShader"}`,
    );
    expect(relDiff(s.steps[0]!.loss, cpu.steps[0]!.loss), JSON.stringify(report)).toBeLessThan(TOL.firstLoss);
    for (const r of report) expect(relDiff(r.webgpu, r.cpu), JSON.stringify(report)).toBeLessThan(TOL.loss);
    expect([...trained.keys()].sort()).toEqual([...cpu.weights.keys()].sort());
    for (const [name, want] of cpu.weights) {
      const got = trained.get(name)!.data;
      let scale = 0;
      let worst = 0;
      for (let i = 0; i < want.length; i++) {
        scale = Math.max(scale, Math.abs(want[i]!));
        worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      }
      expect(worst / scale, name).toBeLessThan(TOL.weight);
    }
    await page.close();
  });

  it("falls back to wasm with a visible notice when there is no WebGPU", async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      Object.defineProperty(navigator, "gpu", { value: undefined, configurable: true });
    });
    await page.goto(`${server.url}?backend=webgpu`);
    const s = await waitForPhase(page, ["ready"], 60_000);
    expect(s.backend?.name).toBe("wasm");
    expect(s.fallbackReason).toMatch(/WebGPU/);
    expect(await page.isVisible("#notice")).toBe(true);
    expect(await page.textContent("#notice")).toMatch(/No WebGPU adapter/);
    await page.close();
  });
});
