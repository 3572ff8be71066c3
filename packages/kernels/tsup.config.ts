import { defineConfig } from "tsup";
import { sharedTsupConfig } from "../../tsup.shared.ts";

export default defineConfig(sharedTsupConfig);
