import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';
import { methodTypes, ruleUses, urgencies } from './schema.js';

export const contactMethodSchema = named(
  'ContactMethod',
  z.looseObject({ id: z.string(), type: z.enum(methodTypes), address: z.string(), label: z.string().nullable() }),
);

export const notificationRuleSchema = named(
  'NotificationRule',
  z.looseObject({
    id: z.string(),
    methodId: z.string(),
    use: z.enum(ruleUses),
    urgencies: z.array(z.enum(urgencies)).describe('Empty for reports'),
  }),
);

export const contactSchema = named(
  'Contact',
  z.looseObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['contact', 'user']),
    userId: z.string().optional().describe("On a user's contact: the user"),
    companies: z.union([z.literal('all'), z.array(z.string())]),
    methods: z.array(contactMethodSchema),
    rules: z.array(notificationRuleSchema),
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const contactPageSchema = pageOf('Contact', contactSchema);
