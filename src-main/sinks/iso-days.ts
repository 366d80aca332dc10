/**
 * ISO text of day numbers, kept per day: a load writes the same few thousand days over and over,
 * and formatting each one anew was a measurable part of a database load's time.
 */
import { formatIsoDate } from '../engine/dates';

/** Days kept before the cache starts again (a column of ever new days stays bounded). */
const KEEP = 1 << 16;

export class IsoDays {
  private readonly known = new Map<number, string>();

  /** isoDays.text(0) === '1970-01-01' */
  text(day: number): string {
    let s = this.known.get(day);
    if (s === undefined) {
      if (this.known.size >= KEEP) this.known.clear();
      s = formatIsoDate(day);
      this.known.set(day, s);
    }
    return s;
  }
}
