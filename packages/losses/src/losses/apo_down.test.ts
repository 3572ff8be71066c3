import { lossSuite } from "../../test/loss_suite.ts";
import { apoDownLoss } from "./apo_down.ts";

lossSuite(apoDownLoss, { tieValue: () => 1 });
