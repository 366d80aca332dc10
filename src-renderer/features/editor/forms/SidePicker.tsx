/** The other table of a join or union: another pipeline of the project, or a CSV file. */
import { useStore } from '../../../store';
import { TextCell } from './cells';

export type SideRef = { pipeline: string } | { csv: string };

const NONE: { name: string }[] = [];

export function SidePicker(p: {
  label: string;
  value: SideRef | null;
  /** This pipeline, which cannot be its own other side. */
  self: string;
  onChange(v: SideRef): void;
}): React.JSX.Element {
  const pipelines = useStore((s) => s.project?.pipelines ?? NONE).filter((x) => x.name !== p.self);
  const isCsv = p.value !== null && 'csv' in p.value;
  return (
    <span className="side-picker" role="group" aria-label={p.label}>
      <select
        aria-label={`${p.label}: kind`}
        value={isCsv ? 'csv' : 'pipeline'}
        onChange={(e) =>
          p.onChange(
            e.target.value === 'csv'
              ? { csv: 'file.csv' }
              : { pipeline: pipelines[0]?.name ?? 'other' },
          )
        }
      >
        <option value="pipeline">pipeline output</option>
        <option value="csv">CSV file</option>
      </select>
      {isCsv ? (
        <TextCell
          label={`${p.label}: file`}
          placeholder="a CSV file in the data folder"
          value={(p.value as { csv: string }).csv}
          onChange={(v) => v && p.onChange({ csv: v })}
        />
      ) : (
        <select
          aria-label={`${p.label}: pipeline`}
          value={p.value && 'pipeline' in p.value ? p.value.pipeline : ''}
          onChange={(e) => p.onChange({ pipeline: e.target.value })}
        >
          {p.value &&
          'pipeline' in p.value &&
          !pipelines.some((x) => x.name === (p.value as { pipeline: string }).pipeline) ? (
            <option>{p.value.pipeline}</option>
          ) : null}
          {pipelines.map((x) => (
            <option key={x.name}>{x.name}</option>
          ))}
        </select>
      )}
    </span>
  );
}
