/**
 * The preview grids' column menu entries beyond sorting: filter by value or condition (a facet
 * in the store), facet (the column in the profile panel), and "add a step for this column"
 * inserted after the selected step, which is then selected so the preview follows it.
 */
import { useCallback, useState } from 'react';
import type { Facet } from '../../../src-shared/api/contract';
import type { HeaderInfo, MenuEntry } from '../../components/Grid';
import { useStore } from '../../store';
import { addStep } from '../editor/recipe-doc';
import {
  COLUMN_STEP_LABELS,
  COLUMN_STEPS,
  columnStep,
  unavailable,
  type ColumnStepKind,
} from './column-steps';

type Condition = Extract<Facet, { kind: 'condition' }>['op'];
const CONDITIONS: [Condition | 'values', string][] = [
  ['values', 'is one of (one value a line)'],
  ['equals', 'equals'],
  ['not_equals', 'does not equal'],
  ['contains', 'contains'],
  ['starts_with', 'starts with'],
  ['gt', 'is greater than'],
  ['gte', 'is at least'],
  ['lt', 'is less than'],
  ['lte', 'is at most'],
  ['empty', 'is empty'],
  ['not_empty', 'is not empty'],
];

/** The facet a filter form describes; values one a line, an empty line meaning "empty". */
export function filterFacet(column: string, op: Condition | 'values', text: string): Facet {
  if (op === 'values') {
    const values = [...new Set(text.split('\n').map((v) => (v.trim() === '' ? null : v.trim())))];
    return { kind: 'values', column, values };
  }
  if (op === 'empty' || op === 'not_empty') return { kind: 'condition', column, op };
  return { kind: 'condition', column, op, value: text };
}

function FilterForm(props: { column: string; done: () => void }): React.JSX.Element {
  const addFacet = useStore((s) => s.addFacet);
  const [op, setOp] = useState<Condition | 'values'>('equals');
  const [text, setText] = useState('');
  const needsValue = op !== 'empty' && op !== 'not_empty';
  return (
    <form
      aria-label={`Filter ${props.column}`}
      onSubmit={(e) => {
        e.preventDefault();
        addFacet(filterFacet(props.column, op, text));
        props.done();
      }}
    >
      <b>Filter {props.column}</b>
      <select
        aria-label="condition"
        value={op}
        autoFocus
        onChange={(e) => setOp(e.target.value as Condition | 'values')}
      >
        {CONDITIONS.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      {needsValue ? (
        op === 'values' ? (
          <textarea
            aria-label="values"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        ) : (
          <input aria-label="value" value={text} onChange={(e) => setText(e.target.value)} />
        )
      ) : null}
      <div className="row">
        <button type="button" onClick={props.done}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="filter-apply">
          Filter
        </button>
      </div>
    </form>
  );
}

/**
 * The date formats inference found for a column of the pipeline's source file (its profile),
 * by name: a column a step made or renamed has none, and the caller falls back to ISO dates.
 */
function useInferredFormats(): (column: string) => Promise<string[] | null> {
  const client = useStore((s) => s.client);
  const profile = useStore((s) => s.profile);
  const source = useStore(
    (s) => s.project?.pipelines.find((p) => p.name === s.editor?.name)?.source,
  );
  return useCallback(
    async (column) => {
      if (!source || source.startsWith('pipeline ')) return null;
      const result =
        profile?.path === source && profile.result
          ? profile.result
          : await client.call('profiles.get', { path: source }).catch(() => null);
      return result?.columns.find((c) => c.name === column)?.formats ?? null;
    },
    [client, profile, source],
  );
}

/** The entries a preview grid adds to its column menus; `columns`: those after the step. */
export function usePreviewMenu(
  after: readonly { name: string; type: string }[],
): (col: HeaderInfo) => MenuEntry[] {
  const selected = useStore((s) => s.editor?.selected ?? null);
  const edit = useStore((s) => s.edit);
  const selectStep = useStore((s) => s.selectStep);
  const selectColumn = useStore((s) => s.selectColumn);
  const loadProfile = useStore((s) => s.loadProfile);
  const hasProfile = useStore((s) => s.profile !== null);
  const source = useStore(
    (s) => s.project?.pipelines.find((p) => p.name === s.editor?.name)?.source,
  );
  const formats = useInferredFormats();

  return useCallback(
    (col: HeaderInfo): MenuEntry[] => {
      if (!col.type) return [];
      const there = after.find((c) => c.name === col.name);
      const facts = {
        name: col.name,
        type: there?.type ?? col.type,
        taken: after.map((c) => c.name),
      };
      const add = async (kind: ColumnStepKind): Promise<void> => {
        if (selected === null) return;
        const step = columnStep(kind, {
          ...facts,
          formats: kind === 'parse_dates' ? await formats(col.name) : null,
        });
        edit((y) => addStep(y, step, selected + 1));
        selectStep(selected + 1);
      };
      return [
        {
          label: 'Filter',
          testId: 'menu-filter',
          form: (done) => <FilterForm column={col.name} done={done} />,
        },
        {
          label: 'Facet',
          testId: 'menu-facet',
          onSelect: () => {
            if (!hasProfile && source && !source.startsWith('pipeline ')) void loadProfile(source);
            selectColumn(col.name);
            document.querySelector('[data-testid="profile"]')?.scrollIntoView({ block: 'nearest' });
          },
        },
        ...COLUMN_STEPS.map((kind, i): MenuEntry => ({
          label: COLUMN_STEP_LABELS[kind],
          group: i === 0 ? 'Add a step for this column' : undefined,
          testId: `menu-step-${kind}`,
          disabled:
            selected === null
              ? 'select a step first: the new one goes after it'
              : !there
                ? `this step removes ${col.name}: a step after it cannot use it`
                : unavailable(kind, facts),
          onSelect: () => void add(kind),
        })),
      ];
    },
    [after, selected, edit, selectStep, selectColumn, loadProfile, hasProfile, source, formats],
  );
}
