import { lossSuite } from "./_test_helpers.ts";
import { sftLoss } from "./sft.ts";

lossSuite(sftLoss, { tieValue: (nll) => nll });
