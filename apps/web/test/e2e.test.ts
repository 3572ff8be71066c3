import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppState } from "../src/app_state.ts";
import { APP_ROOT, buildApp } from "./_build_app.ts";
import { launchChromium, WEBGPU_SWIFTSHADER } from "./_chromium.ts";
import { type StaticServer, serveStatic } from "./_static_server.ts";

const ARTEFACTS = `${APP_ROOT}test-results`;

let server: StaticServer;
let browser: Browser;

async function openPage(query: string): Promise<{ page: Page; console: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const lines: string[] = [];
  page.on("console", (m) => lines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => lines.push(`pageerror: ${e.message}`));
  await page.goto(`${server.url}${query}`);
  return { page, console: lines };
}

async function waitForPhase(page: Page, phases: AppState["phase"][], timeout: number): Promise<AppState> {
  await page.waitForFunction((want) => want.includes(window.__wpo?.phase ?? "init") || window.__wpo?.phase === "error", phases, {
    timeout,
  });
  return (await page.evaluate(() => window.__wpo)) as AppState;
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  server = await serveStatic(await buildApp());
  browser = await launchChromium(WEBGPU_SWIFTSHADER);
});

afterAll(async () => {
  await browser?.close();
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
