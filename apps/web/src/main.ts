import { publishState, state } from "./app_state.ts";
import { type PageBackend, startBackend } from "./backend_select.ts";
import { renderBackend } from "./backend_view.ts";
import {
  renderControls,
  setEnabled,
  setSourceText,
  settingsFromQuery,
  type TrainSettings,
} from "./controls_view.ts";
import { type TextPair, demoPairs } from "./demo_pairs.ts";
import { parseDatasetFile } from "./dataset_file.ts";
import { checkpointBytes, offerDownload } from "./download_checkpoint.ts";
import { PEFT_KEY_PREFIX, peftAdapterConfig } from "@wpo/llama";
import { pickDatasetFile, pickModelFolder } from "./file_sources.ts";
import { type Loaded, loadDemo, loadFromFiles } from "./load_sources.ts";
import { log } from "./log_view.ts";
import { runTraining } from "./page_flow.ts";

const params = new URLSearchParams(globalThis.location.search);
let loaded: Loaded | undefined;
let pairs: TextPair[] = demoPairs();
let pairsLabel = `${pairs.length} built-in happy-vs-sad story pairs`;

function fail(error: unknown): void {
  state.phase = "error";
  state.error = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
  log(`error: ${error instanceof Error ? error.message : String(error)}`, true);
}

function describeSource(): void {
  setSourceText(`Model: ${loaded?.label ?? "stories260K (embedded demo)"}. Data: ${pairsLabel}.`);
}

async function train(settings: TrainSettings): Promise<void> {
  setEnabled("start", false);
  setEnabled("download", false);
  state.phase = "loading";
  loaded ??= await loadDemo(globalThis.location.href);
  describeSource();
  await runTraining(loaded.model, { tokenizer: loaded.tokenizer, pairs, settings });
  state.phase = "done";
  setEnabled("download", true);
  setEnabled("start", true);
}

async function download(): Promise<void> {
  if (!loaded) return;
  const lora = loaded.model.loraConfig();
  if (lora) {
    // A LoRA run: PEFT's two files (the base stays as loaded).
    const named = new Map(
      [...loaded.model.adapterVariables()].map(([n, v]) => [`${PEFT_KEY_PREFIX}${n}`, v]),
    );
    const bytes = await checkpointBytes(named, { source: "wpo web app" });
    offerDownload(bytes, "adapter_model.safetensors");
    const config = peftAdapterConfig(lora, { baseModelNameOrPath: loaded.label });
    offerDownload(new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`), "adapter_config.json");
    log(
      `offered adapter_model.safetensors (${(bytes.length / 1024).toFixed(0)} KiB) and adapter_config.json`,
    );
    return;
  }
  const bytes = await checkpointBytes(loaded.model.variables(), { source: "wpo web app" });
  offerDownload(bytes, "model.safetensors");
  log(`offered model.safetensors (${(bytes.length / 1024).toFixed(0)} KiB)`);
}

async function main(): Promise<void> {
  publishState();
  const requested = (params.get("backend") ?? "webgpu") as PageBackend;
  const adapter = params.get("adapter") === "compatibility" ? "compatibility" : "default";
  const { info, fallbackReason } = await startBackend(requested, adapter);
  state.backend = info;
  if (fallbackReason) state.fallbackReason = fallbackReason;
  renderBackend(info, fallbackReason);
  log(
    `backend ${info.name}${info.adapter ? ` on ${info.adapter.description || info.adapter.vendor || "an unnamed adapter"}` : ""}`,
  );
  const settings = settingsFromQuery(params);
  renderControls(settings, {
    onPickModel: () => {
      pickModelFolder()
        .then(async (files) => {
          if (files.size === 0) return;
          loaded?.model.dispose();
          loaded = await loadFromFiles(files);
          describeSource();
          log(`loaded ${loaded.label}`);
        })
        .catch(fail);
    },
    onPickDataset: () => {
      pickDatasetFile()
        .then((file) => {
          if (!file) return;
          pairs = parseDatasetFile(file.bytes, file.name);
          pairsLabel = `${pairs.length} pairs from ${file.name}`;
          describeSource();
        })
        .catch(fail);
    },
    onStart: (s) => {
      train(s).catch(fail);
    },
    onDownload: () => {
      download().catch(fail);
    },
  });
  describeSource();
  state.phase = "ready";
  if (params.get("autostart") === "1") await train(settings);
}

main().catch(fail);
