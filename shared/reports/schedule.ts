/**
 * When a report subscription is due, in the subscriber's time zone, with no date library: the
 * zone's wall clock comes from `Intl.DateTimeFormat`.
 *
 * A period is named by the local date on which its report falls due (`2026-11-24`): every day for a
 * daily subscription, every `weekday` for a weekly one. The report of the period named D becomes due
 * at the first instant the local clock reads D, `hour`:00 or later, and covers the local day (daily)
 * or the seven local days (weekly) that end at D's midnight. A day whose `hour` the clock skips
 * entirely (a whole day dropped from the calendar) has no report.
 */
export interface ReportCadence {
  frequency: 'daily' | 'weekly';
  /** 0 = Sunday … 6 = Saturday; weekly only. */
  weekday?: number | undefined;
  hour: number;
  /** An IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
}

export interface ReportWindow {
  /** UTC instants, ISO 8601; `start` inclusive, `end` exclusive. */
  start: string;
  end: string;
  /** The local dates covered, both inclusive. */
  firstDay: string;
  lastDay: string;
}

const second = 1000;
const hourMs = 3600 * second;
const dayMs = 24 * hourMs;

/** The period whose report is due at `now`, or undefined while the current period's `hour` is still ahead. */
export function periodKey(sub: ReportCadence, now: Date): string | undefined {
  const day = latestScheduledDay(sub, Math.floor(wallClock(now.getTime(), sub.timezone) / dayMs));
  const due = dueAt(sub, day);
  return due !== undefined && due <= now.getTime() ? dayKey(day) : undefined;
}

/** The first instant after `after` at which a new period falls due (ISO 8601, UTC). */
export function nextRunAt(sub: ReportCadence, after: Date): string {
  const today = Math.floor(wallClock(after.getTime(), sub.timezone) / dayMs);
  // Two weeks ahead is always enough, even when a scheduled day is dropped from the calendar.
  for (let day = today - 1; day <= today + 14; day++) {
    if (!isScheduled(sub, day)) continue;
    const due = dueAt(sub, day);
    if (due !== undefined && due > after.getTime()) return new Date(due).toISOString();
  }
  throw new Error(`No report falls due in the two weeks after ${after.toISOString()}`);
}

/**
 * When a new subscription first falls due: at once when today (in its time zone) is one of its days
 * and its hour has come, since no report was sent for today yet (api.md: a daily subscription for
 * 9:00 created at 9:30 is due at once); otherwise at its next due time.
 */
export function firstRunAt(sub: ReportCadence, created: Date): string {
  const today = Math.floor(wallClock(created.getTime(), sub.timezone) / dayMs);
  const due = isScheduled(sub, today) ? dueAt(sub, today) : undefined;
  return due !== undefined && due <= created.getTime() ? created.toISOString() : nextRunAt(sub, created);
}

/** The UTC span a period's report covers: the local day, or seven local days, before its due date. */
export function reportWindow(sub: ReportCadence, key: string): ReportWindow {
  const day = parseDayKey(key);
  const first = day - (sub.frequency === 'daily' ? 1 : 7);
  return {
    start: new Date(firstInstantAtOrAfter(first * dayMs, sub.timezone)).toISOString(),
    end: new Date(firstInstantAtOrAfter(day * dayMs, sub.timezone)).toISOString(),
    firstDay: dayKey(first),
    lastDay: dayKey(day - 1),
  };
}

// Local dates are counted as days since 1970-01-01 (a Thursday) on the zone's wall clock.
const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

function scheduledWeekday(sub: ReportCadence): number | undefined {
  if (sub.frequency === 'daily') return undefined;
  if (sub.weekday === undefined) throw new Error('A weekly report subscription needs a weekday');
  return sub.weekday;
}

function isScheduled(sub: ReportCadence, day: number): boolean {
  const weekday = scheduledWeekday(sub);
  return weekday === undefined || weekdayOf(day) === weekday;
}

function latestScheduledDay(sub: ReportCadence, day: number): number {
  const weekday = scheduledWeekday(sub);
  return weekday === undefined ? day : day - ((weekdayOf(day) - weekday + 7) % 7);
}

/** When the report of `day` falls due, or undefined if that day's clock never shows `hour`. */
function dueAt(sub: ReportCadence, day: number): number | undefined {
  const due = firstInstantAtOrAfter(day * dayMs + sub.hour * hourMs, sub.timezone);
  return Math.floor(wallClock(due, sub.timezone) / dayMs) === day ? due : undefined;
}

/**
 * The first instant at which the zone's wall clock reads `wall` (a local date-time written as if it
 * were UTC) or later. The offsets a day either side cover any single transition: in a repeated hour
 * the earlier reading wins; in a skipped hour the clock reaches `wall` at the jump itself.
 */
function firstInstantAtOrAfter(wall: number, timeZone: string): number {
  const offsetAt = (instant: number) => wallClock(instant, timeZone) - instant;
  const candidates = [wall - offsetAt(wall - dayMs), wall - offsetAt(wall + dayMs)];
  const exact = candidates.filter((instant) => wallClock(instant, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped: the clock reads less than `wall` at `lo` and more at `hi`; find the jump to the second.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  while (hi - lo > second) {
    const mid = lo + Math.floor((hi - lo) / 2 / second) * second;
    if (wallClock(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building a formatter costs far more than using one; each zone gets one for the process's life.
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's wall clock at `instant` (to the second), written as the UTC instant with the same fields. */
function wallClock(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) fields[part.type] = Number(part.value);
  return Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
}

function dayKey(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

function parseDayKey(key: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(key) ? Date.parse(`${key}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || dayKey(ms / dayMs) !== key) throw new Error(`${JSON.stringify(key)} is not a period key`);
  return ms / dayMs;
}
