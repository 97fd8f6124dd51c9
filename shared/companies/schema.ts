import * as z from 'zod';
import { multiLineText, oneLineText, pageQuery } from '../http/schemas.js';

export const companyName = oneLineText.min(1).max(200);

export const createCompanyBody = z.strictObject({
  name: companyName,
  description: multiLineText.max(2000).default(''),
});

export const updateCompanyBody = z
  .strictObject({ name: companyName, description: multiLineText.max(2000) })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export const listCompaniesQuery = pageQuery;

/**
 * A list of company ids on users and devices; emptiness is a domain rule (409), not a format error.
 * Each company joined is two items of the member's one transaction (at most 100 items): 40 leaves room.
 */
export const companyIds = z.array(z.string().min(1).max(64)).max(40);

export type CreateCompanyInput = z.infer<typeof createCompanyBody>;
export type UpdateCompanyInput = z.infer<typeof updateCompanyBody>;
