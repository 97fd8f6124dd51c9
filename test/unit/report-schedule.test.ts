import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstRunAt, nextRunAt, periodKey, reportWindow, type ReportCadence } from '../../shared/reports/schedule.js';

const daily = (hour: number, timezone: string): ReportCadence => ({ frequency: 'daily', hour, timezone });
const weekly = (weekday: number, hour: number, timezone: string): ReportCadence => ({ frequency: 'weekly', weekday, hour, timezone });

describe('A report subscription is due once its local hour has come in the current period', () => {
  it.each([
    ['a daily 09:00 Berlin report, at 08:59 local', daily(9, 'Europe/Berlin'), '2026-11-24T07:59:00Z', undefined],
    ['a daily 09:00 Berlin report, at 09:00 local', daily(9, 'Europe/Berlin'), '2026-11-24T08:00:00Z', '2026-11-24'],
    ['a daily 09:00 Berlin report, at 23:59 local', daily(9, 'Europe/Berlin'), '2026-11-24T22:59:00Z', '2026-11-24'],
    ['a daily 09:00 Berlin report, just after local midnight', daily(9, 'Europe/Berlin'), '2026-11-24T23:00:00Z', undefined],
    ['a daily 09:00 Kolkata report, at 08:59 local (UTC+5:30)', daily(9, 'Asia/Kolkata'), '2026-11-24T03:29:00Z', undefined],
    ['a daily 09:00 Kolkata report, at 09:00 local', daily(9, 'Asia/Kolkata'), '2026-11-24T03:30:00Z', '2026-11-24'],
    ['a daily 20:00 New York report, on the previous UTC day', daily(20, 'America/New_York'), '2026-11-25T01:00:00Z', '2026-11-24'],
    ['a Monday 09:00 New York report, on Monday at 08:59', weekly(1, 9, 'America/New_York'), '2026-11-23T13:59:00Z', undefined],
    ['a Monday 09:00 New York report, on Monday at 09:00', weekly(1, 9, 'America/New_York'), '2026-11-23T14:00:00Z', '2026-11-23'],
    ['a Monday 09:00 New York report, on the Sunday after', weekly(1, 9, 'America/New_York'), '2026-11-29T12:00:00Z', '2026-11-23'],
    ['a Sunday 00:00 Tokyo report, on Sunday morning', weekly(0, 0, 'Asia/Tokyo'), '2026-11-28T15:00:00Z', '2026-11-29'],
  ])('%s', (_, sub, now, expected) => {
    expect(periodKey(sub, new Date(now))).toBe(expected);
  });
});

describe('The next run is the first instant a new period falls due, across clock changes', () => {
  it.each([
    ['the next local 09:00 in Berlin', daily(9, 'Europe/Berlin'), '2026-11-24T12:00:00Z', '2026-11-25T08:00:00.000Z'],
    ['strictly later when asked at the due instant itself', daily(9, 'Asia/Kolkata'), '2026-11-24T03:30:00Z', '2026-11-25T03:30:00.000Z'],
    ['09:00 in Berlin on the day summer time starts (UTC+2)', daily(9, 'Europe/Berlin'), '2026-03-28T08:00:00Z', '2026-03-29T07:00:00.000Z'],
    ['03:00 in Berlin when 02:00 is skipped in spring', daily(2, 'Europe/Berlin'), '2026-03-28T12:00:00Z', '2026-03-29T01:00:00.000Z'],
    ['the first of the two 02:00s in Berlin in autumn', daily(2, 'Europe/Berlin'), '2026-10-24T12:00:00Z', '2026-10-25T00:00:00.000Z'],
    ['03:00 in New York when 02:00 is skipped in spring', daily(2, 'America/New_York'), '2026-03-07T12:00:00Z', '2026-03-08T07:00:00.000Z'],
    ['the first of the two 01:00s in New York in autumn', daily(1, 'America/New_York'), '2026-10-31T12:00:00Z', '2026-11-01T05:00:00.000Z'],
    ['01:00 in Santiago when local midnight is skipped', daily(0, 'America/Santiago'), '2026-09-05T12:00:00Z', '2026-09-06T04:00:00.000Z'],
    ['next Monday when this Monday has passed', weekly(1, 9, 'Europe/Berlin'), '2026-11-24T12:00:00Z', '2026-11-30T08:00:00.000Z'],
    ['a week later when asked at the weekly due instant', weekly(5, 17, 'America/New_York'), '2026-11-27T22:00:00Z', '2026-12-04T22:00:00.000Z'],
    ['the day after a day Samoa dropped from its calendar', daily(5, 'Pacific/Apia'), '2011-12-29T15:00:00Z', '2011-12-30T15:00:00.000Z'],
  ])('%s', (_, sub, after, expected) => {
    expect(nextRunAt(sub, new Date(after))).toBe(expected);
  });
});

