/**
 * Clusters of near-identical text values by key collision, as OpenRefine does: values whose
 * keys are equal are probably one thing written several ways ("Mc Donald", "mcdonald ",
 * "McDonald."), and merging them is the user's call.
 *
 * - fingerprint: trimmed, lower case, accents and punctuation gone, the words unique and sorted.
 * - ngram: lower case, accents, punctuation and spaces gone, the unique sorted n-grams (n = 2):
 *   it also catches values that differ in spacing ("New York" and "NewYork").
 */

export type ClusterMethod = 'fingerprint' | 'ngram';

export interface ValueCount {
  value: string;
  count: number;
}

export interface Cluster {
  key: string;
  /** The values that share the key, most common first. */
  values: ValueCount[];
  /** Rows holding any of them. */
  rows: number;
  /** The value to merge them into: the most common one. */
  proposed: string;
}

/** Letters with accents lose them (é -> e); ß, æ, ø and the like keep their own letters. */
function stripAccents(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/** Lower case without accents; lower-casing can add marks (İ -> i̇), so they go after it too. */
const folded = (s: string): string => stripAccents(stripAccents(s).toLowerCase());

/** Punctuation, symbols and control characters go; letters, digits and spaces stay. */
const PUNCT = /[^\p{L}\p{N}\s]+/gu;

/**
 * fingerprint('  Mc-Donald, the  ') === 'mcdonald the'; fingerprint('b a a') === 'a b'
 */
export function fingerprint(value: string): string {
  const words = folded(value.trim())
    .replace(PUNCT, '')
    .split(/\s+/)
    .filter((w) => w.length > 0);
  return [...new Set(words)].sort().join(' ');
}

/** ngramFingerprint('New York') === ngramFingerprint('newyork'): 'ew ne or rk wy yo' joined. */
export function ngramFingerprint(value: string, n = 2): string {
  const s = folded(value).replace(PUNCT, '').replace(/\s+/g, '');
  if (s.length <= n) return s;
  const grams = new Set<string>();
  for (let i = 0; i + n <= s.length; i++) grams.add(s.slice(i, i + n));
  return [...grams].sort().join('');
}

export function clusterKey(value: string, method: ClusterMethod): string {
  return method === 'fingerprint' ? fingerprint(value) : ngramFingerprint(value);
}

const byCount = (a: ValueCount, b: ValueCount): number =>
  b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/**
 * Groups distinct values by their key; every value is in exactly one group. Groups of one value
 * (nothing to merge) are left out unless `all`. Largest clusters (most values, then rows) first.
 */
export function clusterValues(
  values: Iterable<ValueCount>,
  method: ClusterMethod,
  opts: { all?: boolean } = {},
): Cluster[] {
  const groups = new Map<string, ValueCount[]>();
  for (const v of values) {
    const key = clusterKey(v.value, method);
    const g = groups.get(key);
    if (g) g.push(v);
    else groups.set(key, [v]);
  }
  const out: Cluster[] = [];
  for (const [key, vs] of groups) {
    if (vs.length < 2 && !opts.all) continue;
    vs.sort(byCount);
    out.push({ key, values: vs, rows: vs.reduce((s, v) => s + v.count, 0), proposed: vs[0].value });
  }
  return out.sort(
    (a, b) => b.values.length - a.values.length || b.rows - a.rows || (a.key < b.key ? -1 : 1),
  );
}
