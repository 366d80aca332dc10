/**
 * One file of the import dialog: how it was read (change any of it), its columns with their
 * types, date formats and empty shares, the key and whether it is unique over all rows, the
 * steps the recipe will have, its first rows, and Create, then Open in editor.
 */
import {
  DELIMITER_NAMES,
  DELIMITERS,
  Delimiter,
  Encoding,
  ENCODINGS,
} from '../../../src-shared/vocabulary';
import { Grid } from '../../components/LazyGrid';
import { plural } from '../../components/plural';
import { useStore } from '../../store';
import type { ImportItem, Inspection } from '../../store/types';
import { keepBothName, keyCheck, nameProblem, plannedSteps } from './import-facts';

/** The data folder as the user knows it: data/ inside the project, or its whole path. */
function dataFolder(dir: string | undefined, data: string | undefined): string {
  if (!dir || !data) return 'the data folder';
  return data.startsWith(`${dir}/`) ? `${data.slice(dir.length + 1)}/` : `${data}/`;
}

function Conflict({ item }: { item: ImportItem }): React.JSX.Element {
  const resolve = useStore((s) => s.resolveConflict);
  const folder = useStore((s) => dataFolder(s.project?.dir, s.project?.data_dir));
  const other = keepBothName(item.file);
  return (
    <div className="conflict" data-testid="import-conflict">
      <p>
        A file named <b>{item.file}</b> is already in the data folder ({folder}): replace it with
        this one, or keep both, this one as <b>{other}</b>.
      </p>
      <div className="toolbar">
        <button className="danger" onClick={() => void resolve(item.id, 'replace')}>
          Replace it with this one
        </button>
        <button className="primary" onClick={() => void resolve(item.id, 'keep-both')}>
          Keep both ({other})
        </button>
        <button onClick={() => void resolve(item.id, 'use-existing')}>
          Use the file already there
        </button>
      </div>
    </div>
  );
}

