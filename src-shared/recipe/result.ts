/** What a run reports: the shape of `sluice run --json` and of run summaries in the store. */
export interface StepReport {
  name: string;
  kind: string;
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  rowsRemoved: number;
  removedReasons: Record<string, number>;
  cellsChanged: number;
  warnings: string[];
  ms: number;
}

export interface PipelineReport {
  name: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: { code: string; message: string; step?: string };
  startedAt: string;
  finishedAt: string;
  source: { path: string; encoding: string; delimiter: string; header: boolean; rowsRead: number };
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  rowsRemoved: number;
  outputs: { kind: string; path: string; rows: number }[];
  steps: StepReport[];
}

export interface RunReport {
  runId: string;
  project: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string;
  recipeHash: string;
  store: string;
  pipelines: PipelineReport[];
}
