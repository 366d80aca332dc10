/**
 * How a split profile's columns are shared out between its two threads (profile-split.ts). A
 * column's cost varies a hundredfold (a code of five values against prices that are new on
 * every other row), so alternate columns left one thread idle for a second while the other
 * worked; the costs are measured on the first batches instead (both threads take those whole)
 * and shared out largest first, each to the thread with less to do so far. The main thread
 * starts with the reading of the file, which only it does.
 */

/**
 * What reading costs the main thread per byte, in ns, as the sharing counts it. Scanning,
 * copying and handing batches over came to 6-7 ns a byte in CPU profiles of the 1M-row bench
 * file, and to about 4.5 once the scanner stepped between the stops csv-stops.ts finds. It is
 * counted higher: the columns that spill (a key of a new value on most rows) cost the main
 * thread more than their early batches say, and at 6 the helper stood idle for 0.6-0.8 s of a
 * 1.7 s profile while the main thread was never idle. At 10, `import` of 1M rows took 1.62 s
 * against 1.73 and `import --run` 2.80 against 2.87 (medians of 7 and 8 alternated runs); 14
 * and 20 were no faster. It is not timed on the early batches like the columns: the reader
 * scans a block of several batches at once, its code is not yet optimised on the first blocks,
 * and their reads wait on the disk.
 */
export const READ_NS_PER_BYTE = 10;

/**
 * What a column costs per batch over the whole file, against its least early batch: its
 * dictionary outgrows the caches, its values' garbage is collected, it spills. Timed per
 * column over whole runs of the 1M-row bench file: 1.8 to 2.7 times, 2.2 in the mean, costly
 * and cheap columns alike; the reading does not grow so. Taken as 1, the main thread got too
 * few columns and waited for the helper for a quarter of the read (0.4-0.5 of 1.6 s).
 */
export const LATER_COST = 2.2;

/**
 * Which columns the helper takes, from each column's milliseconds per batch (measured), the
 * bytes of a batch (the main thread's reading) and the helper's own extra milliseconds per
 * batch (`late`: it started later, and takes the first batches whole again).
 */
export function helperColumns(spent: ArrayLike<number>, batchBytes: number, late = 0): boolean[] {
  const order = Array.from(spent, (_, c) => c).sort((a, b) => spent[b] - spent[a] || a - b);
  const helps = new Array<boolean>(spent.length).fill(false);
  let main = (batchBytes * READ_NS_PER_BYTE) / 1e6;
  let helper = late;
  for (const c of order)
    if (helper <= main) {
      helps[c] = true;
      helper += spent[c] * LATER_COST;
    } else main += spent[c] * LATER_COST;
  return helps;
}
