/**
 * Runs one pipeline: read the source, push it through the steps, write the outputs, and record
 * every rejected and removed row. Outputs appear only if the run succeeds.
 */
import { existsSync } from 'node:fs';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import { sourceLabel } from '../../src-shared/recipe/source-label';
import type { PipelineReport } from '../../src-shared/recipe/result';
import {
  BooksError,
  OutputError,
  planPipeline,
  StepRunError,
  type RejectRecord,
} from '../engine/pipeline';
import { sideName, sidesOf, StepConfigError } from '../engine/step';
import type { Batch, Field } from '../engine/table';
import { inferColumns, typeBatch } from '../io/typed-read';
import type { Resources } from './resources';
import {
  openCsv,
  readRawLines,
  SourceError,
  type CsvSource,
  type ReadReject,
} from '../io/csv-read';
import { debugLog } from '../io/debug-log';
import type { LineMarks } from '../io/raw-lines';
import { connectionFor, createSink, sameTarget, type SinkContext } from '../sinks/index';
import { asRunSource, openPostgresSource } from '../sinks/postgres-source';
import { SinkError, type Sink } from '../sinks/sink';
import { rowRecord } from '../engine/table';
import type { StepReport } from '../../src-shared/recipe/result';
import { aheadSteps, READ_AHEAD_MIN_BYTES, ReadAhead } from './read-ahead';
import { runOnServer, ServerTimeout, type ServerRun } from './run-on-server';
import { LocalOnlyError } from '../engine/sql/compile';
import { unpackBatch } from './batch-wire';
import { workerScript } from './worker-script';
import type { LogLevel, RejectRow, RunsStore } from '../store/store';

export interface Progress {
  pipeline: string;
  rows: number;
  bytes: number;
  totalBytes: number;
  elapsedMs: number;
  /** Rows read per second so far, while reading. */
  rowsPerSecond?: number;
  /** What the pipeline is doing when it is not reading (finishing a sort, loading a table). */
  stage?: string;
}

/** Step kinds that see every row before they hand any on. */
const HOLDS_ROWS = new Set([
  'sort',
  'aggregate',
  'pivot',
  'window',
  'sample',
  'normalize',
  'fill_missing',
]);

export interface PipelineRunContext {
  projectDir: string;
  /** Where sources, other pipelines' outputs and join tables are found. */
  resources: Resources;
  /** The project's SQLite database, for sqlite outputs without a path. */
  defaultDatabase: string;
  /** PostgreSQL connections named in sluice.yaml. */
  connections: Record<string, { url: string }>;
  /** Passwords by connection name, from the desktop app's keychain. */
  passwords?: Record<string, string>;
  pipeline: Pipeline;
  file?: string;
  maxRejectRate: number;
  /** Where the pipeline's log lines and rejected rows go (the run store, or its worker's parent). */
  recorder: TaskRecorder;
  /** Notes of the steps of this pipeline's last successful run (normalize's from_run). */
  previous: Record<string, Record<string, unknown>>;
  runId: string;
  onProgress?(p: Progress): void;
  /** Aborting cancels the pipeline at the next batch; nothing is written. */
  signal?: AbortSignal;
  /**
   * Whether the source is read, and the first steps run, on a thread of their own
   * (read-ahead.ts): by default for sources of 16 MB and more.
   */
  readAhead?: 'auto' | 'always' | 'never';
}

class PipelineFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly step?: string,
  ) {
    super(message);
  }
}

/**
 * About how many rows a file of `bytes` holds, from where the last row marked so far starts in
 * it (a quarter more, to spare); undefined without a mark (read on this thread, or compressed).
 *
 *   rowsEstimate([2, 75, 130, 9675], 1_000_000) // 129 lines in 9,675 bytes: 16,667
 */
export function rowsEstimate(marks: LineMarks, bytes: number): number | undefined {
  const n = marks.length;
  if (n < 2) return undefined;
  const line = marks[n - 2];
  const at = marks[n - 1];
  if (!(at > 0) || line < 2 || !(bytes > 0)) return undefined;
  return Math.ceil((((line - 1) * bytes) / at) * 1.25);
}

/** SLUICE_READ_AHEAD=never|always overrides the size rule (to compare the two, or to debug). */
function readAheadFromEnv(): 'auto' | 'always' | 'never' {
  const v = process.env.SLUICE_READ_AHEAD;
  return v === 'always' || v === 'never' ? v : 'auto';
}

