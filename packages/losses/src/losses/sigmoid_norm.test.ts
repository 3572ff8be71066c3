import { lossSuite } from "../../test/loss_suite.ts";
import { sigmoidNormLoss } from "./sigmoid_norm.ts";

lossSuite(sigmoidNormLoss, { tieValue: () => Math.LN2 });
