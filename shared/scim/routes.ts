import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { oneLineText, pageQuery } from '../http/schemas.js';
import { newScimTokenSchema, scimTokenPageSchema } from './responses.js';

export const scimResources = {
  'scim-tokens': { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

const createScimTokenBody = z.strictObject({ companyId: z.string().min(1).max(64), description: oneLineText.max(200).default('') });

/**
 * The tokens a directory provisions a company with. `/scim/v2` itself is not in this table: it
 * speaks SCIM (its own media type, errors and paths), served by the `scim` function (shared/workers.ts).
 */
export const scimRoutes = {
  'GET /v1/scim-tokens': {
    resource: 'scim-tokens',
    access: 'admin',
    summary: 'Live SCIM tokens (without their secrets)',
    query: pageQuery,
    operationId: 'listScimTokens',
    responses: { 200: scimTokenPageSchema },
  },
  'POST /v1/scim-tokens': {
    resource: 'scim-tokens',
    access: 'admin',
    summary: "Create a SCIM token for a company's directory sync (shown once)",
    body: createScimTokenBody,
    operationId: 'createScimToken',
    responses: { 201: newScimTokenSchema },
    errors: [404],
  },
  'DELETE /v1/scim-tokens/{tokenId}': {
    resource: 'scim-tokens',
    access: 'admin',
    summary: 'Revoke a SCIM token (at once)',
    operationId: 'revokeScimToken',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;

/** The API Gateway routes of the SCIM function: every method on every path under `/scim/v2`. */
export const scimApiPaths = ['/scim/v2', '/scim/v2/{proxy+}'] as const;
export const scimPathPrefix = '/scim/v2';
