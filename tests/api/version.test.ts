/**
 * One version, package.json's, read in one place (src-shared/version.ts): `sluice --version`,
 * the API's health answer and the OpenAPI document all say it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src-shared/version';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { sluice } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** Read as text, not imported: the test must not share the code it checks. */
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

describe("Sluice's version", () => {
  let service: SluiceService;
  let server: RunningServer;

  beforeAll(async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'sluice.yaml'), 'name: v\nstore: store.db\n');
    service = await SluiceService.open(dir);
    server = await serve(service, { port: 0, apiKey: 'version-key' });
  });
  afterAll(async () => {
    await server?.close();
    await service?.close();
  });

  it("is package.json's", () => {
    expect(PACKAGE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(VERSION).toBe(PACKAGE_VERSION);
  });

  it('is what `sluice --version` prints, built or run from the sources through tsx', () => {
    const envs: Record<string, string>[] = [{}, { SLUICE_FROM_SOURCES: '1' }];
    for (const env of envs) {
      const r = sluice(['--version'], env);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(PACKAGE_VERSION);
    }
  });

  it('is in GET /health and the OpenAPI document', async () => {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { version: string };
    expect(health.version).toBe(PACKAGE_VERSION);
    const doc = (await (
      await fetch(`${server.url}/openapi.json`, { headers: { 'X-API-Key': 'version-key' } })
    ).json()) as { info: { version: string } };
    expect(doc.info.version).toBe(PACKAGE_VERSION);
  });
});
