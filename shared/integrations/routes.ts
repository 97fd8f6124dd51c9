import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { createIntegrationKeyBody } from '../alerts/schema.js';
import { integrationKeyPageSchema, newIntegrationKeySchema } from './responses.js';

export const integrationResources = {
  'integration-keys': { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const integrationRoutes = {
  'GET /v1/integration-keys': {
    resource: 'integration-keys',
    access: 'admin',
    summary: 'Monitoring integration keys',
    query: pageQuery,
    operationId: 'listIntegrationKeys',
    responses: { 200: integrationKeyPageSchema },
  },
  'POST /v1/integration-keys': {
    resource: 'integration-keys',
    access: 'admin',
    summary: 'Create a monitoring integration key (shown once)',
    body: createIntegrationKeyBody,
    operationId: 'createIntegrationKey',
    responses: { 201: newIntegrationKeySchema },
  },
  'DELETE /v1/integration-keys/{keyId}': {
    resource: 'integration-keys',
    access: 'admin',
    summary: 'Revoke an integration key',
    operationId: 'revokeIntegrationKey',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
