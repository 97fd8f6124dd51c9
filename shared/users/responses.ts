import * as z from 'zod';
import { instant, named, pageOf } from '../http/responses.js';

export const userSchema = named(
  'User',
  z.looseObject({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(['administrator', 'technician']),
    modules: z.array(z.enum(['remote_support', 'service_desk', 'monitoring', 'reports'])),
    companyIds: z.array(z.string()),
    seats: z.array(z.enum(['remote_support', 'service_desk'])),
    createdAt: instant,
    updatedAt: instant,
  }),
  {
    examples: [
      {
        id: 'usr_3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n3p',
        email: 'ada@acme.example',
        firstName: 'Ada',
        lastName: 'Lovelace',
        role: 'technician',
        modules: ['remote_support', 'service_desk'],
        companyIds: ['cmp_8k2m4n6p8r0t2v4x6z8b0d2f4h6j8k0m'],
        seats: ['service_desk'],
        createdAt: '2026-03-01T09:30:00.000Z',
        updatedAt: '2026-03-01T09:30:00.000Z',
      },
    ],
  },
);

export const userPageSchema = pageOf('User', userSchema);

/** A fresh token (after a password change every earlier one ends). */
export const tokenSchema = named('Token', z.looseObject({ token: z.string(), expiresAt: instant }));

export const availabilitySchema = named(
  'Availability',
  z.looseObject({
    status: z.enum(['available', 'away']),
    until: instant.nullable().describe('When `available` lapses without a renewing PUT; null when away'),
  }),
);
