import { publishState, state } from "./app_state.ts";
import { type PageBackend, startBackend } from "./backend_select.ts";
import { renderBackend } from "./backend_view.ts";
import { log } from "./log_view.ts";

const params = new URLSearchParams(globalThis.location.search);

async function main(): Promise<void> {
  publishState();
  const requested = (params.get("backend") ?? "webgpu") as PageBackend;
  const adapter = params.get("adapter") === "compatibility" ? "compatibility" : "default";
  const { info, fallbackReason } = await startBackend(requested, adapter);
  state.backend = info;
  if (fallbackReason) state.fallbackReason = fallbackReason;
  renderBackend(info, fallbackReason);
  log(`backend ${info.name}${info.adapter ? ` on ${info.adapter.description || info.adapter.vendor}` : ""}`);
  state.phase = "ready";
}

main().catch((error: unknown) => {
  state.phase = "error";
  state.error = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
  log(`error: ${state.error}`, true);
});
