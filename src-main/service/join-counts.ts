/**
 * How a join's keys meet over every row, before any run: the join step's preview is computed
 * (on the preview worker, kept and shared with the window's preview of the same step) and its
 * own figures read back.
 */
import type { Result } from '../../src-shared/api/contract';
import type { ProjectContext, WorkContext } from './context';
import { ApiFailure } from './errors';
import { computedPreview } from './preview-service';

const count = (notes: Record<string, unknown> | undefined, key: string): number => {
  const v = notes && Object.hasOwn(notes, key) ? notes[key] : 0;
  return typeof v === 'number' ? v : 0;
};

export async function joinCounts(
  svc: ProjectContext & WorkContext,
  name: string,
  step: number,
  yaml: string | undefined,
): Promise<Result<'pipelines.joinCounts'>> {
  const { meta } = await computedPreview(svc, name, step, yaml);
  if (meta.step.kind !== 'join')
    throw new ApiFailure(
      'bad_request',
      `step ${step} of ${name} is a ${meta.step.kind}, not a join`,
    );
  if (!meta.counts)
    throw new ApiFailure('bad_request', `step ${step} of ${name} is disabled: enable it to count`);
  const notes = meta.counts.notes;
  return {
    left_rows: meta.counts.rowsIn,
    matched: count(notes, 'matched_left'),
    left_only: count(notes, 'unmatched_left'),
    right_only: count(notes, 'unmatched_right'),
    fan_out_rows: count(notes, 'fan_out_rows'),
    right_duplicate_keys: count(notes, 'right_duplicate_keys'),
  };
}
