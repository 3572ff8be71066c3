import { DEFAULT_ATTENTION_BLOCK_SIZE } from "@wpo/llama";
console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };
console.assert(DEFAULT_ATTENTION_BLOCK_SIZE === 256);
export {};
