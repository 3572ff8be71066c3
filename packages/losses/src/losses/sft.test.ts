import { lossSuite } from "../../test/loss_suite.ts";
import { sftLoss } from "./sft.ts";

lossSuite(sftLoss, { tieValue: (nll) => nll });
