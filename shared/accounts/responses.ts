import * as z from 'zod';
import { instant, named } from '../http/responses.js';
import { userSchema } from '../users/responses.js';
import { endUserSchema } from '../end-users/responses.js';

const perSeatModule = z.looseObject({ remote_support: z.int(), service_desk: z.int() });

export const accountSchema = named(
  'Account',
  z.looseObject({ id: z.string(), name: z.string(), slug: z.string(), seatLimits: perSeatModule, seatsUsed: perSeatModule, createdAt: instant }),
  {
    examples: [
      {
        id: 'acc_1m3n5p7r9t1v3x5z7b9d1f3h5j7k9m1n',
        name: 'Acme IT Services',
        slug: 'acme',
        seatLimits: { remote_support: 5, service_desk: 5 },
        seatsUsed: { remote_support: 1, service_desk: 2 },
        createdAt: '2026-03-01T09:30:00.000Z',
      },
    ],
  },
);

export const signUpSchema = named('SignUp', z.looseObject({ account: accountSchema, user: userSchema, token: z.string(), expiresAt: instant }));

/** Whoever is signed in: a staff user or an end user (`GET /v1/me`). */
export const meSchema = named('Me', z.union([userSchema, endUserSchema]));

export const loginSchema = named('Login', z.looseObject({ token: z.string(), expiresAt: instant, user: meSchema }));
