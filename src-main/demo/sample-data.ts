/**
 * Generates the example project's sample data: the five retail tables with the same columns and
 * the same kinds of dirt as the real Global Electronics files (dates rendered M/d/yyyy or, when
 * the day is 12 or less, MM-dd-yyyy; prices as "$1,234.50 "; windows-1252 names; blanks;
 * duplicated rows). Deterministic: the same seed writes the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { civilFromDays, daysFromCivil } from '../engine/dates';
import { Random } from './random';

const FIRST = [
  'Lilly',
  'Madison',
  'Claire',
  'Sven',
  'Marie',
  'Lisa',
  'Laurence',
  'Miloš',
  'Zoë',
  'José',
  'Ángel',
  'Søren',
  'François',
  'Jürgen',
  'Chloé',
  'Björn',
  'Noël',
  'Renée',
  'Oliver',
  'Amelia',
  'Luca',
  'Giulia',
];
const LAST = [
  'Harding',
  'Hull',
  'Ferres',
  'Mahler',
  'Werfel',
  'Bachmeier',
  'Léveillé',
  'Hooijenga',
  'Müller',
  'García',
  'Núñez',
  'Østergaard',
  'Dubois',
  'Schröder',
  'Smith',
  'Rossi',
  'Padovesi',
  'Öztürk',
  'Žukauskas',
];
const PLACES: [string, string, string, string, string, string][] = [
  // City, State Code, State, Zip, Country, Continent
  ['WANDEARAH EAST', 'SA', 'South Australia', '5523', 'Australia', 'Australia'],
  ['Fürstenberg', 'BB', 'Brandenburg', '16794', 'Germany', 'Europe'],
  ['Mannweiler-Cölln', 'RP', 'Rheinland-Pfalz', '67822', 'Germany', 'Europe'],
  ["L'HAŸ-LES-ROSES", 'IL', 'Île-de-France', '94240', 'France', 'Europe'],
  ['Polvica', 'NA', 'Napoli', '80035', 'Italy', 'Europe'],
  ['Apeldoorn', 'GE', 'Gelderland', '7311 XM', 'Netherlands', 'Europe'],
  ['Toronto', 'ON', 'Ontario', 'M5V 2T6', 'Canada', 'North America'],
  ['Los Angeles', 'CA', 'California', '90017', 'United States', 'North America'],
  ['Boston', 'MA', 'Massachusetts', '02139', 'United States', 'North America'],
  ['Lerwick', 'ZE', 'Shetland', 'ZE3 6ZB', 'United Kingdom', 'Europe'],
];
const BRANDS = [
  'Contoso',
  'Fabrikam',
  'Litware',
  'Proseware',
  'Adventure Works',
  'Wide World Importers',
  'A. Datum',
];
const COLORS = ['Silver', 'Blue', 'White', 'Black', 'Red', 'Green', 'Pink', 'Azure'];
const CATEGORIES: [number, string, number, string][] = [
  [101, 'MP4&MP3', 1, 'Audio'],
  [201, 'Televisions', 2, 'TV and Video'],
  [301, 'Laptops', 3, 'Computers'],
  [306, 'Projectors & Screens', 3, 'Computers'],
  [401, 'Digital Cameras', 4, 'Cameras and camcorders '],
  [501, 'Cell phones', 5, 'Cell phones'],
  [801, 'Washers & Dryers', 8, 'Home Appliances'],
];
/** The columns of the real Sales.csv. */
export const SALES_HEADER = [
  'Order Number',
  'Line Item',
  'Order Date',
  'Delivery Date',
  'CustomerKey',
  'StoreKey',
  'ProductKey',
  'Quantity',
  'Currency Code',
];
export const CURRENCIES = ['USD', 'CAD', 'AUD', 'EUR', 'GBP'] as const;

/** Renders a date the way the real export does: MM-dd-yyyy when the day is <= 12, else M/d/yyyy. */
export function dirtyDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return d <= 12
    ? `${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}-${y}`
    : `${m}/${d}/${y}`;
}

