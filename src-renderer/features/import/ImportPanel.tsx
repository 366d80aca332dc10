/**
 * Import: files dropped anywhere on the window (or picked) are inspected; the user sees what
 * Sluice inferred with the first rows, adjusts it, and creates a pipeline per file.
 */
import { useEffect, useState } from 'react';
import {
  DELIMITER_NAMES,
  DELIMITERS,
  Delimiter,
  Encoding,
  ENCODINGS,
} from '../../../src-shared/vocabulary';
import { Grid } from '../../components/LazyGrid';
import { Dialog } from '../../components/Dialog';
import { useStore } from '../../store';
import type { ImportItem } from '../../store/types';

/** Window-wide drop target; shows an overlay while files are dragged over. */
export function DropZone(): React.JSX.Element | null {
  const [over, setOver] = useState(false);
  const importFiles = useStore((s) => s.importFiles);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent): boolean => !!e.dataTransfer?.types.includes('Files');
    const enter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (): void => {
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const overFn = (e: DragEvent): void => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      void importFiles([...(e.dataTransfer?.files ?? [])]);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, [importFiles]);
  return over ? (
    <div className="overlay">
      <div className="overlay-message">Drop CSV files to import them</div>
    </div>
  ) : null;
}

function ImportCard({ item }: { item: ImportItem }): React.JSX.Element {
  const adjust = useStore((s) => s.adjustImport);
  const create = useStore((s) => s.createPipeline);
  const resolve = useStore((s) => s.resolveConflict);
  const taken = useStore((s) => s.project?.pipelines.some((p) => p.name === item.name) ?? false);
  const ins = item.inspection;
  const toggleKey = (c: string): void => {
    const key = item.key ?? [];
    const next = key.includes(c) ? key.filter((k) => k !== c) : [...key, c];
    void adjust(item.id, { key: next.length ? next : null });
  };
  return (
    <div className="import-item" data-testid={`import-${item.file}`}>
      <div className="toolbar">
        <b>{item.file}</b>
        {ins ? (
          <span className="dir">
            {ins.rows.toLocaleString()} rows · {ins.columns.length} columns
            {ins.rejected_lines ? ` · ${ins.rejected_lines} unreadable lines` : ''}
          </span>
        ) : null}
        {item.busy ? <span className="dir">reading…</span> : null}
      </div>
      {item.error ? <div className="error">{item.error}</div> : null}
      {item.conflict ? (
        <div className="toolbar">
          <button onClick={() => void resolve(item.id, 'use-existing')}>
            Use the file already there
          </button>
          <button className="danger" onClick={() => void resolve(item.id, 'replace')}>
            Replace it with this one
          </button>
        </div>
      ) : null}
      {ins ? (
        <>
          <div className="settings">
            <label>
              Encoding{' '}
              <select
                aria-label="encoding"
                value={ins.encoding}
                onChange={(e) =>
                  void adjust(item.id, {
                    settings: { ...item.settings, encoding: Encoding.parse(e.target.value) },
                  })
                }
              >
                {ENCODINGS.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            </label>
            <label>
              Delimiter{' '}
              <select
                aria-label="delimiter"
                value={ins.delimiter}
                onChange={(e) =>
                  void adjust(item.id, {
                    settings: { ...item.settings, delimiter: Delimiter.parse(e.target.value) },
                  })
                }
              >
                {DELIMITERS.map((d) => (
                  <option key={d} value={d}>
                    {DELIMITER_NAMES[d]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input
                type="checkbox"
                checked={ins.header}
                onChange={(e) =>
                  void adjust(item.id, { settings: { ...item.settings, header: e.target.checked } })
                }
              />{' '}
              header row
            </label>
            <label>
              Pipeline name{' '}
              <input
                aria-label="pipeline name"
                value={item.name}
                onChange={(e) => void adjust(item.id, { name: e.target.value })}
              />
            </label>
            <span className="dir" title={ins.encoding_reason}>
              {ins.encoding_reason}
            </span>
          </div>
          <div>
            <span className="dir">Key (rows with the same key are duplicates): </span>
            <span className="chips">
              {ins.columns.map((c) => (
                <button
                  key={c.name}
                  className={`chip ${item.key?.includes(c.name) ? 'on' : ''}`}
                  title={`${c.type}, ${c.distinct_count} distinct, ${c.null_count} empty`}
                  onClick={() => toggleKey(c.name)}
                >
                  {c.name}: {c.type}
                </button>
              ))}
            </span>
          </div>
          <div style={{ height: 260, display: 'flex' }}>
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
          <div className="toolbar">
            {item.created ? (
              <span className="status succeeded">pipeline {item.name} created</span>
            ) : (
              <button
                className="primary"
                disabled={item.busy || !item.name || taken}
                onClick={() => void create(item.id)}
              >
                Create pipeline {item.name}
              </button>
            )}
            {taken && !item.created ? (
              <span className="dir">
                a pipeline {item.name} exists already: choose another name
              </span>
            ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}

export function ImportDialog(): React.JSX.Element | null {
  const imports = useStore((s) => s.imports);
  const close = useStore((s) => s.closeImports);
  if (!imports.length) return null;
  return (
    <Dialog
      title={`Import ${imports.length === 1 ? 'a file' : `${imports.length} files`}`}
      onClose={close}
      // Closing drops the files read so far: only the Close button or Escape does it.
      backdropCloses={false}
    >
      {imports.map((i) => (
        <ImportCard key={i.id} item={i} />
      ))}
    </Dialog>
  );
}