describe('A report covers the local day, or the seven local days, before its due date', () => {
  it.each([
    [
      'a daily Berlin report covers the previous local day',
      daily(9, 'Europe/Berlin'),
      '2026-11-24',
      { start: '2026-11-22T23:00:00.000Z', end: '2026-11-23T23:00:00.000Z', firstDay: '2026-11-23', lastDay: '2026-11-23' },
    ],
    [
      'a daily Berlin report after summer time began covers a 23-hour day',
      daily(9, 'Europe/Berlin'),
      '2026-03-30',
      { start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', firstDay: '2026-03-29', lastDay: '2026-03-29' },
    ],
    [
      'a daily Kolkata report starts at a half-hour UTC instant',
      daily(9, 'Asia/Kolkata'),
      '2026-11-24',
      { start: '2026-11-22T18:30:00.000Z', end: '2026-11-23T18:30:00.000Z', firstDay: '2026-11-23', lastDay: '2026-11-23' },
    ],
    [
      'a weekly New York report spanning the end of summer time covers 169 hours',
      weekly(1, 9, 'America/New_York'),
      '2026-11-02',
      { start: '2026-10-26T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z', firstDay: '2026-10-26', lastDay: '2026-11-01' },
    ],
  ])('%s', (_, sub, key, expected) => {
    expect(reportWindow(sub, key)).toEqual(expected);
  });

  it('refuses a period key that is not a calendar date', () => {
    expect(() => reportWindow(daily(9, 'UTC'), '2026-02-30')).toThrow(/not a period key/);
  });
});

describe('Weekly report subscriptions need a weekday', () => {
  it('refuses to schedule a weekly report without a weekday', () => {
    expect(() => periodKey({ frequency: 'weekly', hour: 9, timezone: 'UTC' }, new Date())).toThrow(/weekday/);
  });
});

describe('Each period falls due exactly once, whatever the zone and the moment', () => {
  const zones = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/Santiago',
    'Australia/Sydney',
    'Pacific/Apia',
  ];
  const subscriptions = fc.record({
    frequency: fc.constantFrom('daily' as const, 'weekly' as const),
    weekday: fc.integer({ min: 0, max: 6 }),
    hour: fc.integer({ min: 0, max: 23 }),
    timezone: fc.constantFrom(...zones),
  });
  const instants = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true });

  it('puts the next run after the given instant, where a new period is due', () => {
    fc.assert(
      fc.property(subscriptions, instants, (sub, after) => {
        const next = new Date(nextRunAt(sub, after));
        expect(next.getTime()).toBeGreaterThan(after.getTime());
        const due = periodKey(sub, next);
        expect(due).toBeDefined();
        expect(due).not.toBe(periodKey(sub, after));
      }),
      { numRuns: 300 },
    );
  });

  it('lets no new period fall due before the next run', () => {
    fc.assert(
      fc.property(subscriptions, instants, (sub, after) => {
        const justBefore = new Date(new Date(nextRunAt(sub, after)).getTime() - 1000);
        expect([periodKey(sub, after), undefined]).toContain(periodKey(sub, justBefore));
      }),
      { numRuns: 300 },
    );
  });
});

describe('A new subscription is due at once when its hour has already come today', () => {
  const daily: ReportCadence = { frequency: 'daily', hour: 9, timezone: 'Europe/Berlin' };

  it('is due at once when created at 09:30 local time (no report sent that day yet)', () => {
    const created = new Date('2026-12-02T08:30:00Z'); // 09:30 in Berlin
    expect(firstRunAt(daily, created)).toBe(created.toISOString());
    expect(periodKey(daily, created)).toBe('2026-12-02');
  });

  it('waits for the hour when created before it', () => {
    expect(firstRunAt(daily, new Date('2026-12-02T07:30:00Z'))).toBe('2026-12-02T08:00:00.000Z');
  });

  it('waits for its weekday when a weekly one is created on another day', () => {
    const weekly: ReportCadence = { frequency: 'weekly', weekday: 1, hour: 9, timezone: 'UTC' };
    // 2026-12-02 is a Wednesday: the next Monday at 09:00.
    expect(firstRunAt(weekly, new Date('2026-12-02T10:00:00Z'))).toBe('2026-12-07T09:00:00.000Z');
    expect(firstRunAt(weekly, new Date('2026-12-07T10:00:00Z'))).toBe('2026-12-07T10:00:00.000Z');
  });
});
