import type { AppState } from "./app_state.ts";
import { storyReward } from "./demo_pairs.ts";

/**
 * Renders the sample table: prompt, completion before training, after training, and the
 * demo reward (#happy − #sad words) of each.
 *
 * @param samples Prompts with their completions.
 */
export function renderSamples(samples: AppState["samples"]): void {
  const table = document.createElement("table");
  table.id = "samples-table";
  const head = table.createTHead().insertRow();
  for (const h of ["prompt", "before training", "reward", "after training", "reward"]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const s of samples) {
    const row = body.insertRow();
    const cells = [
      s.prompt,
      s.before,
      String(storyReward(s.before)),
      s.after ?? "…",
      s.after === undefined ? "" : String(storyReward(s.after)),
    ];
    for (const c of cells) row.insertCell().textContent = c;
  }
  document.getElementById("sample-table")!.replaceChildren(table);
}
