import { lossSuite } from "../../test/loss_suite.ts";
import { slicLoss } from "./slic.ts";

lossSuite(slicLoss, { tieValue: () => 1 });