/** A report with no rows yet: the start of every pipeline's report, and of one that never ran. */
export function emptyReport(
  name: string,
  sourcePath: string,
  status: PipelineReport['status'],
  at = new Date().toISOString(),
): PipelineReport {
  return {
    name,
    status,
    startedAt: at,
    finishedAt: at,
    source: { path: sourcePath, encoding: '', delimiter: '', header: true, rowsRead: 0 },
    rowsIn: 0,
    rowsOut: 0,
    rowsRejected: 0,
    rowsRemoved: 0,
    rowsMerged: 0,
    rowsAdded: 0,
    outputs: [],
    steps: [],
  };
}

/** What a running pipeline hands on: log lines and, at its end, its rejected and removed rows. */
export interface TaskRecorder {
  log(level: LogLevel, message: string): void;
  addRejects(rows: RejectRow[]): void;
}

/** The notes of the steps of a pipeline's last successful run. */
export function previousNotes(
  store: Pick<RunsStore, 'lastSucceeded'>,
  projectDir: string,
  pipeline: string,
): Record<string, Record<string, unknown>> {
  const last = store.lastSucceeded(projectDir, pipeline);
  const notes: Record<string, Record<string, unknown>> = {};
  for (const s of last?.steps ?? []) if (s.notes) notes[s.name] = s.notes;
  return notes;
}

