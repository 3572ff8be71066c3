import { existsSync, readdirSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Flags every headless Chromium run here needs (see docs/web.md). */
export const BASE_FLAGS = [
  "--no-sandbox",
  "--disable-gpu-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** WebGPU on SwiftShader (always available). */
export const WEBGPU_SWIFTSHADER = ["--enable-unsafe-webgpu"];

/** WebGPU through ANGLE/Vulkan on Mesa (needs mesa-vulkan-drivers); the page asks for featureLevel compatibility. */
export const WEBGPU_OPENGLES = [
  "--enable-unsafe-webgpu",
  "--use-angle=vulkan",
  "--enable-features=Vulkan",
  "--use-vulkan=native",
  "--use-webgpu-adapter=opengles",
];

/**
 * Whether Mesa's Vulkan software driver (lavapipe, from `mesa-vulkan-drivers`) is installed: Chromium's OpenGL ES
 * WebGPU adapter ({@link WEBGPU_OPENGLES}) runs through ANGLE on it.
 *
 * @returns True when lavapipe's ICD file exists.
 */
export function hasLavapipe(): boolean {
  const dir = "/usr/share/vulkan/icd.d";
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith("lvp_icd"));
}

/**
 * Launches the system's Debian Chromium (never a downloaded browser) headless.
 *
 * @param extraFlags WebGPU flags to add to {@link BASE_FLAGS}.
 * @returns The browser.
 */
export function launchChromium(extraFlags: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [...BASE_FLAGS, ...extraFlags],
  });
}
