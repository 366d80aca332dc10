/** The shape of the window's state: one zustand store, in slices by subject. */
import type { StateCreator } from 'zustand';
import type { ApiEvent, Facet, KeyCheck, Params, Result } from '../../src-shared/api/contract';
import type { Appearance } from '../../src-shared/desktop';
import type { Delimiter, Encoding, RunStatus, TaskStatus } from '../../src-shared/vocabulary';
import type { ApiClient } from '../api/client';
import type { RecipeIssue } from '../features/editor/recipe-doc';

export type View = 'pipelines' | 'editor' | 'graph' | 'runs' | 'outputs';
export type Project = Result<'project.get'>;
export type Preview = Result<'pipelines.preview'>;
export type RunDetail = Result<'runs.get'>;
export type LogLine = Result<'logs.get'>['items'][number];
export type Inspection = Result<'imports.inspect'>;

export interface ProjectSlice {
  client: ApiClient;
  project: Project | null;
  projectError: string | null;
  view: View;
  setView(v: View): void;
  loadProject(): Promise<void>;
  /**
   * Live task states and progress of the runs this window is watching, by pipeline; 'queued':
   * in the run, waiting for what it needs or for a worker.
   */
  live: Record<
    string,
    { status: TaskStatus | 'queued'; rows?: number; rps?: number | null; stage?: string | null }
  >;
  onEvent(e: ApiEvent): void;
  /** The project switcher: recent projects, a folder to open, what went wrong. */
  projects: {
    open: boolean;
    recent: Result<'projects.recent'> | null;
    error: string | null;
    /** The folder asked for is not a project: offer to start one there. */
    canCreate: string | null;
    busy: boolean;
    /** Asked for a new project (File > New project): the folder given becomes one. */
    creating: boolean;
  };
  showProjects(open: boolean, opts?: { create?: boolean }): Promise<void>;
  /** Opens the project in `dir` (or starts one there with `create`), and shows it. */
  openProject(dir: string, create?: boolean): Promise<void>;
  /** Whether the keyboard shortcut list is shown. */
  shortcutsOpen: boolean;
  showShortcuts(open: boolean): void;
}

export interface ImportItem {
  id: number;
  file: string;
  /** The path the server knows the file by (after upload in a browser). */
  path: string | null;
  inspection: Inspection | null;
  settings: { encoding?: Encoding; delimiter?: Delimiter; header?: boolean };
  key: string[] | null;
  name: string;
  busy: boolean;
  error: string | null;
  /** A file of that name is in the data folder already: the user says what to do. */
  conflict: boolean;
  created: boolean;
  /**
   * The service's answer about `key` over every row (imports.inspect with the key): asked a
   * moment after the key last changed, `result` and `error` null until it comes.
   */
  keyCheck: { key: string[]; result: KeyCheck | null; error: string | null } | null;
}

export interface ImportSlice {
  imports: ImportItem[];
  importFiles(files: File[]): Promise<void>;
  /** Files named by their path on disk (the desktop's menu, command line or dock icon). */
  importPaths(paths: string[]): Promise<void>;
  /**
   * For a name already in the data folder: replace that file, use it as it is, or keep both
   * (this one under the first free name of Sales-2.csv, Sales-3.csv, …).
   */
  resolveConflict(id: number, how: 'replace' | 'use-existing' | 'keep-both'): Promise<void>;
  adjustImport(
    id: number,
    change: Partial<Pick<ImportItem, 'settings' | 'key' | 'name'>>,
  ): Promise<void>;
  createPipeline(id: number): Promise<void>;
  closeImports(): void;
}

export interface EditorSlice {
  editor: {
    name: string;
    file: string;
    saved: string;
    yaml: string;
    past: string[];
    future: string[];
    steps: Record<string, unknown>[];
    issues: RecipeIssue[];
    selected: number | null;
    saving: boolean;
    error: string | null;
    /** The service is checking this text against the data (pipelines.check); the preview waits. */
    checking?: boolean;
    /** Why the service could not check the steps against data (an input not written yet). */
    unchecked?: string | null;
  } | null;
  openPipeline(name: string): Promise<void>;
  /** A new text for the recipe; typing coalesces into one undo step. */
  setYaml(text: string, opts?: { typing?: boolean }): void;
  /** A change made through the step list or a form: a function of the YAML text. */
  edit(change: (yaml: string) => string): void;
  selectStep(i: number | null): void;
  undo(): void;
  redo(): void;
  /**
   * Returns to a point of the history [...past, yaml, ...future] (0 is the oldest kept); the
   * points after it stay redoable.
   */
  goTo(point: number): void;
  save(): Promise<void>;
  /** The open pipeline's saved versions, newest first (each save keeps one). */
  versions: {
    name: string;
    items: Result<'pipelines.versions'>['items'];
    error: string | null;
  } | null;
  loadVersions(): Promise<void>;
  /** The text of one saved version of the open pipeline. */
  versionText(hash: string): Promise<string>;
}

