import { escapeHtml } from '../email/html.js';

/**
 * Figures and wording of a company's scheduled report. Percentiles use the nearest-rank method:
 * every figure reported is a duration some ticket really waited, never an interpolation.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`Percentile ${p} is outside 0..100`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function durationSummary(durationsMs: readonly number[]): { median: number | undefined; p90: number | undefined } {
  return { median: percentile(durationsMs, 50), p90: percentile(durationsMs, 90) };
}

/** A duration as people say it: `45 s`, `4 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return joinUnits(Math.floor(minutes / 60), 'h', minutes % 60, 'min');
  const hours = Math.round(ms / 3_600_000);
  return joinUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

export interface CompanyReport {
  companyName: string;
  frequency: 'daily' | 'weekly';
  /** Local dates, both inclusive, and the zone they are in. */
  period: { firstDay: string; lastDay: string; timezone: string };
  ticketsOpened: number;
  ticketsSolved: number;
  ticketsWaiting: number;
  /** How long each queue item taken in the period waited before a technician claimed it. */
  queueTimesMs: readonly number[];
  alertsSent: number;
}

export interface RenderedReport {
  subject: string;
  text: string;
  html: string;
}

export function renderReport(report: CompanyReport): RenderedReport {
  const { median, p90 } = durationSummary(report.queueTimesMs);
  const period = report.period.firstDay === report.period.lastDay ? report.period.firstDay : `${report.period.firstDay} to ${report.period.lastDay}`;
  const title = `${report.frequency === 'daily' ? 'Daily' : 'Weekly'} report for ${report.companyName}`;
  const rows: [string, string][] = [
    ['Tickets opened', String(report.ticketsOpened)],
    ['Tickets solved', String(report.ticketsSolved)],
    ['Still waiting', String(report.ticketsWaiting)],
    ['Time in queue (median)', median === undefined ? 'no queue items' : formatDuration(median)],
    ['Time in queue (90th percentile)', p90 === undefined ? 'no queue items' : formatDuration(p90)],
    ['Alerts sent', String(report.alertsSent)],
  ];
  const periodLine = `${period} (${report.period.timezone})`;
  const text = [title, periodLine, '', ...rows.map(([label, value]) => `${label}: ${value}`), ''].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(periodLine)}</p>`,
    '<table>',
    ...rows.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`),
    '</table>',
    '</body></html>',
  ].join('\n');
  return { subject: `${title}: ${period}`, text, html };
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}
