import { lossSuite } from "./_test_helpers.ts";
import { robustLoss } from "./robust.ts";

lossSuite(robustLoss, { tieValue: () => Math.LN2 });