/** "$1,234.50 " — currency sign, thousands separator, trailing space. */
export function dirtyPrice(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} `;
}

function csvLine(cells: (string | number)[]): string {
  return (
    cells
      .map((c) =>
        typeof c === 'string' && /[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : String(c),
      )
      .join(',') + '\r\n'
  );
}

/** windows-1252 bytes for text made only of characters that encoding has. */
export function toWindows1252(text: string): Buffer {
  const extra: Record<string, number> = {
    '€': 0x80,
    Š: 0x8a,
    Œ: 0x8c,
    Ž: 0x8e,
    š: 0x9a,
    œ: 0x9c,
    ž: 0x9e,
    Ÿ: 0x9f,
  };
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const b = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : extra[text[i]];
    if (b === undefined) throw new Error(`"${text[i]}" cannot be written in windows-1252`);
    out[i] = b;
  }
  return out;
}

export interface SampleCounts {
  customers: number;
  products: number;
  stores: number;
  exchangeRates: number;
  sales: number;
  /** Exact copies of earlier rows that were added, per table. */
  duplicates: { customers: number; sales: number };
}

/** Writes Customers.csv, Products.csv, Stores.csv, Exchange_Rates.csv and Sales.csv into `dir`. */
export async function writeSampleData(
  dir: string,
  opts: { seed?: number; customers?: number; orders?: number } = {},
): Promise<SampleCounts> {
  const rnd = new Random(opts.seed ?? 20261125);
  const nCustomers = opts.customers ?? 2000;
  const nOrders = opts.orders ?? 4000;
  await mkdir(dir, { recursive: true });

  // Customers, in windows-1252 like the real file.
  let customers = csvLine([
    'CustomerKey',
    'Gender',
    'Name',
    'City',
    'State Code',
    'State',
    'Zip Code',
    'Country',
    'Continent',
    'Birthday',
  ]);
  const customerKeys: number[] = [];
  const customerRows: string[] = [];
  for (let i = 0; i < nCustomers; i++) {
    const key = 301 + i * 97;
    customerKeys.push(key);
    const [city, code, state, zip, country, continent] = rnd.pick(PLACES);
    const birthday = daysFromCivil(rnd.int(1935, 2002), rnd.int(1, 12), rnd.int(1, 28));
    customerRows.push(
      csvLine([
        key,
        rnd.pick(['Male', 'Female']),
        `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`,
        city,
        code,
        state,
        zip,
        country,
        continent,
        dirtyDate(birthday),
      ]),
    );
  }
  const dupCustomers = Math.max(1, Math.floor(nCustomers / 400));
  for (let k = 0; k < dupCustomers; k++)
    customerRows.splice(
      rnd.int(1, customerRows.length),
      0,
      customerRows[rnd.int(0, nCustomers - 1)],
    );
  customers += customerRows.join('');
  await writeFile(join(dir, 'Customers.csv'), toWindows1252(customers));

  // Products with currency-text prices.
  let products = csvLine([
    'ProductKey',
    'Product Name',
    'Brand',
    'Color',
    'Unit Cost USD',
    'Unit Price USD',
    'SubcategoryKey',
    'Subcategory',
    'CategoryKey',
    'Category',
  ]);
  const nProducts = 300;
  for (let p = 1; p <= nProducts; p++) {
    const [subKey, sub, catKey, cat] = rnd.pick(CATEGORIES);
    const brand = rnd.pick(BRANDS);
    const color = rnd.pick(COLORS);
    const cost = Math.round(rnd.next() * (p % 10 === 0 ? 1500 : 300) * 100) / 100 + 0.48;
    const price = Math.round(cost * (1.5 + rnd.next()) * 100) / 100;
    products += csvLine([
      p,
      `${brand} ${sub} M${p} ${color}`,
      brand,
      color,
      dirtyPrice(cost),
      dirtyPrice(price),
      subKey,
      sub,
      catKey,
      cat,
    ]);
  }
  await writeFile(join(dir, 'Products.csv'), products);

  // Stores: one blank Square Meters.
  let stores = csvLine(['StoreKey', 'Country', 'State', 'Square Meters', 'Open Date']);
  const nStores = 20;
  for (let s = 0; s < nStores; s++) {
    const [, , state, , country] = PLACES[s % PLACES.length];
    const sqm = s === 7 ? '' : String(rnd.int(245, 2105));
    stores += csvLine([
      s,
      s === 0 ? 'Online' : country,
      s === 0 ? 'Online' : state,
      sqm,
      dirtyDate(daysFromCivil(rnd.int(2005, 2019), rnd.int(1, 12), rnd.int(1, 28))),
    ]);
  }
  await writeFile(join(dir, 'Stores.csv'), stores);

  // Exchange rates: one row per day and currency.
  const start = daysFromCivil(2016, 1, 1);
  const days = 400;
  let rates = csvLine(['Date', 'Currency', 'Exchange']);
  for (let d = 0; d < days; d++) {
    for (const c of CURRENCIES) {
      const base = { USD: 1, CAD: 1.3, AUD: 1.4, EUR: 0.9, GBP: 0.78 }[c];
      rates += csvLine([
        dirtyDate(start + d),
        c,
        c === 'USD' ? 1 : Math.round(base * (0.95 + rnd.next() * 0.1) * 10000) / 10000,
      ]);
    }
  }
  await writeFile(join(dir, 'Exchange_Rates.csv'), rates);

  // Sales: several line items per order, mostly blank delivery dates, a few duplicated lines.
  const saleRows: string[] = [];
  let order = 366000;
  for (let o = 0; o < nOrders; o++) {
    order += rnd.int(1, 3);
    const orderDay = start + Math.floor((o / nOrders) * (days - 10));
    const customer = rnd.pick(customerKeys);
    const store = rnd.int(0, nStores - 1);
    const currency = rnd.pick(CURRENCIES);
    const delivered = store === 0 && rnd.chance(0.8);
    const lines = rnd.int(1, 4);
    for (let line = 1; line <= lines; line++) {
      const delivery = delivered ? dirtyDate(orderDay + rnd.int(2, 9)) : '';
      saleRows.push(
        csvLine([
          order,
          line,
          dirtyDate(orderDay),
          delivery,
          customer,
          store,
          rnd.int(1, nProducts),
          rnd.int(1, 9),
          currency,
        ]),
      );
    }
  }
  const nSales = saleRows.length;
  const dupSales = Math.max(1, Math.floor(nSales / 500));
  for (let k = 0; k < dupSales; k++) {
    const at = rnd.int(1, saleRows.length - 1);
    saleRows.splice(at + 1, 0, saleRows[at]);
  }
  await writeFile(join(dir, 'Sales.csv'), csvLine(SALES_HEADER) + saleRows.join(''));

  return {
    customers: nCustomers + dupCustomers,
    products: nProducts,
    stores: nStores,
    exchangeRates: days * CURRENCIES.length,
    sales: nSales + dupSales,
    duplicates: { customers: dupCustomers, sales: dupSales },
  };
}
