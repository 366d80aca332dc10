/**
 * The run report as one self-contained HTML file: inline CSS and SVG, no script, no network
 * (its own Content-Security-Policy forbids any), readable on screen and printed on A4 or Letter.
 */
import { phasesOf } from '../../src-shared/recipe/result';
import type { ColumnProfile } from '../engine/profile';
import { columnChart, timingsChart, waterfallChart } from './charts';
import type { OutputProfile, PipelineSection, ReportModel } from './model';

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : n.toLocaleString('en-US');
const pct = (part: number, whole: number): string =>
  whole === 0 ? '—' : `${((100 * part) / whole).toFixed(part === 0 || part === whole ? 0 : 1)}%`;

/** 1234 ms -> "1.2 s"; 75 s -> "1 min 15 s". */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** 2026-12-03T08:07:30.243Z -> 2026-12-03 08:07:30 UTC */
const time = (iso: string | null): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';

const anchor = (name: string): string => `p-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const badge = (status: string): string =>
  `<span class="badge ${esc(status)}">${esc(status.replace('_', ' '))}</span>`;

const CSS = `
:root { color-scheme: light; --ink:#111827; --muted:#6b7280; --line:#e5e7eb; --soft:#f9fafb; }
* { box-sizing: border-box; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 24px; max-width: 1040px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px;
  border-bottom: 2px solid var(--ink); padding-bottom: 4px; } h3 { font-size: 14px; margin: 18px 0 6px; }
.muted { color: var(--muted); } .small { font-size: 11px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.kv { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 6px 16px; margin: 10px 0; }
.kv div { border-left: 3px solid var(--line); padding-left: 8px; }
.kv .wide { grid-column: 1 / -1; } .kv .path { overflow-wrap: anywhere; font-family: ui-monospace, Menlo, monospace; } .kv b { display: block; font-size: 11px; color: var(--muted); font-weight: 500; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; background: #e5e7eb; }
.badge.succeeded { background: #dcfce7; color: #166534; } .badge.failed, .badge.upstream_failed { background: #fee2e2; color: #991b1b; }
.badge.cancelled, .badge.interrupted { background: #fef3c7; color: #92400e; }
.chart svg { max-width: 100%; height: auto; } .charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 8px; white-space: pre-wrap; word-break: break-word; font-size: 11px; }
code, .raw { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 11px; }
.raw { white-space: pre-wrap; word-break: break-all; color: #7f1d1d; }
.warn { color: #92400e; } .error { color: #991b1b; }
section.pipeline { break-before: page; } section.pipeline:first-of-type { break-before: auto; }
nav ol { columns: 2; padding-left: 18px; }
@page { margin: 14mm 12mm; }
@media print { body { padding: 0; max-width: none; font-size: 11px; } a { color: inherit; text-decoration: none; }
  tr, .chart, pre { break-inside: avoid; } h2, h3 { break-after: avoid; } nav { display: none; } }
`;

function header(m: ReportModel): string {
  const r = m.run;
  const rows = m.pipelines.reduce(
    (a, p) => ({
      in: a.in + (p.report?.rowsIn ?? 0),
      out: a.out + (p.report?.rowsOut ?? 0),
      rejected: a.rejected + (p.report?.rowsRejected ?? 0),
      removed: a.removed + (p.report?.rowsRemoved ?? 0),
      merged: a.merged + (p.report?.rowsMerged ?? 0),
    }),
    { in: 0, out: 0, rejected: 0, removed: 0, merged: 0 },
  );
  const kv: [string, string][] = [
    ['Status', badge(r.status)],
    ['Run date', esc(r.runDate ?? r.startedAt.slice(0, 10))],
    ['Started', esc(time(r.startedAt))],
    ['Duration', esc(duration(r.durationMs))],
    ['Started by', esc(r.trigger) + (r.resumedFrom ? ` (resuming ${esc(r.resumedFrom)})` : '')],
    ['Loaded into', r.target ? `connection <code>${esc(r.target)}</code>` : 'as the recipes say'],
    ['Pipelines', num(m.pipelines.length)],
    ['Rows in (all pipelines)', num(rows.in)],
    ['Rows out (all pipelines)', num(rows.out)],
    ['Rejected', num(rows.rejected)],
    ['Removed', num(rows.removed)],
    ['Merged', num(rows.merged)],
    ['Workers', num(r.workers)],
    ['Run id', `<code>${esc(r.id)}</code>`],
  ];
  return `<header><h1>${esc(r.project)} — run report</h1>
<div class="muted">${esc(r.projectDir)}</div>
<div class="kv">${kv.map(([k, v]) => `<div><b>${k}</b>${v}</div>`).join('')}</div></header>`;
}

function overview(m: ReportModel): string {
  const rows = m.pipelines
    .map((p) => {
      const r = p.report;
      return `<tr><td><a href="#${anchor(p.name)}">${esc(p.name)}</a>${p.description ? `<div class="muted small">${esc(p.description)}</div>` : ''}</td>
<td>${badge(p.status)}</td><td class="n">${num(r?.rowsIn)}</td><td class="n">${num(r?.rowsOut)}</td>
<td class="n">${num(r?.rowsRejected)}</td><td class="n">${num(r?.rowsRemoved)}</td><td class="n">${num(r?.rowsMerged)}</td><td class="n">${esc(duration(p.durationMs))}</td></tr>`;
    })
    .join('\n');
  return `<h2>Pipelines</h2><table><thead><tr><th>Pipeline</th><th>Status</th><th class="n">Rows in</th>
<th class="n">Rows out</th><th class="n">Rejected</th><th class="n">Removed</th><th class="n">Merged</th><th class="n">Time</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function books(p: PipelineSection): string {
  const r = p.report!;
  const items: [string, number | undefined][] = [
    ['Rows in', r.rowsIn],
    ['Added by steps', r.rowsAdded],
    ['Rejected', r.rowsRejected],
    ['Removed', r.rowsRemoved],
    ['Merged', r.rowsMerged],
    ['Not written', r.rowsNotWritten ?? 0],
    ['Rows out', r.rowsOut],
  ];
  return `<div class="kv">${items.map(([k, v]) => `<div><b>${k}</b>${num(v)}</div>`).join('')}
<div class="wide"><b>Source</b><span class="small"><span class="path">${esc(r.source.path)}</span> (${r.source.encoding ? `${esc(r.source.encoding)}, ` : ''}${num(r.source.rowsRead)} rows read)</span></div></div>`;
}

function stepsTable(p: PipelineSection): string {
  if (p.steps.length === 0) return '';
  const rows = p.steps
    .map(
      (
        s,
        i,
      ) => `<tr><td class="n">${i + 1}</td><td>${esc(s.name)}</td><td><code>${esc(s.kind)}</code></td>
<td class="n">${num(s.rowsIn)}</td><td class="n">${num(s.rowsOut)}</td><td class="n">${num(s.rowsRejected)}</td>
<td class="n">${num(s.rowsRemoved)}</td><td class="n">${num(s.rowsMerged)}</td><td class="n">${num(s.cellsChanged)}</td><td class="n">${esc(duration(s.ms))}</td></tr>${
        s.warnings.length
          ? `<tr><td></td><td colspan="9" class="warn small">${s.warnings.map(esc).join('<br>')}</td></tr>`
          : ''
      }`,
    )
    .join('\n');
  return `<h3>Steps</h3><table><thead><tr><th class="n">#</th><th>Step</th><th>Kind</th><th class="n">In</th>
<th class="n">Out</th><th class="n">Rejected</th><th class="n">Removed</th><th class="n">Merged</th><th class="n">Cells changed</th>
<th class="n">Time</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A reject's example: the row as the step saw it (name=value), else its text as read. */
function example(e: { raw: string | null; record?: Record<string, unknown> | null }): string {
  if (!e.record) return e.raw ?? '';
  const text = Object.entries(e.record)
    .map(([k, v]) => `${k}=${v === null ? '' : String(v)}`)
    .join(', ');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function rejectsTable(p: PipelineSection): string {
  if (p.rejects.length === 0) return '<h3>Rejected and removed rows</h3><p class="muted">None.</p>';
  const rows = p.rejects
    .map(
      (g) => `<tr><td>${esc(g.kind)}</td><td>${esc(g.step)}</td><td><code>${esc(g.rule)}</code></td>
<td>${esc(g.reason)}</td><td class="n">${num(g.count)}</td><td>${g.examples
        .map(
          (e) =>
            `<div><span class="muted small">line ${num(e.line)}</span> <span class="raw">${esc(example(e))}</span></div>`,
        )
        .join('')}</td></tr>`,
    )
    .join('\n');
  return `<h3>Rejected and removed rows</h3><table><thead><tr><th>Kind</th><th>Step</th><th>Rule</th><th>Reason</th>
<th class="n">Rows</th><th>First examples (where the row began; the row as the step saw it)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function outputsTable(p: PipelineSection): string {
  if (p.outputs.length === 0) return '';
  const rows = p.outputs
    .map(
      (
        o,
      ) => `<tr><td><code>${esc(o.kind)}</code></td><td class="small">${esc(o.path)}${o.table ? ` → table <code>${esc(o.table)}</code>` : ''}</td>
<td class="n">${num(o.rows)}</td><td class="n">${num(o.inserted)}</td><td class="n">${num(o.updated)}</td>
<td class="n">${num(o.unchanged)}</td><td class="n">${num(o.rejected)}</td></tr>`,
    )
    .join('\n');
  return `<h3>Outputs and loads</h3><table><thead><tr><th>Kind</th><th>Where</th><th class="n">Rows</th>
<th class="n">Inserted</th><th class="n">Updated</th><th class="n">Unchanged</th><th class="n">Refused</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

async function profileTable(o: OutputProfile): Promise<string> {
  const head = `<h3>Data quality: <span class="small">${esc(o.path)}</span></h3>`;
  if (o.columns.length === 0) return `${head}<p class="muted">${esc(o.note ?? 'No columns.')}</p>`;
  const cell = async (c: ColumnProfile): Promise<string> => {
    const chart = await columnChart(c);
    return `<tr><td>${esc(c.name)}</td><td><code>${esc(c.guess.type)}</code></td>
<td class="n">${pct(c.nullCount, c.rows)}</td><td class="n">${c.distinctCapped ? '≈' : ''}${num(c.distinctCount)}</td>
<td class="small">${esc(c.min ?? '—')}</td><td class="small">${esc(c.max ?? '—')}</td>
<td class="chart">${chart ?? ''}</td></tr>`;
  };
  const rows: string[] = [];
  for (const c of o.columns) rows.push(await cell(c));
  return `${head}${o.note ? `<p class="warn small">${esc(o.note)}</p>` : ''}<p class="muted small">${num(o.rows)} rows</p>
<table><thead><tr><th>Column</th><th>Type</th><th class="n">Empty</th><th class="n">Distinct</th><th>Min</th>
<th>Max</th><th>Histogram or top values</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

async function pipelineSection(p: PipelineSection): Promise<string> {
  const parts = [
    `<section class="pipeline" id="${anchor(p.name)}"><h2>${esc(p.name)} ${badge(p.status)}</h2>`,
    p.description ? `<p>${esc(p.description)}</p>` : '',
    p.error ? `<p class="error">${esc(p.error)}</p>` : '',
  ];
  if (p.report) {
    parts.push(books(p));
    const charts = [
      `<div class="chart"><h3>Rows through the steps</h3>${await waterfallChart(p.report.rowsIn, p.steps, p.report.rowsOut)}</div>`,
    ];
    const phases = phasesOf(p.report);
    if (phases.length)
      charts.push(
        `<div class="chart"><h3>Where the time went</h3>${await timingsChart(phases)}</div>`,
      );
    parts.push(`<div class="charts">${charts.join('')}</div>`);
    parts.push(stepsTable(p), rejectsTable(p), outputsTable(p));
    for (const o of p.profiles) parts.push(await profileTable(o));
  } else parts.push('<p class="muted">This pipeline did not run.</p>');
  if (p.recipe)
    parts.push(
      `<h3>Recipe</h3><p class="small muted">sha256 <code>${esc(p.recipe.hash)}</code></p><pre>${esc(p.recipe.text)}</pre>`,
    );
  parts.push('</section>');
  return parts.join('\n');
}

function warningsSection(m: ReportModel): string {
  if (m.warnings.length === 0) return '<h2>Warnings</h2><p class="muted">None.</p>';
  return `<h2>Warnings</h2><table><thead><tr><th>Time</th><th>Pipeline</th><th>Message</th></tr></thead><tbody>${m.warnings
    .map(
      (w) =>
        `<tr class="${w.level === 'error' ? 'error' : 'warn'}"><td class="small">${esc(time(w.ts))}</td><td>${esc(w.pipeline ?? '')}</td><td>${esc(w.message)}</td></tr>`,
    )
    .join('\n')}</tbody></table>`;
}

/** The whole report, as one HTML document. */
export async function htmlReport(m: ReportModel): Promise<string> {
  const sections: string[] = [];
  for (const p of m.pipelines) sections.push(await pipelineSection(p));
  const title = `${m.run.project} — run ${m.run.runDate ?? m.run.startedAt.slice(0, 10)} (${m.run.status})`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Sluice">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
${header(m)}
<nav><h2>Contents</h2><ol>${m.pipelines.map((p) => `<li><a href="#${anchor(p.name)}">${esc(p.name)}</a></li>`).join('')}</ol></nav>
${overview(m)}
${warningsSection(m)}
${sections.join('\n')}
<footer class="muted small"><p>Generated by Sluice on ${esc(time(m.generatedAt))} from the run store ${esc(m.run.storePath)}.</p></footer>
</body></html>
`;
}
