import { lossSuite } from "../../test/loss_suite.ts";
import { simpoLoss } from "./simpo.ts";

lossSuite(simpoLoss, { tieValue: () => Math.log1p(Math.exp(2.0 * 0.25)) });
