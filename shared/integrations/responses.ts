import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const integrationKeySchema = named('IntegrationKey', z.looseObject({ id: z.string(), name: z.string(), createdAt: instant }));

export const integrationKeyPageSchema = pageOf('IntegrationKey', integrationKeySchema);

export const newIntegrationKeySchema = named(
  'NewIntegrationKey',
  integrationKeySchema.extend({ key: z.string().describe('`dak.<accountId>.<secret>`: shown only now') }),
);
