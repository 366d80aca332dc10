/**
 * A pipeline with `engine: postgres`: its steps compiled to SQL (engine/sql) and run on the
 * server, the way run-pipeline.ts would run them here. A step that cannot compile fails the run
 * before anything is read or written. The source file (and each joined file) is read as a local
 * run reads it, with the same import settings and rejects, and staged with COPY; the steps run
 * in one statement with their books (sinks/pg-engine.ts); what comes back is a source of the
 * output rows, which run-pipeline hands to the outputs as it hands a local run's last step.
 */
import type { Output, Pipeline, PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { StepReport } from '../../src-shared/recipe/result';
import { stepReports } from '../engine/sql/books';
import { compileSteps, type SqlRelation } from '../engine/sql/compile';
import { sideTable, SOURCE_TABLE, stagedRelation } from '../engine/sql/staged';
import { StepRunError, type RejectRecord } from '../engine/pipeline';
import { sideName, sidesOf, type SideRef } from '../engine/step';
import type { Batch, Field } from '../engine/table';
import { openCsv, type CsvSource, type ReadReject } from '../io/csv-read';
import { inferColumns, typeBatch } from '../io/typed-read';
import { connectionFor, type SinkContext } from '../sinks/index';
import { sameDatabase } from '../sinks/pg-config';
import type { InServerLoad } from '../sinks/pg-inserver';
import { PgEngine } from '../sinks/pg-engine';
import { SinkError } from '../sinks/sink';
import { STATEMENT_TIMEOUT_MS } from '../sinks/postgres-locks';
import { serverInfo, sourceLabel } from '../sinks/postgres-source';
import type { Resources } from './resources';

/** The connection a pipeline runs on: its PostgreSQL source's, else its first PostgreSQL output's. */
export function engineConnection(p: Pipeline): string {
  const out = p.outputs.find((o) => o.kind === 'postgres');
  return p.source.postgres?.connection ?? (out?.kind === 'postgres' ? out.connection : 'default');
}

/** The pipeline as it runs under `engine` (a run's --engine, else its own, else the project's). */
export function withEngine(p: Pipeline, engine: Pipeline['engine']): Pipeline {
  return engine === undefined || engine === p.engine ? p : { ...p, engine };
}

/** What a run on the server needs of the pipeline's run (run-pipeline.ts PipelineRunContext). */
export interface ServerRunContext {
  pipeline: Pipeline;
  resources: Resources;
  connections: Record<string, { url: string }>;
  passwords?: Record<string, string>;
  runId: string;
  signal?: AbortSignal;
  recorder: { log(level: 'info', message: string): void };
}

/** The server stopped the steps at the statement timeout. */
export class ServerTimeout extends SinkError {}

export interface ServerRun {
  /** The output rows; `stats.rowsRead` counts the rows read from the source (the books' rows in). */
  source: CsvSource;
  fields: Field[];
  reports: StepReport[];
  /** A sample of the rows the steps rejected and removed (all of them are in sluice_rejects). */
  dropped: RejectRecord[];
  /**
   * Writes the output into a CSV output's file as lines the server makes and streams with COPY
   * (instead of the rows coming back through `source`); returns the rows written.
   */
  copyCsv(o: Extract<Output, { kind: 'csv' }>, sink: EncodedSink): Promise<number>;
  /** The output's rows (the books' rows out). */
  rows: number;
  /**
   * The load of a PostgreSQL output that the server writes from the steps' output itself (its
   * rows never come here), or null when its connection reaches another database or login.
   */
  loadInServer(o: PostgresOutput, ctx: SinkContext): InServerLoad | null;
  close(): Promise<void>;
}

/** Where copyCsv's lines go (a CSV sink's writeEncoded). */
export interface EncodedSink {
  writeEncoded(lines: Buffer, rows: number): void;
}

/** Lines gathered before each write to the file. */
const COPY_FLUSH_BYTES = 1 << 20;

/** Stages, compiles and runs `ctx.pipeline` on its server; read rejects go to `onReject`. */
export async function runOnServer(
  ctx: ServerRunContext,
  onReject: (r: ReadReject) => void,
): Promise<ServerRun> {
  const p = ctx.pipeline;
  const name = engineConnection(p);
  const { url, password } = connectionFor(name, ctx);
  // The columns first: a step that cannot run in SQL fails the run before the server is used.
  let file: CsvSource | null = null;
  let typed: Field[] | null = null;
  let sourceFields: Field[] | null = null;
  if (!p.source.postgres) {
    const path = ctx.resources.sourcePath(p);
    typed = p.source.pipeline ? await inferColumns(path) : null;
    file = await openCsv(path, p.source);
    sourceFields = typed ?? file.info.columns.map((n) => ({ name: n, type: 'string' as const }));
  }
  const sides = new Map<string, Batch>();
  for (const ref of sidesOf(p.steps)) sides.set(sideName(ref), await ctx.resources.loadSide(ref));
  const sideOf = (ref: SideRef): SqlRelation =>
    stagedRelation(sideTable(ref), sides.get(sideName(ref))!.fields);
  const planned = (fields: Field[]): SqlRelation => stagedRelation(SOURCE_TABLE, fields);
  if (sourceFields) compileSteps(p.steps, planned(sourceFields), sideOf);

  const timeout = p.timeout ? p.timeout * 1000 : STATEMENT_TIMEOUT_MS;
  const engine = await PgEngine.connect(url, password, timeout, `sluice ${ctx.runId} ${p.name}`);
  const cancel = (): void => void engine.cancel().catch(() => undefined);
  ctx.signal?.addEventListener('abort', cancel);
  let done = false;
  const close = async (): Promise<void> => {
    if (done) return;
    done = true;
    ctx.signal?.removeEventListener('abort', cancel);
    await engine.close();
  };
  try {
    let rel: SqlRelation;
    if (file && sourceFields) {
      const batches = file.batches(onReject);
      rel = await engine.stage(
        SOURCE_TABLE,
        sourceFields,
        typed ? mapBatches(batches, (b) => typeBatch(b, typed)) : batches,
      );
    } else rel = await engine.relation(p.source.postgres!);
    for (const ref of sidesOf(p.steps))
      await engine.stage(sideTable(ref), sideOf(ref).fields, [sides.get(sideName(ref))!]);
    ctx.recorder.log('info', `${p.name}: running on ${engine.label} (engine postgres)`);
    const compiled = compileSteps(p.steps, rel, sideOf);
    const pg = p.outputs.find((o) => o.kind === 'postgres');
    const { counts, dropped } = await engine
      .run(compiled, p.steps, pg?.kind === 'postgres' ? pg.schema : 'sluice', {
        runId: ctx.runId,
        pipeline: p.name,
      })
      .catch((e: Error & { code?: string }) => {
        if (e instanceof StepRunError) throw e;
        // 57014: cancelled by the server; by a user's cancel, the runner says so itself.
        if (e.code === '57014' && !ctx.signal?.aborted)
          throw new ServerTimeout(
            `${p.name} on ${engine.label}: the steps ran longer than ${timeout / 1000} s, the statement timeout (the pipeline's timeout:, else 300 s)`,
          );
        throw new SinkError(`${p.name} on ${engine.label}: ${e.message}`);
      });
    // Rows in: those read from the file (with the ones rejected at reading), or the server's.
    const stats = file?.stats ?? {
      rowsRead: counts.get('s0') ?? 0,
      rowsRejected: 0,
      blankLines: 0,
      bytesRead: 0,
    };
    const read = { rowsRead: 0 };
    let loadsInServer = 0;
    const source: CsvSource = {
      info:
        file?.info ??
        serverInfo(sourceLabel(p.source.postgres!, engine.label), rel.fields, 'read on the server'),
      stats,
      async *batches() {
        try {
          yield* engine.output(compiled.fields, read);
        } finally {
          // The session ends early unless an output is still to be written from it.
          if (!loadsInServer) await close();
        }
      },
    };
    const reports = stepReports(compiled, p.steps, counts);
    const rows = reports.at(-1)?.rowsOut ?? counts.get('s0') ?? 0;
    return {
      source,
      fields: compiled.fields,
      reports,
      rows,
      loadInServer(o, sctx) {
        const at = connectionFor(o.connection, sctx);
        // SLUICE_IN_SERVER=never streams every output back (to compare the two, or to debug).
        if (process.env.SLUICE_IN_SERVER === 'never' || !sameDatabase(at.url, url)) return null;
        const target = { ...at, runId: sctx.runId, pipeline: sctx.pipeline, log: sctx.log };
        loadsInServer++;
        return engine.loadInServer(rows, o, target, sctx.reject, sctx.rejectRecord);
      },
      dropped: dropped.map((d) => ({
        ...d,
        stepIndex: -1,
        lineEnd: d.line,
        record: d.record as RejectRecord['record'],
      })),
      async copyCsv(o, sink) {
        let parts: Buffer[] = [];
        let bytes = 0;
        const flush = (): void => {
          if (parts.length) sink.writeEncoded(Buffer.concat(parts, bytes), parts.length);
          parts = [];
          bytes = 0;
        };
        const options = {
          delimiter: o.delimiter,
          formulaProtection: o.formula_protection,
          newline: '\n',
        };
        const rows = await engine.copyCsv(compiled.fields, options, (line) => {
          // The line's bytes are the stream's own, reused after this call: copied.
          parts.push(Buffer.from(line));
          bytes += line.length;
          if (bytes >= COPY_FLUSH_BYTES) flush();
        });
        flush();
        return rows;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function* mapBatches(
  batches: AsyncIterable<Batch>,
  f: (b: Batch) => Batch,
): AsyncGenerator<Batch> {
  for await (const b of batches) yield f(b);
}