export async function runPipeline(ctx: PipelineRunContext): Promise<PipelineReport> {
  const { pipeline: p, recorder } = ctx;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  let sourcePath = sourceLabel(p.source);
  const report = emptyReport(p.name, sourcePath, 'failed', startedAt);
  const log = (level: LogLevel, msg: string): void => recorder.log(level, msg);
  const sinks: Sink[] = [];
  const readerRejects: ReadReject[] = [];
  const stepRows: RejectRecord[] = [];
  /** Where rows start in the source, to read rejected rows' lines from (raw-lines.ts). */
  const lineMarks: LineMarks = [];
  let source: CsvSource | null = null;
  let reports: (() => PipelineReport['steps']) | null = null;
  let onServer: ServerRun | null = null;
  /** Where the time goes besides the steps (which time themselves): reading, each output. */
  let readMs = 0;
  const writeMs: number[] = [];
  const timed = async <T>(i: number, f: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      writeMs[i] += performance.now() - t;
    }
  };
  /** The reports of the steps that ran on the read-ahead thread, as of the last batch taken. */
  let aheadOf: (() => StepReport[]) | null = null;
  const cancelled = (): void => {
    if (ctx.signal?.aborted) throw new PipelineFailure('cancelled', `${p.name} was cancelled`);
  };
  const sourceFailure = (e: unknown): never => {
    if (e instanceof SourceError) throw new PipelineFailure('source', e.message);
    throw e;
  };
  try {
    const clash = sameTarget(p, ctx);
    if (clash) throw new PipelineFailure('config', `${ctx.file ?? p.name}: ${clash}`);
    let typed: Field[] | null = null;
    if (p.engine === 'postgres') {
      // The steps run on the server; what comes back are the output rows (run-on-server.ts).
      onServer = await runOnServer(ctx, (r) => readerRejects.push(r)).catch((e: Error) => {
        cancelled();
        if (e instanceof LocalOnlyError || e instanceof StepConfigError)
          throw new PipelineFailure('config', `${ctx.file ?? p.name}: ${e.message}`);
        if (e instanceof SinkError)
          throw new PipelineFailure(e instanceof ServerTimeout ? 'timeout' : 'load', e.message);
        throw e;
      });
      source = onServer.source;
      typed = onServer.fields;
      stepRows.push(...onServer.dropped);
      sourcePath = source.info.path;
    } else if (p.source.postgres) {
      // A table or query on a PostgreSQL server, streamed with its column types.
      const pgs = await openPostgresSource({
        ...p.source.postgres,
        ...connectionFor(p.source.postgres.connection, ctx),
      }).catch((e: Error) => {
        throw new PipelineFailure('source', e.message);
      });
      sourcePath = pgs.label;
      typed = pgs.fields;
      source = asRunSource(pgs);
    } else {
      sourcePath = ctx.resources.sourcePath(p);
      if (p.source.pipeline && !existsSync(sourcePath))
        throw new PipelineFailure(
          'source',
          `pipeline ${p.source.pipeline} has not written ${sourcePath} yet: run it first (list it in depends_on)`,
        );
      // Another pipeline's output comes back with the types it was written with.
      typed = p.source.pipeline ? await inferColumns(sourcePath).catch(sourceFailure) : null;
      source = await openCsv(sourcePath, p.source).catch(sourceFailure);
    }
    report.source.path = sourcePath;
    const sides = new Map<string, Batch>();
    for (const ref of onServer ? [] : sidesOf(p.steps)) {
      sides.set(sideName(ref), await ctx.resources.loadSide(ref).catch(sourceFailure));
    }
    const info = source.info;
    // A server's table or query is no file: no encoding or delimiter to tell (reports omit them).
    const file = !p.source.postgres;
    report.source = {
      path: sourcePath,
      encoding: file ? info.encoding : '',
      delimiter: file ? info.delimiter : '',
      header: info.header,
      rowsRead: 0,
    };
    log(
      'info',
      file
        ? `reading ${sourcePath} (${info.compression ? `${info.compression}-compressed, ` : ''}${info.encoding}: ${info.encodingReason}; delimiter ${JSON.stringify(info.delimiter)}; ${info.header ? 'header row' : 'no header row'})`
        : `reading ${sourcePath} (${info.encodingReason})`,
    );
    for (const w of info.warnings) log('warn', `${sourcePath}: ${w}`);
    const fields = typed ?? info.columns.map((name) => ({ name, type: 'string' as const }));
    let planned;
    try {
      planned = planPipeline(
        onServer ? [] : p.steps,
        fields.map(({ name, type }) => ({ name, type })),
        {
          // Each batch is written as it leaves the last step, then it can be freed.
          onOutput: (b) => {
            for (const [i, sink] of sinks.entries()) {
              if (sink.inServer) continue;
              const t = performance.now();
              sink.write(b);
              writeMs[i] += performance.now() - t;
            }
            report.rowsOut += b.length;
          },
          onRow: (r) => stepRows.push(r),
        },
        {
          side: (ref) => sides.get(sideName(ref))!,
          previous: ctx.previous,
          rowsHint: () => rowsEstimate(lineMarks, info.bytes),
        },
      );
    } catch (e) {
      if (e instanceof StepConfigError)
        throw new PipelineFailure('config', `${ctx.file ?? p.name}: ${e.message}`);
      throw e;
    }
    const stepReports = planned.reports;
    reports = () => {
      if (onServer) return onServer.reports;
      const ahead = aheadOf?.() ?? [];
      return [...ahead, ...stepReports().slice(ahead.length)];
    };
    for (const o of p.outputs) {
      const step = o.kind === 'csv' ? 'write' : `load ${o.table}`;
      const refused = (
        line: number,
        lineEnd: number,
        record: RejectRecord['record'],
        rule: string,
        reason: string,
      ): void => {
        stepRows.push({
          kind: 'rejected',
          step,
          stepIndex: -1,
          rule,
          reason,
          line,
          lineEnd,
          record,
        });
      };
      const sinkContext: SinkContext = {
        place: (path) => ctx.resources.outputPath(path),
        defaultDatabase: ctx.defaultDatabase,
        reject: (batch, row, rule, reason) =>
          refused(batch.line[row], batch.lineEnd[row], rowRecord(batch, row), rule, reason),
        rejectRecord: (r, rule, reason) =>
          refused(r.line, r.line, r.record as RejectRecord['record'], rule, reason),
        connections: ctx.connections,
        passwords: ctx.passwords,
        runId: ctx.runId,
        pipeline: p.name,
        log: (m) => log('info', m),
      };
      // A table of the engine's own database is written by the server from the steps' output.
      const sink =
        (onServer && o.kind === 'postgres' && onServer.loadInServer(o, sinkContext)) ||
        createSink(o, sinkContext);
      sinks.push(sink);
      writeMs.push(0);
      await timed(sinks.length - 1, () => sink.open(planned.fields));
    }
    let lastTick = 0;
    let readFrom = performance.now();
    const tick = (): void => {
      const now = performance.now();
      if (ctx.onProgress && now - lastTick > 200) {
        lastTick = now;
        ctx.onProgress({
          pipeline: p.name,
          rows: source!.stats.rowsRead,
          bytes: source!.stats.bytesRead,
          totalBytes: info.bytes,
          elapsedMs: now - t0,
          rowsPerSecond: Math.round((source!.stats.rowsRead * 1000) / Math.max(1, now - t0)),
        });
      }
    };
    const ahead = typed || !source.read ? null : aheadSteps(p);
    const mode = ctx.readAhead ?? readAheadFromEnv();
    if (
      ahead &&
      source.read &&
      (mode === 'always' || (mode === 'auto' && info.bytes >= READ_AHEAD_MIN_BYTES))
    ) {
      // The first steps run on the read-ahead thread; their books come back with the batches.
      const ra = new ReadAhead(workerScript(), {
        info,
        ...source.read,
        batchSize: 2048,
        steps: p.steps.slice(0, ahead.steps),
        previous: ctx.previous,
      });
      let aheadReports: StepReport[] = [];
      aheadOf = () => aheadReports;
      try {
        for await (const m of ra.messages()) {
          readMs += performance.now() - readFrom;
          cancelled();
          if (m.type === 'done') break;
          readerRejects.push(...m.readRejects);
          for (const x of m.marks) lineMarks.push(x);
          Object.assign(source.stats, m.stats);
          aheadReports = m.reports;
          for (const part of m.parts) {
            stepRows.push(...part.rows);
            for (const w of part.outputs) planned.pushAt(ahead.stages, unpackBatch(w));
          }
          ra.more();
          for (const [i, sink] of sinks.entries()) await timed(i, () => sink.flush?.());
          tick();
          readFrom = performance.now();
        }
      } finally {
        await ra.stop();
      }
    } else if (
      onServer &&
      sinks.length &&
      sinks.every((sink) => sink.writeEncoded || sink.inServer)
    ) {
      // Every output is a CSV file or a table the server writes itself (at commit): the server
      // writes the lines and COPY streams them out, so the rows never pass through the
      // engine's batches.
      const server = onServer;
      report.rowsOut = server.rows;
      for (const [i, sink] of sinks.entries()) {
        const o = p.outputs[i];
        if (o.kind !== 'csv') continue;
        const rows = await timed(i, () =>
          server.copyCsv(o, { writeEncoded: (lines, n) => sink.writeEncoded!(lines, n) }),
        );
        cancelled();
        report.rowsOut = rows;
      }
      readFrom = performance.now();
    } else {
      for await (const raw of source.batches((r) => readerRejects.push(r))) {
        // Reading is the time spent waiting on the next batch (and typing it); the steps and
        // the outputs time themselves.
        const batch = typed && !p.source.postgres && !onServer ? typeBatch(raw, typed) : raw;
        readMs += performance.now() - readFrom;
        cancelled();
        planned.push(batch);
        for (const [i, sink] of sinks.entries()) await timed(i, () => sink.flush?.());
        tick();
        readFrom = performance.now();
      }
    }
    readMs += performance.now() - readFrom;
    report.readMs = Math.round(readMs);
    const holding = (onServer ? [] : p.steps).filter(
      (s) => s.enabled !== false && HOLDS_ROWS.has(s.step),
    );
    if (holding.length)
      ctx.onProgress?.({
        pipeline: p.name,
        rows: source.stats.rowsRead,
        bytes: info.bytes,
        totalBytes: info.bytes,
        elapsedMs: performance.now() - t0,
        stage: `finishing ${holding.map((s) => s.name ?? s.step).join(', ')} (steps that see every row)`,
      });
    planned.finish();
    for (const [i, sink] of sinks.entries()) await timed(i, () => sink.flush?.());
    report.steps = reports();
    report.rowsIn = source.stats.rowsRead;
    report.source.rowsRead = source.stats.rowsRead;
    report.rowsRejected =
      readerRejects.length + report.steps.reduce((s, r) => s + r.rowsRejected, 0);
    report.rowsRemoved = report.steps.reduce((s, r) => s + r.rowsRemoved, 0);
    report.rowsMerged = report.steps.reduce((s, r) => s + r.rowsMerged, 0);
    report.rowsAdded = report.steps.reduce((s, r) => s + r.rowsAdded, 0);
    for (const s of report.steps) for (const w of s.warnings) log('warn', `${s.name}: ${w}`);
    const r = report;
    if (r.rowsIn + r.rowsAdded !== r.rowsOut + r.rowsRejected + r.rowsRemoved + r.rowsMerged) {
      throw new PipelineFailure(
        'books',
        `the books do not balance: ${r.rowsIn} rows read + ${r.rowsAdded} added, ${r.rowsOut} written + ` +
          `${r.rowsRejected} rejected + ${r.rowsRemoved} removed + ${r.rowsMerged} merged`,
      );
    }
    const rate = report.rowsIn ? report.rowsRejected / report.rowsIn : 0;
    if (rate > ctx.maxRejectRate) {
      throw new PipelineFailure(
        'reject_rate',
        `${report.rowsRejected} of ${report.rowsIn} rows rejected (${(rate * 100).toFixed(2)}%), more than the allowed ${(ctx.maxRejectRate * 100).toFixed(2)}%`,
      );
    }
    report.outputs = [];
    for (const [i, sink] of sinks.entries()) {
      const o = p.outputs[i];
      ctx.onProgress?.({
        pipeline: p.name,
        rows: report.rowsIn,
        bytes: info.bytes,
        totalBytes: info.bytes,
        elapsedMs: performance.now() - t0,
        stage: o.kind === 'csv' ? `writing ${o.path}` : `loading ${o.table} (${o.kind}, ${o.mode})`,
      });
      const committed = await timed(i, () =>
        Promise.resolve(sink.commit()).catch((e: unknown) => {
          // The server's own load stops on a cancel (pg_cancel_backend): the user's wish.
          if (sink.inServer) cancelled();
          throw e;
        }),
      );
      report.outputs.push({ ...committed, ms: Math.round(writeMs[i]) });
    }
    report.status = 'succeeded';
  } catch (e) {
    for (const sink of sinks) await sink.abort();
    if (reports) report.steps = reports();
    stoppedBooks(report, source, readerRejects.length);
    const failure =
      e instanceof PipelineFailure
        ? e
        : e instanceof StepRunError
          ? new PipelineFailure('step', e.message, e.step)
          : e instanceof BooksError
            ? new PipelineFailure('books', e.message)
            : e instanceof SourceError
              ? new PipelineFailure('source', e.message)
              : e instanceof OutputError || e instanceof SinkError
                ? new PipelineFailure('load', e.message)
                : new PipelineFailure(
                    'internal',
                    `internal error: ${(e as Error)?.message ?? String(e)}`,
                  );
    if (failure.code === 'internal')
      log('error', `the stack trace is in ${debugLog(`run ${ctx.runId}, pipeline ${p.name}`, e)}`);
    if (failure.code === 'cancelled') report.status = 'cancelled';
    report.error = {
      code: failure.code,
      message: failure.message,
      ...(failure.step ? { step: failure.step } : {}),
    };
    // A cancel is the user's wish, not a fault: it is logged as what happened, not as an error.
    log(failure.code === 'cancelled' ? 'info' : 'error', failure.message);
  } finally {
    await onServer?.close();
    report.finishedAt = new Date().toISOString();
    if (source) await saveRejects(ctx, source, readerRejects, stepRows, lineMarks);
  }
  if (report.status === 'succeeded')
    log(
      'info',
      `${p.name}: ${report.rowsIn} rows in, ${report.rowsOut} out, ${report.rowsRejected} rejected, ${report.rowsRemoved} removed in ${Math.round(performance.now() - t0)} ms`,
    );
  return report;
}

