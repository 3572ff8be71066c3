import { lossSuite } from "../../test/loss_suite.ts";
import { ipoLoss } from "./ipo.ts";

lossSuite(ipoLoss, { tieValue: () => 1 / (4 * 0.1 * 0.1) });
