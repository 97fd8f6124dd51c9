import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const scimTokenSchema = named('ScimToken', z.looseObject({ id: z.string(), companyId: z.string(), description: z.string(), createdAt: instant }));

export const scimTokenPageSchema = pageOf('ScimToken', scimTokenSchema);

export const newScimTokenSchema = named('NewScimToken', scimTokenSchema.extend({ token: z.string().describe('`dst.<accountId>.<secret>`: shown only now') }));
