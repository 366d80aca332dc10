/**
 * A grid's column header: the name, an icon for its type, a mark when the previewed step changed
 * the column, the sort direction, and a ▾ button (or a right-click, or Alt+↓) for its menu.
 */
import type { IHeaderParams, SortDirection } from 'ag-grid-community';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ColumnMenu, type MenuEntry } from './ColumnMenu';

/** What a grid says about one column, through its ColDef's headerComponentParams. */
export interface HeaderInfo {
  /** The column's own name (the ColDef's field is an internal key). */
  name: string;
  type?: string;
  /** The step being previewed changed cells of this column (over all rows). */
  changed?: boolean;
  /** false: a column of the grid's own (a row's source line) without a menu. */
  menu?: boolean;
}

/** The grid's context: the menu entries a grid's owner adds for one column. */
export interface GridMenuContext {
  menu?: (col: HeaderInfo) => MenuEntry[];
}

const TYPE_ICONS: Record<string, [string, string]> = {
  string: ['Aa', 'text'],
  int: ['12', 'whole number'],
  float: ['1.2', 'decimal number'],
  decimal: ['1.2', 'decimal number'],
  number: ['1.2', 'number'],
  boolean: ['✓', 'true or false'],
  date: ['▦', 'date'],
  datetime: ['◷', 'date and time'],
};

export function TypeIcon({ type }: { type: string }): React.JSX.Element {
  const [glyph, words] = TYPE_ICONS[type] ?? ['?', type];
  return (
    <span className={`type-icon type-${type}`} title={words} aria-label={words}>
      {glyph}
    </span>
  );
}

type Props = IHeaderParams & Partial<HeaderInfo>;

const menuOf = (context: unknown): GridMenuContext['menu'] =>
  (context as GridMenuContext | undefined)?.menu;

export function ColumnHeader(props: Props): React.JSX.Element {
  const { column, api } = props;
  const info: HeaderInfo = {
    name: props.name ?? props.displayName,
    type: props.type,
    changed: props.changed,
    menu: props.menu,
  };
  const hasMenu = info.menu !== false;
  const [sort, setSort] = useState<SortDirection | undefined>(column.getSort());
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const update = (): void => setSort(column.getSort());
    api.addEventListener('sortChanged', update);
    return () => api.removeEventListener('sortChanged', update);
  }, [api, column]);

  const close = useCallback(() => {
    setMenuAt(null);
    // Back to the header the menu came from, for the keyboard's sake.
    props.eGridHeader.focus();
  }, [props.eGridHeader]);

  const sortable = column.isSortable();
  const notSortable = "this grid's rows come in one order: it cannot be sorted";
  const entries: MenuEntry[] = [
    {
      label: 'Sort ascending',
      disabled: sortable ? null : notSortable,
      onSelect: () => props.setSort('asc'),
      testId: 'menu-sort-asc',
    },
    {
      label: 'Sort descending',
      disabled: sortable ? null : notSortable,
      onSelect: () => props.setSort('desc'),
      testId: 'menu-sort-desc',
    },
    ...(sort
      ? [{ label: 'Clear sort', onSelect: () => props.setSort(null), testId: 'menu-sort-clear' }]
      : []),
    ...(menuOf(props.context)?.(info) ?? [
      {
        label: 'Filter',
        disabled: "this grid shows a whole table as it is: filters apply to the editor's preview",
      },
    ]),
  ];

  const openBelow = useCallback((): void => {
    const r = button.current?.getBoundingClientRect();
    if (r) setMenuAt({ x: r.left, y: r.bottom + 2 });
  }, []);

  useEffect(() => {
    // Alt+↓, Shift+F10 or the menu key on the focused header cell (AG Grid owns its keys).
    const el = props.eGridHeader;
    if (!hasMenu) return;
    const onKey = (e: KeyboardEvent): void => {
      if ((e.altKey && e.key === 'ArrowDown') || (e.shiftKey && e.key === 'F10')) {
        e.preventDefault();
        e.stopPropagation();
        openBelow();
      }
    };
    el.addEventListener('keydown', onKey, true);
    return () => el.removeEventListener('keydown', onKey, true);
  }, [props.eGridHeader, openBelow, hasMenu]);

  return (
    <div
      className={`col-head${info.changed ? ' col-changed' : ''}`}
      data-col={info.name}
      title={[
        info.name,
        info.type && TYPE_ICONS[info.type] ? TYPE_ICONS[info.type][1] : info.type,
        info.changed ? 'changed by this step' : null,
      ]
        .filter(Boolean)
        .join(' · ')}
      onContextMenu={(e) => {
        // React bubbles the menu's own events here through its portal: only the header's count.
        if (!hasMenu || !e.currentTarget.contains(e.target as Node)) return;
        e.preventDefault();
        setMenuAt({ x: e.clientX, y: e.clientY });
      }}
      onClick={(e) => {
        const inHeader = e.currentTarget.contains(e.target as Node);
        if (sortable && inHeader && !(e.target as HTMLElement).closest('.col-menu-btn'))
          props.progressSort();
      }}
    >
      {info.type ? <TypeIcon type={info.type} /> : null}
      {info.changed ? (
        <span
          className="col-changed-mark"
          title="this step changes cells of this column"
          data-testid="changed-mark"
        >
          ●
        </span>
      ) : null}
      <span className="col-name">{info.name}</span>
      {sort ? <span className="col-sort">{sort === 'asc' ? '↑' : '↓'}</span> : null}
      {hasMenu ? (
        <button
          ref={button}
          className="col-menu-btn"
          aria-label={`Menu of column ${info.name}`}
          aria-haspopup="menu"
          aria-expanded={menuAt !== null}
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            if (menuAt) close();
            else openBelow();
          }}
        >
          ▾
        </button>
      ) : null}
      {menuAt ? (
        <ColumnMenu entries={entries} at={menuAt} label={`Column ${info.name}`} onClose={close} />
      ) : null}
    </div>
  );
}
