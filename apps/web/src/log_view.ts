/**
 * Appends a line to the page's log panel (and the console).
 *
 * @param line Text to show.
 * @param isError Show it in red.
 */
export function log(line: string, isError = false): void {
  const pre = document.getElementById("log-text");
  const stamp = new Date().toISOString().slice(11, 19);
  if (pre) {
    const span = document.createElement("span");
    if (isError) span.className = "error";
    span.textContent = `${stamp} ${line}\n`;
    pre.append(span);
    pre.scrollTop = pre.scrollHeight;
  }
  (isError ? console.error : console.log)(`[wpo] ${line}`);
}
