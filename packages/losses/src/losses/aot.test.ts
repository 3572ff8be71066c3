import { lossSuite } from "./_test_helpers.ts";
import { aotLoss } from "./aot.ts";

lossSuite(aotLoss, { tieValue: () => Math.LN2 });
