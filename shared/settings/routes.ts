import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { accountSettingsBody, companySettingsBody } from './schema.js';
import { companySettingsSchema, settingsSchema } from './responses.js';

export const settingsResources = {
  settings: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const settingsRoutes = {
  'GET /v1/settings': {
    resource: 'settings',
    access: 'staff',
    summary: "The account's settings",
    operationId: 'getSettings',
    responses: { 200: settingsSchema },
  },
  'PATCH /v1/settings': {
    resource: 'settings',
    access: 'admin',
    summary: 'Change account-wide settings',
    body: accountSettingsBody,
    operationId: 'updateSettings',
    responses: { 200: settingsSchema },
  },
  'GET /v1/companies/{companyId}/settings': {
    resource: 'settings',
    access: 'staff',
    summary: "A company's overrides and effective settings (the account's with the overrides on top)",
    operationId: 'getCompanySettings',
    responses: { 200: companySettingsSchema },
  },
  'PATCH /v1/companies/{companyId}/settings': {
    resource: 'settings',
    access: 'admin',
    summary: 'Override settings for a company; null removes an override',
    body: companySettingsBody,
    operationId: 'updateCompanySettings',
    responses: { 200: companySettingsSchema },
  },
} as const satisfies Record<string, RouteDefinition>;
