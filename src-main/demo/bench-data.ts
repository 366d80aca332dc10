/**
 * The benchmark's input: a fixed-seed dirty sales file (11 columns, ~1.3% dirty values, quoted
 * commas, currency strings), the same shape as the file measured in PERFORMANCE.md.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirtyDate, dirtyPrice, SALES_HEADER } from './sample-data';
import { daysFromCivil } from '../engine/dates';
import { Random } from './random';

/** The sales columns plus a price as currency text and a name with a comma in it. */
export const BENCH_HEADER = [...SALES_HEADER, 'Unit Price', 'Customer Name'];

export async function writeBenchSales(path: string, rows: number, seed = 7): Promise<void> {
  const rnd = new Random(seed);
  const out = createWriteStream(path);
  const start = daysFromCivil(2016, 1, 1);
  const currencies = ['USD', 'CAD', 'AUD', 'EUR', 'GBP'];
  let buf = BENCH_HEADER.join(',') + '\n';
  let order = 366000;
  let line = 1;
  for (let i = 0; i < rows; i++) {
    if (line > 1 && rnd.chance(0.45)) line = 1;
    if (line === 1) order += rnd.int(1, 3);
    const day = start + Math.floor((i / rows) * 1800);
    const dirty = rnd.next();
    // About 1.3% of rows carry one dirty value of some kind.
    const qty = dirty < 0.003 ? '' : dirty < 0.005 ? ' N/A ' : String(rnd.int(1, 9));
    const price = dirty > 0.995 ? 'n/a' : dirtyPrice(Math.round(rnd.next() * 300000) / 100);
    const date = dirty > 0.99 && dirty <= 0.995 ? ` ${dirtyDate(day)} ` : dirtyDate(day);
    const delivery = rnd.chance(0.2) ? dirtyDate(day + rnd.int(2, 9)) : '';
    const name = `Smith, John ${rnd.int(1, 977)}`;
    buf += `${order},${line},${date},${delivery},${rnd.int(301, 2099937)},${rnd.int(0, 66)},${rnd.int(1, 2517)},${qty},${rnd.pick(currencies)},"${price}","${name}"\n`;
    // A few exact duplicate lines.
    if (dirty > 0.9995)
      buf += `${order},${line},${date},${delivery},1,1,1,1,USD,"$1.00 ","Dup, Licate"\n`;
    line++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
