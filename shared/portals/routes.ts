import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { portalRequestBody } from '../tickets/schema.js';
import { putPortalBody } from './schema.js';
import { portalRequestSchema, portalSchema, publicPortalSchema } from './responses.js';

export const portalResources = {
  portals: { table: 'readWrite', tokens: true, sends: ['email', 'sms'] },
} as const satisfies Record<string, ResourceDefinition>;

const slugParams = z.object({ slug: z.string().max(63) });

export const portalRoutes = {
  'GET /v1/companies/{companyId}/portal': {
    resource: 'portals',
    access: 'staff',
    summary: "A company's customer portal",
    operationId: 'getCompanyPortal',
    responses: { 200: portalSchema },
  },
  'PUT /v1/companies/{companyId}/portal': {
    resource: 'portals',
    access: 'admin',
    summary: "Set a company's customer portal",
    body: putPortalBody,
    operationId: 'putCompanyPortal',
    responses: { 200: portalSchema },
  },
  'GET /v1/portals/{slug}': {
    resource: 'portals',
    access: 'public',
    summary: 'A portal as customers see it',
    params: slugParams,
    operationId: 'getPublicPortal',
    responses: { 200: publicPortalSchema },
  },
  'POST /v1/portals/{slug}/requests': {
    resource: 'portals',
    access: 'public',
    summary: 'A customer asks a question: live technician or queue',
    body: portalRequestBody,
    params: slugParams,
    operationId: 'submitPortalRequest',
    responses: { 201: portalRequestSchema },
    errors: [429],
  },
} as const satisfies Record<string, RouteDefinition>;