/**
 * The books of a pipeline that stopped: what it read so far, what its steps rejected, removed
 * and merged, nothing written unless an output was committed, and the rest not written.
 */
function stoppedBooks(report: PipelineReport, source: CsvSource | null, readRejects: number): void {
  const steps = report.steps;
  if (source) report.rowsIn = report.source.rowsRead = source.stats.rowsRead;
  report.rowsRejected = readRejects + steps.reduce((s, r) => s + r.rowsRejected, 0);
  report.rowsRemoved = steps.reduce((s, r) => s + r.rowsRemoved, 0);
  report.rowsMerged = steps.reduce((s, r) => s + r.rowsMerged, 0);
  report.rowsAdded = steps.reduce((s, r) => s + r.rowsAdded, 0);
  // Rows handed to outputs that rolled back were not written; once one output has committed
  // (and a later one failed), they were.
  if (report.outputs.length === 0) report.rowsOut = 0;
  const r = report;
  const rest = r.rowsIn + r.rowsAdded - r.rowsOut - r.rowsRejected - r.rowsRemoved - r.rowsMerged;
  if (rest >= 0) report.rowsNotWritten = rest;
}

async function saveRejects(
  ctx: PipelineRunContext,
  source: CsvSource,
  readerRejects: ReadReject[],
  stepRows: RejectRecord[],
  marks: LineMarks,
): Promise<void> {
  const path = source.info.path;
  // Rows read from PostgreSQL have no raw text: their record is what was read.
  const raw =
    ctx.pipeline.source.postgres || ctx.pipeline.engine === 'postgres'
      ? new Map<number, string>()
      : await readRawLines(
          source.info,
          stepRows.map((r) => ({ line: r.line, lineEnd: r.lineEnd })),
          marks,
        );
  const rows: RejectRow[] = [
    ...readerRejects.map((r) => ({
      kind: 'rejected' as const,
      source: path,
      line: r.line,
      lineEnd: r.lineEnd,
      raw: r.raw,
      step: 'read',
      rule: r.rule,
      reason: r.reason,
      record: null,
    })),
    ...stepRows.map((r) => ({
      kind: r.kind,
      source: path,
      line: r.line,
      lineEnd: r.lineEnd,
      raw: raw.get(r.line) ?? null,
      step: r.step,
      rule: r.rule,
      reason: r.reason,
      record: r.record,
    })),
  ];
  if (rows.length) ctx.recorder.addRejects(rows);
}
