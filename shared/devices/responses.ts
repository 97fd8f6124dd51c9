import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const deviceSchema = named(
  'Device',
  z.looseObject({
    id: z.string(),
    name: z.string(),
    companyIds: z.array(z.string()),
    group: z.string(),
    kind: z.enum(['workstation', 'server', 'mobile', 'other']),
    os: z.string(),
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const devicePageSchema = pageOf('Device', deviceSchema);