/** One of the file's import settings as a labelled choice: [value, what it is called]. */
function SettingSelect(props: {
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}): React.JSX.Element {
  return (
    <label>
      {props.label}{' '}
      <select
        aria-label={props.label.toLowerCase()}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map(([v, name]) => (
          <option key={v} value={v}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Columns(props: {
  ins: Inspection;
  keyCols: string[];
  toggle: (c: string) => void;
}): React.JSX.Element {
  const { ins } = props;
  return (
    <div className="table-scroll import-columns">
      <table className="list" data-testid="import-columns">
        <thead>
          <tr>
            <th title="Rows with the same key are duplicates">key</th>
            <th>column</th>
            <th>type</th>
            <th>date formats</th>
            <th className="n">empty</th>
            <th className="n">distinct</th>
          </tr>
        </thead>
        <tbody>
          {ins.columns.map((c) => {
            const empty = ins.rows ? c.null_count / ins.rows : 0;
            return (
              <tr key={c.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`key column ${c.name}`}
                    checked={props.keyCols.includes(c.name)}
                    onChange={() => props.toggle(c.name)}
                  />
                </td>
                <td>{c.name}</td>
                <td title={c.note ?? `${(c.confidence * 100).toFixed(1)}% of values fit`}>
                  {c.type}
                  {c.confidence < 1 && c.type !== 'string'
                    ? ` (${(c.confidence * 100).toFixed(1)}%)`
                    : ''}
                </td>
                <td>
                  <code>{c.formats?.join(' | ') ?? ''}</code>
                </td>
                <td className="n" title={plural(c.null_count, 'empty value')}>
                  {empty === 0 ? '—' : `${(empty * 100).toFixed(empty < 0.001 ? 2 : 1)}%`}
                </td>
                <td className="n">
                  {c.distinct_capped ? '≈' : ''}
                  {c.distinct_count.toLocaleString()}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ImportCard({ item }: { item: ImportItem }): React.JSX.Element {
  const adjust = useStore((s) => s.adjustImport);
  const create = useStore((s) => s.createPipeline);
  const openPipeline = useStore((s) => s.openPipeline);
  const closeImports = useStore((s) => s.closeImports);
  const taken = useStore((s) => s.project?.pipelines.some((p) => p.name === item.name) ?? false);
  const ins = item.inspection;
  const keyCols = item.key ?? [];
  const toggleKey = (c: string): void => {
    const next = keyCols.includes(c) ? keyCols.filter((k) => k !== c) : [...keyCols, c];
    void adjust(item.id, { key: next.length ? next : null });
  };
  const setting = (change: ImportItem['settings']): void =>
    void adjust(item.id, { settings: { ...item.settings, ...change } });
  const problem = item.created ? null : nameProblem(item.name, taken);
  const check = ins ? keyCheck(ins, item.key, item.keyCheck) : null;
  return (
    <div className="import-item" data-testid={`import-${item.file}`}>
      <div className="toolbar">
        <b>{item.file}</b>
        {ins ? (
          <span className="dir">
            {plural(ins.rows, 'row')} · {plural(ins.columns.length, 'column')}
            {ins.rejected_lines ? ` · ${plural(ins.rejected_lines, 'unreadable line')}` : ''}
          </span>
        ) : null}
        {item.busy ? <span className="dir">reading…</span> : null}
      </div>
      {item.conflict ? <Conflict item={item} /> : null}
      {item.error && !item.conflict ? <div className="error">{item.error}</div> : null}
      {ins ? (
        <>
          <div className="settings">
            <SettingSelect
              label="Encoding"
              value={ins.encoding}
              options={ENCODINGS.map((x) => [x, x])}
              onChange={(v) => setting({ encoding: Encoding.parse(v) })}
            />
            <SettingSelect
              label="Delimiter"
              value={ins.delimiter}
              options={DELIMITERS.map((d) => [d, DELIMITER_NAMES[d]])}
              onChange={(v) => setting({ delimiter: Delimiter.parse(v) })}
            />
            <label>
              <input
                type="checkbox"
                checked={ins.header}
                onChange={(e) => setting({ header: e.target.checked })}
              />{' '}
              header row
            </label>
            <span className="dir" title={ins.encoding_reason}>
              {ins.encoding_reason}
            </span>
          </div>
          <Columns ins={ins} keyCols={keyCols} toggle={toggleKey} />
          <div className="import-facts">
            <div data-testid="key-check">
              <b>Key</b> {keyCols.length ? keyCols.join(' + ') : '(none)'}:{' '}
              <span className={`key-${check?.state}`} role="status">
                {check?.why}
              </span>
            </div>
            <div data-testid="planned-steps">
              <b>The recipe will</b>
              <ol>
                {plannedSteps(ins, item.key).map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ol>
            </div>
          </div>
          <div style={{ height: 220, display: 'flex' }}>
            <Grid
              testId="import-grid"
              rows={ins.sample.rows.map((r, i) =>
                Object.fromEntries([
                  ['#', ins.sample.lines[i]],
                  ...r.map((v, ci) => [`c${ci}`, v]),
                ]),
              )}
              columns={[
                { field: '#', headerName: 'line', width: 70, minWidth: 60 },
                ...ins.columns.map((c, ci) => ({
                  field: `c${ci}`,
                  headerName: `${c.name} (${c.type})`,
                })),
              ]}
            />
          </div>
          <div className="toolbar import-create">
            <label>
              Pipeline name{' '}
              <input
                aria-label="pipeline name"
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `name-problem-${item.id}` : undefined}
                value={item.name}
                disabled={item.created}
                onChange={(e) => void adjust(item.id, { name: e.target.value })}
              />
            </label>
            {item.created ? (
              <>
                <span className="status succeeded">pipeline {item.name} created</span>
                <button
                  className="primary"
                  onClick={() => {
                    closeImports();
                    void openPipeline(item.name);
                  }}
                >
                  Open in editor
                </button>
              </>
            ) : (
              <button
                className="primary"
                disabled={item.busy || !!problem}
                onClick={() => void create(item.id)}
              >
                Create pipeline {item.name}
              </button>
            )}
            {problem ? (
              <span className="field-problem" id={`name-problem-${item.id}`} role="status">
                {problem}
              </span>
            ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
