import { backendParitySuite } from "../test/backend_parity.ts";

// The same PyTorch fixtures on WebGPU (Dawn in Node); skipped where no adapter exists.
backendParitySuite("webgpu");
