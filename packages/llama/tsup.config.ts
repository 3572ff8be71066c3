import { defineConfig } from "tsup";
import { browserTsupConfig, sharedTsupConfig } from "../../tsup.shared.ts";

export default defineConfig([sharedTsupConfig, browserTsupConfig]);
