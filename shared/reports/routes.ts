import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { createSubscriptionBody } from './schema.js';
import { reportSubscriptionPageSchema, reportSubscriptionSchema } from './responses.js';

export const reportResources = {
  'report-subscriptions': { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const reportRoutes = {
  'GET /v1/report-subscriptions': {
    resource: 'report-subscriptions',
    access: 'admin',
    summary: 'Report subscriptions',
    query: pageQuery,
    operationId: 'listReportSubscriptions',
    responses: { 200: reportSubscriptionPageSchema },
  },
  'POST /v1/report-subscriptions': {
    resource: 'report-subscriptions',
    access: 'admin',
    summary: 'Subscribe a contact to a daily or weekly report',
    body: createSubscriptionBody,
    operationId: 'createReportSubscription',
    responses: { 201: reportSubscriptionSchema },
    errors: [404],
  },
  'DELETE /v1/report-subscriptions/{subscriptionId}': {
    resource: 'report-subscriptions',
    access: 'admin',
    summary: 'Cancel a report subscription',
    operationId: 'deleteReportSubscription',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
