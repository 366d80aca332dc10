/**
 * Every test file is in exactly one tier (npm run test:tiers; npm test runs it). The tiers are
 * vitest projects (vitest.config.ts); what vitest itself lists is compared with the test files
 * on disk, and each tier's npm script must name exactly that tier's projects.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIERS: Record<string, string[]> = {
  unit: ['unit'],
  integration: ['integration', 'integration-example'],
  e2e: ['e2e', 'components'],
};
const SKIP = new Set(['node_modules', '.git', 'out', 'dist', 'release', 'coverage', '.sluice-tmp']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return /\.test\.[cm]?[jt]sx?$/.test(e.name) ? [relative(ROOT, path)] : [];
  });
}

const listed = JSON.parse(
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'list', '--filesOnly', '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  ),
) as { file: string; projectName: string }[];

const problems: string[] = [];
const tierOf = new Map(
  Object.entries(TIERS).flatMap(([tier, projects]) => projects.map((p) => [p, tier])),
);
const tiers = new Map<string, Set<string>>();
for (const { file, projectName } of listed) {
  const project = projectName.replace(/ \(.*\)$/, ''); // "components (chromium)"
  const tier = tierOf.get(project);
  if (!tier) problems.push(`vitest project ${project} is in no tier (tests/check-tiers.ts)`);
  const f = relative(ROOT, file);
  tiers.set(f, new Set([...(tiers.get(f) ?? []), tier ?? project]));
}
for (const f of testFiles(ROOT)) {
  const of = [...(tiers.get(f) ?? [])];
  if (of.length === 0) problems.push(`${f} is in no tier: add it to a project in vitest.config.ts`);
  if (of.length > 1) problems.push(`${f} is in ${of.length} tiers: ${of.join(', ')}`);
}
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;
for (const [tier, projects] of Object.entries(TIERS)) {
  const named = [...(scripts[`test:${tier}`] ?? '').matchAll(/--project[= ](\S+)/g)].map(
    (m) => m[1],
  );
  if (named.sort().join() !== [...projects].sort().join())
    problems.push(
      `npm run test:${tier} runs projects ${named.join(', ') || 'none'}, not ${projects.join(', ')}`,
    );
}

if (problems.length) {
  process.stderr.write(problems.join('\n') + '\n');
  process.exit(1);
}
const count = (tier: string): number => [...tiers.values()].filter((t) => t.has(tier)).length;
process.stdout.write(
  `${tiers.size} test files, each in one tier: ${Object.keys(TIERS)
    .map((t) => `${t} ${count(t)}`)
    .join(', ')}\n`,
);
