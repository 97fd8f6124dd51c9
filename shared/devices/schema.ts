import * as z from 'zod';
import { oneLineText, pageQuery } from '../http/schemas.js';
import { companyIds } from '../companies/schema.js';

export const deviceKinds = ['workstation', 'server', 'mobile', 'other'] as const;

const fields = {
  name: oneLineText.min(1).max(200),
  companyIds,
  group: oneLineText.max(100).default(''),
  kind: z.enum(deviceKinds),
  os: oneLineText.max(100).default(''),
};

export const createDeviceBody = z.strictObject(fields);

export const updateDeviceBody = z
  .strictObject({ ...fields, group: oneLineText.max(100), os: oneLineText.max(100) })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Name at least one field to change');

export const listDevicesQuery = pageQuery;
export const companyDevicesQuery = pageQuery.extend({ group: z.string().max(100).optional() });

export type CreateDeviceInput = z.infer<typeof createDeviceBody>;
export type UpdateDeviceInput = z.infer<typeof updateDeviceBody>;
