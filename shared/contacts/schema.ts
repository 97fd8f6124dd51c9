import * as z from 'zod';
import { emailAddress, oneLineText, pageQuery } from '../http/schemas.js';
import { normalisePhoneNumber } from './phone-numbers.js';

export const methodTypes = ['email', 'sms', 'phone'] as const;
export const ruleUses = ['alert', 'report'] as const;
export const urgencies = ['low', 'high', 'critical'] as const;

export type MethodType = (typeof methodTypes)[number];
export type RuleUse = (typeof ruleUses)[number];
export type Urgency = (typeof urgencies)[number];

const contactName = oneLineText.min(1).max(200);

/** At most this many companies in a contact's list: joining each is two items of one transaction. */
export const maxContactCompanies = 40;

/** "all" companies of the account (also those created later), or a non-empty list. */
export const contactCompanies = z.union([
  z.literal('all'),
  z.array(z.string().min(1).max(64)).min(1, 'Choose "all" or at least one company').max(maxContactCompanies),
]);

export const createContactBody = z.strictObject({ name: contactName, companies: contactCompanies });

export const updateContactBody = z
  .strictObject({ name: contactName, companies: contactCompanies })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

const phoneNumber = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const number = normalisePhoneNumber(value);
    if (number) return number;
    ctx.addIssue({ code: 'custom', message: 'Must be an E.164 number: + and 8 to 15 digits' });
    return z.NEVER;
  });

const label = oneLineText.max(100).nullable().default(null);

/** A method's type decides what its address must be. */
export const methodFields = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('email'), address: emailAddress, label }),
  z.strictObject({ type: z.enum(['sms', 'phone']), address: phoneNumber, label }),
]);

export const createMethodBody = methodFields;

/** Checked against the method's type once merged with the stored method (see updateMethod). */
export const updateMethodBody = z
  .strictObject({ type: z.enum(methodTypes), address: z.string().max(320), label: oneLineText.max(100).nullable() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export const createRuleBody = z
  .strictObject({
    methodId: z.string().min(1).max(64),
    use: z.enum(ruleUses),
    urgencies: z
      .array(z.enum(urgencies))
      .max(urgencies.length * 2)
      .optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.use === 'alert' && !rule.urgencies?.length) {
      ctx.addIssue({ code: 'custom', path: ['urgencies'], message: 'An alert rule needs at least one urgency' });
    }
    if (rule.use === 'report' && rule.urgencies?.length) {
      ctx.addIssue({ code: 'custom', path: ['urgencies'], message: 'Reports have no urgency' });
    }
  });

export const listContactsQuery = pageQuery;

export type CreateContactInput = z.infer<typeof createContactBody>;
export type UpdateContactInput = z.infer<typeof updateContactBody>;
export type MethodInput = z.output<typeof methodFields>;
export type UpdateMethodInput = z.infer<typeof updateMethodBody>;
export type CreateRuleInput = z.infer<typeof createRuleBody>;
