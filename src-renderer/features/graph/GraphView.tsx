/** The project's pipelines and what they need, laid out left to right, coloured by live status. */
import dagre from '@dagrejs/dagre';
import {
  Background,
  Controls,
  MiniMap,
  Position,
  ReactFlow,
  type Edge,
  type Node,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo, useState } from 'react';
import { useStore } from '../../store';
import { shownRows, shownStatus } from '../projects/pipeline-status';

/** Wide enough for the pipeline's name in the node's bold 14 px type. */
const nodeWidth = (name: string): number => Math.max(170, Math.ceil(name.length * 9) + 30);
/** fitView stops zooming out here: below it the names are too small to read; pan instead. */
const MIN_READABLE_ZOOM = 0.8;
const NODE_HEIGHT = 54;
/** The overview's nodes by status (CSS variables: the same colours as the nodes' borders). */
const MINIMAP_COLOURS: Record<string, string> = {
  succeeded: 'var(--ok)',
  failed: 'var(--bad)',
  upstream_failed: 'var(--bad)',
  running: 'var(--accent)',
  queued: 'var(--accent)',
  cancelled: 'var(--warn)',
  never: 'var(--muted)',
};

export function GraphView(): React.JSX.Element {
  const project = useStore((s) => s.project);
  const live = useStore((s) => s.live);
  const open = useStore((s) => s.openPipeline);
  const startRun = useStore((s) => s.startRun);
  const openRun = useStore((s) => s.openRun);
  const setView = useStore((s) => s.setView);
  const appearance = useStore((s) => s.appearance);
  const [picked, setPicked] = useState<string | null>(null);

  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 80 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const p of project?.pipelines ?? [])
      g.setNode(p.name, { width: nodeWidth(p.name), height: NODE_HEIGHT });
    for (const p of project?.pipelines ?? []) for (const u of p.upstream) g.setEdge(u, p.name);
    dagre.layout(g);
    return g;
  }, [project]);

  if (!project?.pipelines.length)
    return <div className="empty">No pipelines yet: import CSV files to make some.</div>;

  const lastRun = (name: string): void => {
    const run = project.pipelines.find((p) => p.name === name)?.last_run;
    if (!run) return;
    setView('runs');
    void openRun(run.run_id);
  };
  const nodes: Node[] = project.pipelines.map((p) => {
    const status = shownStatus(p, live[p.name]);
    const rows = shownRows(p, live[p.name]);
    const pos = layout.node(p.name);
    return {
      id: p.name,
      selected: picked === p.name,
      position: { x: pos.x - nodeWidth(p.name) / 2, y: pos.y - NODE_HEIGHT / 2 },
      // Laid out left to right: edges leave on the right and arrive on the left.
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      data: {
        label: (
          <div
            className={`node ${status}`}
            data-testid={`node-${p.name}`}
            data-status={status}
            onDoubleClick={() => lastRun(p.name)}
          >
            <b>{p.name}</b>
            <small>
              {status.replace('_', ' ')}
              {rows ? ` · ${rows}` : ''}
            </small>
          </div>
        ),
      },
      // Sizes given, not measured: a node re-made on a state change (its status, being chosen)
      // is not hidden until measured again, which would let a double-click's second click
      // through to the pane.
      width: nodeWidth(p.name),
      height: NODE_HEIGHT,
      style: { padding: 0, border: 'none', background: 'transparent' },
    };
  });
  const edges: Edge[] = project.pipelines.flatMap((p) =>
    p.upstream.map((u) => ({
      id: `${u}->${p.name}`,
      source: u,
      target: p.name,
      animated: live[p.name]?.status === 'running',
    })),
  );
  const chosen = project.pipelines.find((p) => p.name === picked);
  const byName = new Map(project.pipelines.map((p) => [p.name, p]));
  return (
    <div className="graph-view">
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <button className="primary" onClick={() => void startRun()}>
          Run all
        </button>
        {chosen ? (
          <>
            <b data-testid="graph-picked">{chosen.name}</b>
            <button onClick={() => void open(chosen.name)}>Edit</button>
            <button disabled={!chosen.last_run} onClick={() => lastRun(chosen.name)}>
              Open last run
            </button>
          </>
        ) : (
          <span className="dir">
            Click a pipeline to choose it; double-click to open its last run.
          </span>
        )}
      </div>
      <div className="graph" data-testid="graph">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          fitViewOptions={{ minZoom: MIN_READABLE_ZOOM, maxZoom: 1.2 }}
          colorMode={appearance}
          nodesDraggable={false}
          // A click chooses (the toolbar offers Edit); a double-click opens the last run. A click
          // that switched views would make the double-click unreachable.
          onNodeClick={(_, n) => setPicked(n.id)}
          onPaneClick={() => setPicked(null)}
          zoomOnDoubleClick={false}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
          <MiniMap
            pannable
            zoomable
            ariaLabel="overview of the graph"
            nodeColor={(n) => MINIMAP_COLOURS[shownStatus(byName.get(n.id)!, live[n.id])] ?? ''}
            nodeStrokeWidth={3}
            style={{ width: 160, height: 100 }}
          />
        </ReactFlow>
      </div>
    </div>
  );
}
