/**
 * The local server's API key: SLUICE_API_KEY when set; otherwise one generated on first start
 * and kept in the user's data folder, readable by the owner only.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataHome } from '../store/paths';

export interface ApiKey {
  key: string;
  /** Where it came from: the environment, the key file, or generated just now (into the file). */
  source: 'env' | 'file' | 'generated';
  path?: string;
}

export function apiKey(path = join(dataHome(), 'api-key')): ApiKey {
  const env = process.env.SLUICE_API_KEY;
  if (env) return { key: env, source: 'env' };
  if (existsSync(path)) {
    const key = readFileSync(path, 'utf8').trim();
    if (key) return { key, source: 'file', path };
  }
  const key = randomBytes(24).toString('base64url');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, key + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return { key, source: 'generated', path };
}

/** Compares a presented key with the real one in constant time (over their digests). */
export function keyMatches(presented: string | undefined, key: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(key).digest();
  return timingSafeEqual(a, b);
}
