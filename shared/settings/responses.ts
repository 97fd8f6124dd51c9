import * as z from 'zod';
import { named } from '../http/responses.js';
import { languages } from './schema.js';

const settingsShape = {
  sessionRecording: z.boolean(),
  language: z.enum(languages),
  timezone: z.string().describe('IANA time zone name'),
  queueAlertAfterMinutes: z.int().min(1).max(1440),
  portalLiveConnect: z.boolean(),
  ticketAutoCloseDays: z.int().min(0).max(365),
};

export const settingsSchema = named('Settings', z.looseObject(settingsShape), {
  examples: [
    { sessionRecording: false, language: 'de', timezone: 'Europe/Berlin', queueAlertAfterMinutes: 15, portalLiveConnect: true, ticketAutoCloseDays: 7 },
  ],
});

export const companySettingsSchema = named(
  'CompanySettings',
  z.looseObject({
    overrides: z.looseObject(settingsShape).partial().describe("The company's own values"),
    effective: settingsSchema,
  }),
);
