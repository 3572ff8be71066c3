import { lossSuite } from "../../test/loss_suite.ts";
import { aotLoss } from "./aot.ts";

lossSuite(aotLoss, { tieValue: () => Math.LN2 });
