import { parsePeftAdapterConfig } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
const { config } = parsePeftAdapterConfig({ peft_type: "LORA", r: 4, lora_alpha: 8,
  target_modules: ["q_proj", "v_proj"] }, "adapter_config.json");
console.assert(config.r === 4 && config.targetModules.join() === "q_proj,v_proj");
export {};