/** What the step forms ask of the service (forms-slice.ts). */
export interface FormsSlice {
  /**
   * Each step's columns for the recipe text `yaml` (kept while a newer text is asked, and when
   * it does not read); `asked`: the last text an answer came for, good or not.
   */
  columns: {
    name: string;
    yaml: string;
    asked: string;
    result: Result<'pipelines.columns'> | null;
    error: string | null;
  } | null;
  /** Asks for the columns of the editor's recipe, if its text changed (debounced). */
  loadColumns(): void;
  /** The columns of the recipe as it is now, waiting for them if asked for an older text. */
  freshColumns(): Promise<Result<'pipelines.columns'> | null>;
  checkExpression(p: {
    step: number;
    expression: string;
    column?: string;
  }): Promise<Result<'pipelines.checkExpression'>>;
  joinCounts(step: number): Promise<Result<'pipelines.joinCounts'>>;
  /** The columns of a join's or union's other side. */
  sideColumns(
    ref: { pipeline: string } | { csv: string },
  ): Promise<{ name: string; type: string }[]>;
}

export type PreviewSide = 'before' | 'after' | 'dropped';
export type PreviewRows = Result<'pipelines.previewRows'>;

export interface PreviewSlice {
  preview: {
    result: Preview | null;
    /** What `result` is the preview of (its pages are fetched with the same). */
    of: { name: string; step: number; yaml?: string } | null;
    loading: boolean;
    /** While computing: how many source rows the engine has read. */
    read: number | null;
    error: string | null;
    /** An export of every row of one side in progress. */
    exporting: { side: PreviewSide; done: number; total: number } | null;
    /** Filters on the preview's grids (a click on a profile's bar, a column menu's filter). */
    facets: Facet[];
    /** How many rows of each side pass `facets`, as the grids' pages say (for this `of`). */
    matching: {
      of: PreviewSlice['preview']['of'];
      facets: Facet[];
      before?: number;
      after?: number;
    } | null;
  };
  /** Adds a facet; one already on the same column and of the same kind is replaced. */
  addFacet(f: Facet): void;
  removeFacet(index: number): void;
  clearFacets(): void;
  /** Asks for the preview of the selected step (debounced: edits in a burst make one). */
  requestPreview(): void;
  /** Rows of one side of the current preview, as the grid scrolls to them. */
  previewRows(side: PreviewSide, offset: number, limit: number): Promise<PreviewRows>;
  /** Downloads every row of one side of the current preview (under facets: those passing them) as CSV. */
  exportPreview(side: PreviewSide): Promise<void>;
  cancelExport(): void;
  profile: {
    path: string;
    result: Result<'profiles.get'> | null;
    error: string | null;
    column: string | null;
  } | null;
  loadProfile(path: string): Promise<void>;
  selectColumn(c: string): void;
}

export type StepProfile = Result<'pipelines.profile'>;
export type Clusters = Result<'pipelines.clusters'>;
type PreviewOf = NonNullable<PreviewSlice['preview']['of']>;

export interface StepProfileSlice {
  /** The profile of the selected step's data after it, under the preview's facets. */
  stepProfile: {
    /** The preview and facets it is the profile of. */
    key: string;
    of: PreviewOf;
    result: StepProfile | null;
    loading: boolean;
    error: string | null;
  } | null;
  /** Profiles the current preview's after side with the facets (after each preview or facet). */
  loadStepProfile(): Promise<void>;
  /** Whether the profile panel is open (closed, it is computed only for facets' counts). */
  profileOpen: boolean;
  setProfileOpen(open: boolean): void;
  clusters: {
    column: string;
    method: 'fingerprint' | 'ngram';
    of: PreviewOf;
    result: Clusters | null;
    loading: boolean;
    error: string | null;
  } | null;
  findClusters(column: string, method: 'fingerprint' | 'ngram'): Promise<void>;
  /** One replace step after the selected one: each cluster's values become its `to`. */
  mergeClusters(column: string, merges: { values: string[]; to: string }[]): void;
}

