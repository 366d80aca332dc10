/** Calendar parts of day numbers (days since 1970-01-01), shared with the date_parts step. */
import { civilFromDays, daysFromCivil } from '../dates';

/** 1..4 */
export function quarterOf(days: number): number {
  return Math.floor((civilFromDays(days)[1] - 1) / 3) + 1;
}

/** ISO weekday: Monday 1 .. Sunday 7 (1970-01-01 was a Thursday). */
export function weekdayOf(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(days: number): number {
  const thursday = days - weekdayOf(days) + 4;
  const [y] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
}
