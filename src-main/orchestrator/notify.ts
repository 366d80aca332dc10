/**
 * Run notifications for headless use (CLI, schedules): a shell command (run in the project
 * folder, the run as JSON on its stdin and SLUICE_* variables) and/or a webhook (POST of the
 * same JSON) from `notify:` in sluice.yaml, on failure and/or success. A hook that fails is logged, never
 * fails the run. (The desktop app shows its own notification.)
 */
import { spawn } from 'node:child_process';
import type { Project } from '../../src-shared/recipe/pipeline';
import type { RunReport } from '../../src-shared/recipe/result';

export interface NotifyResult {
  hook: 'command' | 'webhook';
  ok: boolean;
  detail: string;
}

/** What a webhook receives: the run, and each pipeline's status and error. */
export function notification(r: RunReport, summaryPath: string): Record<string, unknown> {
  return {
    runId: r.runId,
    project: r.project,
    status: r.status,
    runDate: r.runDate,
    trigger: r.trigger,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    summary: summaryPath,
    pipelines: r.pipelines.map((p) => ({
      name: p.name,
      status: p.status,
      rowsIn: p.rowsIn,
      rowsOut: p.rowsOut,
      rowsRejected: p.rowsRejected,
      ...(p.error ? { error: p.error } : {}),
    })),
  };
}

function runCommand(
  command: string,
  cwd: string,
  env: Record<string, string>,
  body: string,
): Promise<NotifyResult> {
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      cwd,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-500)));
    child.stdin.on('error', () => undefined); // a command that does not read its input
    child.stdin.end(body);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ hook: 'command', ok: false, detail: `could not start "${command}": ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(
        code === 0
          ? { hook: 'command', ok: true, detail: `"${command}" ran` }
          : {
              hook: 'command',
              ok: false,
              detail: `"${command}" exited with ${signal ?? `code ${code}`}${err ? `: ${err.trim()}` : ''}`,
            },
      );
    });
  });
}

async function postWebhook(url: string, body: string): Promise<NotifyResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'sluice' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return res.ok
      ? { hook: 'webhook', ok: true, detail: `${url} answered ${res.status}` }
      : { hook: 'webhook', ok: false, detail: `${url} answered ${res.status} ${res.statusText}` };
  } catch (e) {
    return { hook: 'webhook', ok: false, detail: `${url}: ${(e as Error).message}` };
  }
}

/** Calls the project's hooks for a finished run, if its status is one they are for. */
export async function notifyRun(
  notify: Project['notify'],
  r: RunReport,
  summaryPath: string,
  projectDir: string,
): Promise<NotifyResult[]> {
  if (!notify) return [];
  const kind = r.status === 'succeeded' ? 'success' : 'failure';
  if (!notify.on.includes(kind)) return [];
  const body = JSON.stringify(notification(r, summaryPath));
  const env = {
    SLUICE_RUN_ID: r.runId,
    SLUICE_RUN_STATUS: r.status,
    SLUICE_PROJECT: r.project,
    SLUICE_RUN_DATE: r.runDate ?? '',
    SLUICE_SUMMARY: summaryPath,
  };
  return Promise.all([
    ...(notify.command ? [runCommand(notify.command, projectDir, env, body)] : []),
    ...(notify.webhook ? [postWebhook(notify.webhook, body)] : []),
  ]);
}
