/**
 * User patterns run on a linear-time engine (RE2): a catastrophic pattern finishes at once
 * instead of spinning a core, and what RE2 cannot do (backreferences, lookaround) is refused
 * when the recipe is checked, with the feature named.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileExpr } from '../../src-main/engine/expr';
import { compileUserRegex, toNative } from '../../src-main/engine/user-regex';
import { batchFromRows } from '../../src-main/engine/table';
import { runSteps } from '../helpers/engine';

describe('catastrophic patterns', () => {
  it('finish quickly in filter, derive, replace and validate', () => {
    // In a child process with a deadline: a backtracking engine would never return.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'scripts', 'evil-regex.ts')],
      { encoding: 'utf8', timeout: 45_000, cwd: join(__dirname, '..', '..') },
    );
    expect(child.signal, 'the patterns did not finish within 45 s').toBeNull();
    expect(child.stderr).toBe('');
    const out = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(out.filter).toEqual([['aaa']]);
    expect(out.derive).toEqual([
      ['a'.repeat(34) + '!', null],
      ['aaa', 'a'],
    ]);
    expect(out.replace).toEqual([['x'.repeat(40)]]);
    expect(out.validate).toEqual([[null]]);
    expect(out.ms).toBeLessThan(5_000);
  });
});

const fields = batchFromRows(['v'], []).fields;

describe('what the linear-time engine cannot do', () => {
  it.each([
    ['(a)\\1', /backreference/],
    ['(?<x>a)\\k<x>', /backreference/],
    ['a(?=b)', /lookahead/],
    ['a(?!b)', /lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
  ])('refuses %s at type check, naming the feature', (pattern, feature) => {
    expect(() => compileExpr(`matches(v, '${pattern}')`, fields)).toThrow(feature);
    expect(() => compileExpr(`regex_extract(v, '${pattern}')`, fields)).toThrow(feature);
    expect(() =>
      runSteps([{ step: 'replace', columns: ['v'], regex: pattern, with: '' }], ['v'], []),
    ).toThrow(feature);
    expect(() =>
      runSteps([{ step: 'validate', rules: [{ column: 'v', regex: pattern }] }], ['v'], []),
    ).toThrow(feature);
  });
  it('says where a pattern is wrong', () => {
    expect(() => compileExpr("matches(v, '(a')", fields)).toThrow(
      /invalid pattern.*missing closing \)/,
    );
  });
});

describe('what patterns still do', () => {
  it('replace with groups, $& and $$, and every match', () => {
    const r = runSteps(
      [{ step: 'replace', columns: ['v'], regex: '(\\d+)-(\\d+)', with: '$2:$1 [$&] $$' }],
      ['v'],
      [['a 12-34 b 5-6'], ['none']],
    );
    expect(r.rows).toEqual([['a 34:12 [12-34] $ b 6:5 [5-6] $'], ['none']]);
    expect(r.reports[0].cellsChanged).toBe(1);
  });
  it('named groups, classes, anchors and unicode', () => {
    const b = batchFromRows(['v'], [['2021-03-04'], ['Zoë Ångström'], [null]]);
    const ev = (src: string) => {
      const f = compileExpr(src, b.fields).bind(b);
      return [0, 1, 2].map(f);
    };
    expect(ev("regex_extract(v, '(?<y>\\d{4})-(\\d\\d)', 2)")).toEqual(['03', null, null]);
    expect(ev("matches(v, '^\\p{Lu}\\p{Ll}+ ')")).toEqual([false, true, null]);
    expect(ev("matches(v, 'ö')")).toEqual([false, true, null]);
    expect(ev("regex_extract(v, '[^ ]+$')")).toEqual(['2021-03-04', 'Ångström', null]);
  });
  it('validate keeps its whole-value rules', () => {
    const r = runSteps(
      [
        {
          step: 'validate',
          rules: [{ column: 'g', regex: '^(Male|Female)$', on_invalid: 'null' }],
        },
      ],
      ['g'],
      [['Male'], ['Females'], ['female']],
    );
    expect(r.rows).toEqual([['Male'], [null], [null]]);
  });
});

describe('the V8 shortcut for plain patterns', () => {
  const atom = fc.constantFrom(
    'a',
    'b',
    '1',
    '\\d',
    '\\w',
    '\\W',
    '\\s',
    '\\S',
    '.',
    '[ab]',
    '[^a\\s]',
    '[\\d-]',
    '\\.',
    'é',
    '😀',
    '\\x41',
    '\\t',
  );
  const quant = fc.constantFrom('', '', '', '', '*', '+', '?', '{2}', '{1,2}', '*?', '+?');
  const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
  const seq = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
  const pattern = fc
    .tuple(
      fc.constantFrom('', '^'),
      seq,
      fc.option(seq, { nil: undefined }),
      fc.constantFrom('', '$', '\\b'),
      fc.boolean(),
    )
    .map(([pre, a, b, post, group]) => {
      const body = b === undefined ? a : `${a}|${b}`;
      return pre + (group ? `(${body})` : body) + post;
    });
  const text = fc
    .array(
      fc.constantFrom('a', 'b', '1', ' ', '\t', '\n', '\r', '\u00a0', 'é', '😀', '-', '.', 'A'),
      {
        maxLength: 12,
      },
    )
    .map((cs) => cs.join(''));

  it('means what RE2 means', () => {
    let native = 0;
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 8 }), (p, texts) => {
        const oracle = RE2JS.compile(p);
        const mine = compileUserRegex(p);
        if (toNative(p)) native++;
        for (const t of texts) {
          expect(mine.test(t)).toBe(oracle.test(t));
          expect(mine.replaceAll(t, '<$&>')).toBe(oracle.matcher(t).replaceAll('<$&>'));
          expect(mine.extract(t, 0)).toBe(oracle.exec(t)?.[0] ?? null);
        }
      }),
      { numRuns: 400, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    // Most generated patterns take the shortcut; the rest prove nothing about it.
    expect(native).toBeGreaterThan(80);
  });
  it('is not taken for nested or repeated quantifiers', () => {
    for (const p of [
      '(a+)+$',
      '(a|aa)+',
      'a*b*',
      '\\s+$|^\\s+',
      '(ab)*',
      '[[:alpha:]]',
      '(?i)a',
      '\\pL',
    ])
      expect(toNative(p), p).toBeNull();
    expect(toNative('\\s+')).toEqual({ source: '[\\t\\n\\f\\r ]+', quantifiers: 1 });
  });
  it('hands long cells to RE2', () => {
    const long = ' '.repeat(100_000) + 'x';
    const t = performance.now();
    expect(compileUserRegex('\\s+$').test(long)).toBe(false);
    expect(compileUserRegex('\\s+').replaceAll(long, ' ')).toBe(' x');
    expect(performance.now() - t).toBeLessThan(5_000);
  });
});
