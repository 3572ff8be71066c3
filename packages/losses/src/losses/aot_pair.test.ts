import { lossSuite } from "./_test_helpers.ts";
import { aotPairLoss } from "./aot_pair.ts";

lossSuite(aotPairLoss, { tieValue: () => Math.LN2 });
