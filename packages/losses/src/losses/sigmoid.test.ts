import { lossSuite } from "../../test/loss_suite.ts";
import { sigmoidLoss } from "./sigmoid.ts";

lossSuite(sigmoidLoss, { tieValue: () => Math.LN2 });
