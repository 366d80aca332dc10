/** The project's pipelines and what they need, laid out left to right, coloured by live status. */
import dagre from '@dagrejs/dagre';
import { Background, Controls, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { useStore } from '../../store';

/** Wide enough for the pipeline's name in the node's bold type. */
const nodeWidth = (name: string): number => Math.max(170, Math.ceil(name.length * 8.2) + 28);

export function GraphView(): React.JSX.Element {
  const project = useStore((s) => s.project);
  const live = useStore((s) => s.live);
  const open = useStore((s) => s.openPipeline);
  const startRun = useStore((s) => s.startRun);
  const openRun = useStore((s) => s.openRun);
  const setView = useStore((s) => s.setView);

  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const p of project?.pipelines ?? [])
      g.setNode(p.name, { width: nodeWidth(p.name), height: 58 });
    for (const p of project?.pipelines ?? []) for (const u of p.upstream) g.setEdge(u, p.name);
    dagre.layout(g);
    return g;
  }, [project]);

  if (!project?.pipelines.length)
    return <div className="empty">No pipelines yet: import CSV files to make some.</div>;

  const nodes: Node[] = project.pipelines.map((p) => {
    const l = live[p.name];
    const status = l?.status ?? p.last_run?.status ?? 'never';
    const pos = layout.node(p.name);
    return {
      id: p.name,
      position: { x: pos.x - nodeWidth(p.name) / 2, y: pos.y - 29 },
      // Laid out left to right: edges leave on the right and arrive on the left.
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      data: {
        label: (
          <div className={`node ${status}`} data-testid={`node-${p.name}`} data-status={status}>
            <b>{p.name}</b>
            <small>
              {status}
              {l?.rows !== undefined && status === 'running'
                ? ` · ${l.rows.toLocaleString()} rows`
                : ''}
              {status !== 'running' && p.last_run
                ? ` · ${p.last_run.rows_out.toLocaleString()} rows`
                : ''}
            </small>
          </div>
        ),
      },
      style: { padding: 0, border: 'none', background: 'transparent', width: nodeWidth(p.name) },
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
  return (
    <div>
      <div className="toolbar" style={{ marginBottom: 8 }}>
        <button className="primary" onClick={() => void startRun()}>
          Run all
        </button>
        <span className="dir">Click a pipeline to edit it; double-click to open its last run.</span>
      </div>
      <div className="graph" data-testid="graph">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          nodesDraggable={false}
          onNodeClick={(_, n) => void open(n.id)}
          onNodeDoubleClick={(_, n) => {
            const run = project.pipelines.find((p) => p.name === n.id)?.last_run;
            if (run) {
              setView('runs');
              void openRun(run.run_id);
            }
          }}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </div>
  );
}
