import * as z from 'zod';
import { pageQuery } from '../http/schemas.js';

export const auditQuery = pageQuery.extend({
  resource: z.string().max(50).optional(),
  actorId: z.string().max(64).optional(),
});
