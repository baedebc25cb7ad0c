import type { InventoryRun, SweepDiff } from "../../domain/inventory/model";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );

function table(title: string, counts: Record<string, number>): string {
  const rows = Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `<tr><td>${escapeHtml(key)}</td><td class="n">${count}</td></tr>`)
    .join("");
  return `<h2>${escapeHtml(title)}</h2><table><tbody>${rows || '<tr><td colspan="2">none</td></tr>'}</tbody></table>`;
}

function list(
  title: string,
  items: Array<{ id: string; type: string; name?: string | null; fields?: string[] }>,
): string {
  const shown = items.slice(0, 200);
  const rows = shown
    .map(
      (item) =>
        `<li><code>${escapeHtml(item.type)}/${escapeHtml(item.id)}</code>${item.name ? ` ${escapeHtml(item.name)}` : ""}${item.fields ? ` <em>(${item.fields.map(escapeHtml).join(", ")})</em>` : ""}</li>`,
    )
    .join("");
  const more =
    items.length > shown.length ? `<li>… and ${items.length - shown.length} more in diff.json</li>` : "";
  return `<h2>${escapeHtml(title)} (${items.length})</h2><ul>${rows}${more}</ul>`;
}

/** summary.json as one self-contained page (no scripts, no external assets): counts and the diff. */
export function renderSummaryHtml(run: InventoryRun, diff: SweepDiff): string {
  const errors = run.errors
    .map((error) => `<li><b>${escapeHtml(error.type)}</b>: ${escapeHtml(error.message)}</li>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inventory ${escapeHtml(run.id)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td{border-bottom:1px solid #ddd;padding:.2em 1em}.n{text-align:right}code{font-size:90%}</style>
</head><body><h1>Inventory of credential ${escapeHtml(run.credentialId)}</h1>
<p>Run <code>${escapeHtml(run.id)}</code>, ${escapeHtml(run.status)}, ${run.total} resources, ${escapeHtml(run.startedAt)} to ${escapeHtml(run.finishedAt ?? "")}.</p>
${errors ? `<h2>Types that could not be read</h2><ul>${errors}</ul>` : ""}
${table("By type", run.countsByType)}${table("By region", run.countsByRegion)}${table("By state", run.countsByState)}
${diff.previousRunId ? `<p>Compared with run <code>${escapeHtml(diff.previousRunId)}</code>.</p>${list("Added", diff.added)}${list("Removed", diff.removed)}${list("Changed", diff.changed)}` : "<p>First run: nothing to compare with.</p>"}
</body></html>
`;
}
