/**
 * The run options beside "Run all": where the steps of a run started from this window run (as
 * each recipe says, here, or in PostgreSQL) and where its database outputs load (as each recipe
 * says, or into a saved connection). The button names any choice that is not the recipes'.
 */
import { useEffect, useRef, useState } from 'react';
import { Menu, type MenuEntry } from '../../components/Menu';
import { useStore } from '../../store';

export function RunOptions(): React.JSX.Element {
  const list = useStore((s) => s.connections.list);
  const target = useStore((s) => s.runTarget);
  const setTarget = useStore((s) => s.setRunTarget);
  const engine = useStore((s) => s.runEngine);
  const setEngine = useStore((s) => s.setRunEngine);
  const load = useStore((s) => s.loadConnections);
  const openConnections = useStore((s) => s.openConnections);
  const button = useRef<HTMLButtonElement>(null);
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  useEffect(() => {
    void load();
  }, [load]);

  const server = target
    ? `the server of ${target}`
    : "the server of each pipeline's PostgreSQL source or first PostgreSQL output, else DATABASE_URL";
  const steps =
    engine === 'postgres'
      ? `in PostgreSQL (${server}; CSV sources are copied there first)`
      : engine === 'local'
        ? 'here, on this computer'
        : "where each recipe's engine says (here unless it says postgres)";
  const loads = target
    ? `into the saved PostgreSQL connection ${target}`
    : 'where each recipe says';
  const words = [
    engine === 'postgres' ? 'in PostgreSQL' : engine === 'local' ? 'steps here' : null,
    target ? `→ ${target}` : null,
  ].filter(Boolean);

  const items: MenuEntry[] = [
    {
      group: 'Steps run',
      label: 'As each recipe says',
      checked: engine === null,
      onSelect: () => setEngine(null),
    },
    {
      label: 'Here, on this computer',
      checked: engine === 'local',
      onSelect: () => setEngine('local'),
    },
    {
      label: 'In PostgreSQL',
      checked: engine === 'postgres',
      onSelect: () => setEngine('postgres'),
    },
    {
      group: 'Database outputs load',
      label: 'Where each recipe says',
      checked: target === null,
      onSelect: () => setTarget(null),
    },
    ...(list ?? []).map((c): MenuEntry => ({
      label: `Into ${c.name}`,
      checked: target === c.name,
      onSelect: () => setTarget(c.name),
    })),
    ...(list?.length ? [] : [{ label: 'Save a connection', onSelect: openConnections }]),
  ];

  return (
    <>
      <button
        ref={button}
        className="run-options"
        aria-label="run options"
        aria-haspopup="menu"
        aria-expanded={at !== null}
        title={`Run options: steps run ${steps}; database outputs load ${loads}`}
        onClick={() => {
          const r = button.current!.getBoundingClientRect();
          setAt(at ? null : { x: r.left, y: r.bottom + 2 });
        }}
      >
        {words.length ? <span className="run-choice">{words.join(' ')} </span> : null}▾
      </button>
      {at ? (
        <Menu
          label="run options"
          at={at}
          items={items}
          onClose={() => setAt(null)}
          testId="run-options"
        />
      ) : null}
    </>
  );
}
