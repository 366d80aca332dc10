/**
 * A recipe or project file that is not right: every issue names the file, line, column and key
 * path. Apart from recipe-load.ts (which re-exports it) so that the CLI can tell it from other
 * errors without loading yaml and the recipe schemas at start.
 */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  path: (string | number)[];
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

export function formatIssue(i: ConfigIssue): string {
  const where = i.path.length ? ` at ${i.path.map(String).join('.')}` : '';
  return `${i.file}:${i.line}:${i.column}${where}: ${i.message}`;
}
