/**
 * Computed previews kept on disk while the user scrolls them: a preview is computed once over
 * every row (on the preview worker) and its pages are then read from its folder. The newest few
 * are kept; asking again for one being computed waits for it; a different preview of the same
 * pipeline (the next edit) cancels one still computing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreviewMeta } from '../preview/step-preview';

export interface CachedPreview {
  dir: string;
  meta: PreviewMeta;
}

type Compute = (dir: string, signal: AbortSignal) => Promise<PreviewMeta>;

export class PreviewCache {
  private root: string | null = null;
  /** Oldest first. */
  private readonly done = new Map<string, CachedPreview>();
  private readonly computing = new Map<string, Promise<CachedPreview>>();
  private readonly latest = new Map<string, { key: string; cancel: AbortController }>();

  constructor(private readonly keep = 2) {}

  /** The preview `key` of `pipeline`: kept, being computed, or computed now by `compute`. */
  async get(pipeline: string, key: string, compute: Compute): Promise<CachedPreview> {
    const hit = this.done.get(key);
    if (hit) {
      this.done.delete(key);
      this.done.set(key, hit);
      return hit;
    }
    const pending = this.computing.get(key);
    if (pending) return pending;

    const last = this.latest.get(pipeline);
    if (last && last.key !== key) last.cancel.abort();
    const cancel = new AbortController();
    this.latest.set(pipeline, { key, cancel });
    this.root ??= mkdtempSync(join(tmpdir(), 'sluice-previews-'));
    const dir = join(this.root, randomUUID());
    const work = compute(dir, cancel.signal)
      .then((meta) => {
        const entry = { dir, meta };
        this.done.set(key, entry);
        for (const [k, old] of this.done) {
          if (this.done.size <= this.keep) break;
          this.done.delete(k);
          rmSync(old.dir, { recursive: true, force: true });
        }
        return entry;
      })
      .catch((e: unknown) => {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      })
      .finally(() => {
        this.computing.delete(key);
        if (this.latest.get(pipeline)?.cancel === cancel) this.latest.delete(pipeline);
      });
    this.computing.set(key, work);
    return work;
  }

  /** Cancels what is computing, waits for it to stop, and deletes every kept preview. */
  async close(): Promise<void> {
    for (const { cancel } of this.latest.values()) cancel.abort();
    await Promise.allSettled([...this.computing.values()]);
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = null;
    this.done.clear();
  }
}
