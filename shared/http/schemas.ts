import * as z from 'zod';

/** Building blocks shared by the request schemas of every concept. */
export const emailAddress = z
  .email({ message: 'Must be a valid email address' })
  .max(254)
  .transform((e) => e.trim());

export const personName = z.string().trim().min(1).max(100);

export const password = z.string().min(10, 'Use at least 10 characters').max(256);

export const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'Use 1-63 lower-case letters, digits and inner dashes');

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

export type PageQuery = z.infer<typeof pageQuery>;
