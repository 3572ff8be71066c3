import { lossSuite } from "../../test/loss_suite.ts";
import { aotPairLoss } from "./aot_pair.ts";

lossSuite(aotPairLoss, { tieValue: () => Math.LN2 });
