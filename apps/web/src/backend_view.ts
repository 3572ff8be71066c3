import type { BackendInfo } from "@wpo/backends";

function mib(bytes: number | undefined): string {
  return bytes === undefined ? "–" : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/**
 * Shows the active backend, its adapter and limits, and a notice when WebGPU was not available.
 *
 * @param info What `initBackend` reported.
 * @param fallbackReason Why WebGPU was not used, if it was asked for.
 */
export function renderBackend(info: BackendInfo, fallbackReason?: string): void {
  const box = document.getElementById("backend-info")!;
  const a = info.adapter;
  const rows: [string, string][] = [
    ["backend", info.name],
    ["adapter", a ? a.description || `${a.vendor} ${a.architecture}`.trim() || "(unnamed)" : "–"],
    ["vendor / arch", a ? `${a.vendor || "?"} / ${a.architecture || "?"}` : "–"],
    ["software", a ? (a.isSoftware ? "yes (slow)" : "no") : "–"],
    ["max storage binding", mib(info.limits.maxStorageBufferBindingSize)],
    ["max buffer", mib(info.limits.maxBufferSize)],
    ["max workgroups/dim", String(info.limits.maxComputeWorkgroupsPerDimension ?? "–")],
    ["threads", String(info.limits.threads ?? "–")],
  ];
  const dl = document.createElement("dl");
  dl.id = "backend-dl";
  for (const [k, v] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    dd.dataset.key = k;
    dl.append(dt, dd);
  }
  box.replaceChildren(dl);
  const notice = document.getElementById("notice")!;
  if (fallbackReason) {
    notice.hidden = false;
    notice.textContent = `No WebGPU adapter here, so training runs on ${info.name} (slower). Reason: ${fallbackReason}`;
  } else if (a?.isSoftware) {
    notice.hidden = false;
    notice.textContent = `WebGPU runs on a software adapter (${a.description || a.vendor}): expect slow steps.`;
  }
}
