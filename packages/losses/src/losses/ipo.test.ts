import { lossSuite } from "./_test_helpers.ts";
import { ipoLoss } from "./ipo.ts";

lossSuite(ipoLoss, { tieValue: () => 1 / (4 * 0.1 * 0.1) });
