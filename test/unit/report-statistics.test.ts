import { describe, expect, it } from 'vitest';
import { durationSummary, formatDuration, percentile, renderReport, type CompanyReport } from '../../shared/reports/statistics.js';

const minute = 60_000;

describe('Percentiles are nearest-rank: always a value that was observed', () => {
  it.each([
    [[15, 20, 35, 40, 50], 30, 20],
    [[15, 20, 35, 40, 50], 40, 20],
    [[15, 20, 35, 40, 50], 50, 35],
    [[15, 20, 35, 40, 50], 100, 50],
    [[3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 90, 16],
    [[42], 90, 42],
    [[50, 15, 40, 20, 35], 0, 15],
  ])('percentile(%j, %i) is %i', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('has no percentile for no values', () => {
    expect(percentile([], 50)).toBeUndefined();
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarises durations by their median and 90th percentile', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 30].map((m) => m * minute);
    expect(durationSummary(waits)).toEqual({ median: 5 * minute, p90: 9 * minute });
  });
});

describe('Durations read as people say them', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [59_400, '59 s'],
    [59_600, '1 min'],
    [4 * minute + 10_000, '4 min'],
    [60 * minute, '1 h'],
    [125 * minute, '2 h 5 min'],
    [24 * 60 * minute, '1 d'],
    [(3 * 24 + 4) * 60 * minute, '3 d 4 h'],
  ])('%i ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('A company report tells what happened in the period', () => {
  const report: CompanyReport = {
    companyName: 'Acme IT',
    frequency: 'daily',
    period: { firstDay: '2026-11-23', lastDay: '2026-11-23', timezone: 'Europe/Berlin' },
    ticketsOpened: 12,
    ticketsSolved: 9,
    ticketsWaiting: 3,
    queueTimesMs: [2, 4, 4, 5, 25].map((m) => m * minute),
    alertsSent: 2,
  };

  it('names the company, the kind of report and the day in the subject', () => {
    expect(renderReport(report).subject).toBe('Daily report for Acme IT: 2026-11-23');
  });

  it('names the first and last day of a weekly period', () => {
    const weekly = renderReport({ ...report, frequency: 'weekly', period: { ...report.period, firstDay: '2026-11-16', lastDay: '2026-11-22' } });
    expect(weekly.subject).toBe('Weekly report for Acme IT: 2026-11-16 to 2026-11-22');
  });

  it('lists tickets opened, solved and waiting, queue times and alerts in the text', () => {
    expect(renderReport(report).text).toBe(
      [
        'Daily report for Acme IT',
        '2026-11-23 (Europe/Berlin)',
        '',
        'Tickets opened: 12',
        'Tickets solved: 9',
        'Still waiting: 3',
        'Time in queue (median): 4 min',
        'Time in queue (90th percentile): 25 min',
        'Alerts sent: 2',
        '',
      ].join('\n'),
    );
  });

  it('shows the same figures in the HTML', () => {
    const { html } = renderReport(report);
    expect(html).toContain('<h1>Daily report for Acme IT</h1>');
    expect(html).toContain('<th align="left">Time in queue (90th percentile)</th><td>25 min</td>');
  });

  it('says so when nothing waited in the queue', () => {
    expect(renderReport({ ...report, queueTimesMs: [] }).text).toContain('Time in queue (median): no queue items');
  });

  it('escapes a company name that carries HTML', () => {
    const { html } = renderReport({ ...report, companyName: '<script>alert("x")</script> & Sons' });
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons');
    expect(html).not.toContain('<script>');
  });
});