export interface RunsSlice {
  runs: {
    list: Result<'runs.list'> | null;
    filter: { status?: RunStatus; pipeline?: string; page: number };
    selected: RunDetail | null;
    logs: LogLine[];
    rejects: Result<'rejects.list'> | null;
    error: string | null;
    activeRunId: string | null;
  };
  loadRuns(filter?: Partial<RunsSlice['runs']['filter']>): Promise<void>;
  openRun(id: string): Promise<void>;
  startRun(opts?: { pipelines?: string[]; only?: boolean }): Promise<void>;
  cancelRun(id: string): Promise<void>;
  resumeRun(id: string): Promise<void>;
  loadRejects(id: string, page?: number): Promise<void>;
  download(what: 'report-json' | 'report-csv' | 'rejects', runId: string): Promise<void>;
}

export interface AppearanceSlice {
  /** Light, dark, or as the system says; remembered in this browser profile. */
  appearance: Appearance;
  setAppearance(a: Appearance): void;
}

export type SavedConnection = Result<'connections.list'>['connections'][number];

export interface ConnectionsSlice {
  connections: {
    /** Whether the Connections dialog is shown. */
    open: boolean;
    list: SavedConnection[] | null;
    /** Passwords can be kept here (the desktop app's keychain). */
    keychain: boolean;
    error: string | null;
    busy: boolean;
    /** The answer of the last "Test connection", and what it tested. */
    test: Result<'connections.test'> | null;
    testing: boolean;
  };
  /** The saved connection runs started here load into; null: where the recipes say. */
  runTarget: string | null;
  /** Where the steps of runs started here run; null: where each recipe says. */
  runEngine: 'local' | 'postgres' | null;
  /** Shows the Connections dialog (the header button; the desktop menu's 'connections'). */
  openConnections(): void;
  closeConnections(): void;
  loadConnections(): Promise<void>;
  /** Saves (adds or edits); true when it was saved. */
  saveConnection(p: Params<'connections.save'>): Promise<boolean>;
  removeConnection(name: string): Promise<void>;
  testConnection(p: Params<'connections.test'>): Promise<void>;
  clearConnectionTest(): void;
  setRunTarget(name: string | null): void;
  setRunEngine(engine: 'local' | 'postgres' | null): void;
}

export type OutputInfo = Result<'outputs.list'>['outputs'][number];
export type ReportFileFormat = 'html' | 'xlsx' | 'pdf';

export interface OutputsSlice {
  outputs: {
    /** The run whose outputs are shown: null for the latest. */
    runId: string | null;
    list: Result<'outputs.list'> | null;
    /** The output open in the grid. */
    opened: OutputInfo | null;
    /** What is being fetched or saved right now, for a busy label. */
    busy: string | null;
    error: string | null;
    /** Where the last file went (desktop: its path; browser: downloaded or opened). */
    saved: string | null;
  };
  /** Lists the outputs of a run (the latest when null). */
  loadOutputs(runId?: string | null): Promise<void>;
  openOutput(o: OutputInfo | null): void;
  /** A page of the open output for the grid. */
  outputRows(
    offset: number,
    limit: number,
    sort?: { column: string; desc: boolean },
  ): Promise<Result<'outputs.page'>>;
  /** A run's report as HTML, Excel or PDF, opened (a browser opens HTML and downloads the rest). */
  exportReport(runId: string, format: ReportFileFormat, open?: boolean): Promise<void>;
  /** One output file as CSV or Excel. */
  downloadOutput(o: OutputInfo, format: 'csv' | 'xlsx'): Promise<void>;
  showOutput(o: OutputInfo): Promise<void>;
}

export type State = ProjectSlice &
  ImportSlice &
  EditorSlice &
  PreviewSlice &
  StepProfileSlice &
  RunsSlice &
  AppearanceSlice &
  ConnectionsSlice &
  OutputsSlice &
  FormsSlice;
export type Slice<T> = StateCreator<State, [], [], T>;
