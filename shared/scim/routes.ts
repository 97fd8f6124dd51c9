import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { oneLineText, pageQuery } from '../http/schemas.js';
import { newScimTokenSchema, scimTokenPageSchema } from './responses.js';

export const scimResources = {
  'scim-tokens': { table: 'readWrite', tokens: true },
  /** `/scim/v2` itself: directory sync, which provisions strong end users (they get the set-password email). */
  scim: { table: 'readWrite', tokens: false, sends: ['email'] },
} as const satisfies Record<string, ResourceDefinition>;

const createScimTokenBody = z.strictObject({ companyId: z.string().min(1).max(64), description: oneLineText.max(200).default('') });

export const scimPathPrefix = '/scim/v2';

/**
 * `/scim/v2` and every path below it, every method: SCIM answers in its own protocol (media type,
 * errors, bearer tokens of its own), so the `scim` function gets the raw event and the OpenAPI
 * document leaves these out.
 */
const scimProtocolRoutes = {
  'ANY /scim/v2': {
    resource: 'scim',
    access: 'public',
    protocol: 'scim',
    summary: 'SCIM 2.0 service root (authenticated by a SCIM token)',
    operationId: 'scimRoot',
    responses: {},
  },
  'ANY /scim/v2/{proxy+}': {
    resource: 'scim',
    access: 'public',
    protocol: 'scim',
    summary: 'SCIM 2.0: discovery, Users and Groups (authenticated by a SCIM token)',
    operationId: 'scim',
    responses: {},
  },
} as const satisfies Record<string, RouteDefinition>;

export const scimProtocolRouteKeys = Object.keys(scimProtocolRoutes) as (keyof typeof scimProtocolRoutes)[];

/** The tokens a directory provisions a company with, and the SCIM service itself. */
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
  ...scimProtocolRoutes,
} as const satisfies Record<string, RouteDefinition>;
