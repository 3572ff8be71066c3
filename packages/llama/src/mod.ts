/**
 * The Llama model on TensorFlow.js for WPO: Hugging Face configs and safetensors
 * checkpoints (load and save), llama2.c import, a differentiable forward pass whose
 * weights are tfjs Variables named as in transformers, and batched generation with a
 * KV cache.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { generate, loadLlama2c } from "@wpo/llama";
 * await initBackend("cpu");
 * const model = await loadLlama2c("../../assets/stories260K.bin");
 * const [ids] = await generate(model, [[1]], { maxNewTokens: 3 });
 * console.assert(ids!.join() === "403,407,261");
 * model.dispose();
 * ```
 *
 * @module
 */
export {
  type Llama3RopeScaling,
  type LlamaConfig,
  llamaConfigToJson,
  parseLlamaConfig,
} from "./config.ts";
export { llamaWeightShapes } from "./weight_shapes.ts";
export {
  DEFAULT_ATTENTION_BLOCK_SIZE,
  type ForwardOptions,
  LlamaModel,
  type LlamaModelOptions,
  type WeightSource,
} from "./llama_model.ts";
export { type RandomLlamaOptions, randomLlama } from "./random_llama.ts";
export {
  type DecodeSafetensorsOptions,
  decodeSafetensors,
  type EncodeSafetensorsOptions,
  encodeSafetensors,
  type SafetensorsFile,
  type SafetensorsTensor,
} from "./safetensors.ts";
export {
  type OpenSafetensorsOptions,
  type ReadTensorOptions,
  type SafetensorsEntry,
  SafetensorsReader,
  type TensorToWrite,
  type TensorValues,
  type WriteSafetensorsOptions,
  writeSafetensorsFile,
} from "./safetensors_file.ts";
export { type LoadLlamaOptions, loadLlama } from "./load_llama.ts";
export { type SaveLlamaOptions, saveLlama } from "./save_llama.ts";
export type { CheckpointDtype } from "./_write_checkpoint.ts";
export { type WriteRandomLlamaOptions, writeRandomLlama } from "./write_random_llama.ts";
export { type NamedShape, NAMED_SHAPES, namedShape } from "./named_shapes.ts";
export { type LoadLlama2cOptions, loadLlama2c } from "./load_llama2c.ts";
export { type GenerateOptions, generate } from "./generate.ts";
export {
  LORA_ALL_LINEAR,
  type LoraConfig,
  type LoraConfigInput,
  type LoraTargetModule,
  loraModulePath,
  loraScale,
  parseTargetModules,
  resolveLoraConfig,
} from "./lora_config.ts";
export { loraWeightShapes } from "./lora_shapes.ts";
export { addLora, type InitLoraOptions, initLoraWeights, mergedLoraWeights, mergeLora } from "./lora.ts";
export { PEFT_KEY_PREFIX, parsePeftAdapterConfig, peftAdapterConfig } from "./adapter_config.ts";
export {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  type AdapterFiles,
  adapterTensors,
  loadAdapter,
  readAdapter,
  type SaveAdapterOptions,
  saveAdapter,
} from "./adapter_io.ts";
export { type CheckpointIdentity, checkpointIdentity } from "./checkpoint_identity.ts";
export type { LoraRuntime } from "./_lora_linear.ts";
