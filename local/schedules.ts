import { handler as reports } from '../functions/report-schedule.js';
import { handler as queueAlerts } from '../functions/queue-alert-schedule.js';
import type { ScheduleName } from '../shared/workers.js';

/** The scheduled handlers by name, called as EventBridge calls them (the same Lambda handlers). */
export const scheduleHandlers: Record<ScheduleName, () => Promise<unknown>> = {
  reports: () => reports({ time: new Date().toISOString() }),
  'queue-alerts': () => queueAlerts({ time: new Date().toISOString() }),
};
