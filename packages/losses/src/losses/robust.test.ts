import { lossSuite } from "../../test/loss_suite.ts";
import { robustLoss } from "./robust.ts";

lossSuite(robustLoss, { tieValue: () => Math.LN2 });
