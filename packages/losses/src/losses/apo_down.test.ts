import { lossSuite } from "./_test_helpers.ts";
import { apoDownLoss } from "./apo_down.ts";

lossSuite(apoDownLoss, { tieValue: () => 1 });
