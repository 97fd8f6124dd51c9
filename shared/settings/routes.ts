import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { accountSettingsBody, companySettingsBody } from './schema.js';

export const settingsResources = {
  settings: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const settingsRoutes = {
  'GET /v1/settings': { resource: 'settings', access: 'staff', summary: "The account's settings" },
  'PATCH /v1/settings': { resource: 'settings', access: 'admin', summary: 'Change account-wide settings', body: accountSettingsBody },
  'GET /v1/companies/{companyId}/settings': {
    resource: 'settings',
    access: 'staff',
    summary: "A company's overrides and effective settings (the account's with the overrides on top)",
  },
  'PATCH /v1/companies/{companyId}/settings': {
    resource: 'settings',
    access: 'admin',
    summary: 'Override settings for a company; null removes an override',
    body: companySettingsBody,
  },
} as const satisfies Record<string, RouteDefinition>;
