/** A column called __proto__ or constructor keeps its values all the way out of the API. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callOverHttp } from '../../src-shared/api/http-client';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { makeProject } from '../helpers/project';

let service: SluiceService;
let server: RunningServer;

beforeAll(async () => {
  const dir = makeProject(
    {
      odd: `source: {path: small.csv}\nsteps:\n  - {step: filter, where: "id != '1'"}\noutputs:\n  - {kind: csv, path: out/odd.csv}\n`,
    },
    { name: 'odd', smallCsv: 'id,__proto__,constructor\n1,p1,c1\n2,p2,c2\n' },
  );
  service = await SluiceService.open(dir);
  server = await serve(service, { port: 0, apiKey: 'k' });
});

afterAll(async () => {
  await service.close();
  await server.close();
});

it("a dropped row's record over the API keeps every column, __proto__ included", async () => {
  const r = await callOverHttp(server.url, 'k', 'pipelines.preview', { name: 'odd', step: 1 });
  expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
  const dropped = (r as { value: { dropped: { record: Record<string, unknown> }[] } }).value
    .dropped;
  expect(dropped).toHaveLength(1);
  expect(Object.keys(dropped[0].record).sort()).toEqual(['__proto__', 'constructor', 'id']);
  expect(Object.getOwnPropertyDescriptor(dropped[0].record, '__proto__')?.value).toBe('p1');
  expect(dropped[0].record.constructor).toBe('c1');
});
