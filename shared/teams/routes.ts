import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { botActivityBody, putTeamsLinkBody } from './schema.js';
import { teamsActivityReceiptSchema, teamsLinkSchema } from './responses.js';

export const teamsResources = {
  teams: { table: 'readWrite', tokens: true },
  /** The Bot Framework messaging endpoint: opens tickets (alerts, acknowledgements) and answers in Teams. */
  'teams-messages': { table: 'readWrite', tokens: false, sends: ['email', 'sms', 'teams'] },
} as const satisfies Record<string, ResourceDefinition>;

export const teamsRoutes = {
  'GET /v1/companies/{companyId}/teams': {
    resource: 'teams',
    access: 'staff',
    summary: 'The Microsoft 365 tenant linked to a company (404 when none is)',
    operationId: 'getCompanyTeamsLink',
    responses: { 200: teamsLinkSchema },
  },
  'PUT /v1/companies/{companyId}/teams': {
    resource: 'teams',
    access: 'admin',
    summary: 'Link a company to its Microsoft 365 tenant (a tenant belongs to one company: 409)',
    body: putTeamsLinkBody,
    operationId: 'putCompanyTeamsLink',
    responses: { 200: teamsLinkSchema },
  },
  'DELETE /v1/companies/{companyId}/teams': {
    resource: 'teams',
    access: 'admin',
    summary: "Unlink a company's Microsoft 365 tenant",
    operationId: 'deleteCompanyTeamsLink',
    responses: { 204: null },
  },
  'POST /api/messages': {
    resource: 'teams-messages',
    access: 'public',
    botFramework: true,
    summary: 'The Bot Framework messaging endpoint: Teams delivers chat activities here, each with a Bot Framework token',
    body: botActivityBody,
    operationId: 'receiveTeamsActivity',
    responses: { 200: teamsActivityReceiptSchema },
    errors: [401, 403],
  },
} as const satisfies Record<string, RouteDefinition>;
