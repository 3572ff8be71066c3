import { readAdapter } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
let message = "";
try { await readAdapter("/definitely/missing"); } catch (e) { message = (e as Error).message; }
console.assert(message.includes("adapter_config.json"));
export {};
