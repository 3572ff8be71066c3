import { peftAdapterConfig, resolveLoraConfig } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
const j = peftAdapterConfig(resolveLoraConfig({ r: 16, loraAlpha: 32 }), { baseModelNameOrPath: "m" });
console.assert(j.peft_type === "LORA" && j.r === 16 && (j.target_modules as string[]).length === 7);
export {};
