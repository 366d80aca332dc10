/**
 * The line diff between two saved versions of a recipe: removed lines tinted red, added ones
 * green, each side's hash on top. Loaded with the `diff` package when first shown.
 */
import { diffLines } from 'diff';

export interface VersionSide {
  hash: string;
  saved_at: string;
  text: string;
}

export default function VersionDiff(props: {
  from: VersionSide;
  to: VersionSide;
}): React.JSX.Element {
  const { from, to } = props;
  const rows = diffLines(from.text, to.text).flatMap((c) =>
    c.value
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ text, op: c.added ? '+' : c.removed ? '-' : ' ' })),
  );
  const added = rows.filter((r) => r.op === '+').length;
  const removed = rows.filter((r) => r.op === '-').length;
  const shown = withContext(rows, CONTEXT);
  return (
    <div className="diff" data-testid="version-diff" role="region" aria-label="differences">
      <div className="hashes">
        <div>
          − <code title={from.hash}>{from.hash.slice(0, 12)}</code> {when(from.saved_at)}
        </div>
        <div>
          + <code title={to.hash}>{to.hash.slice(0, 12)}</code> {when(to.saved_at)}
        </div>
        <div>
          {plural(removed, 'line')} removed, {added} added
        </div>
      </div>
      {shown.map((r, i) =>
        'skipped' in r ? (
          <div key={i} className="line skipped">
            ⋯ {plural(r.skipped, 'unchanged line')}
          </div>
        ) : (
          <div
            key={i}
            className={`line ${r.op === '+' ? 'add' : r.op === '-' ? 'del' : ''}`}
            data-op={r.op}
          >
            {r.op} {r.text}
          </div>
        ),
      )}
    </div>
  );
}

/** Unchanged lines shown around each change; longer unchanged runs fold into one row. */
const CONTEXT = 3;

type Row = { text: string; op: string };

/** The changed rows with CONTEXT unchanged ones around them; the rest folded into counts. */
function withContext(rows: Row[], context: number): (Row | { skipped: number })[] {
  const near = rows.map(() => false);
  rows.forEach((r, i) => {
    if (r.op === ' ') return;
    for (let k = Math.max(0, i - context); k <= Math.min(rows.length - 1, i + context); k++)
      near[k] = true;
  });
  const out: (Row | { skipped: number })[] = [];
  rows.forEach((r, i) => {
    if (near[i]) out.push(r);
    else {
      const last = out[out.length - 1];
      if (last && 'skipped' in last) last.skipped++;
      else out.push({ skipped: 1 });
    }
  });
  return out;
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

export const when = (iso: string): string => new Date(iso).toLocaleString();
