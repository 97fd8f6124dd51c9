import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { createSubscriptionBody } from '../reports/schema.js';
import { createAlertBody, createIntegrationKeyBody } from './schema.js';
import { alertPageSchema, alertWithDeliveriesSchema } from './responses.js';
import { integrationKeyPageSchema, newIntegrationKeySchema } from '../integrations/responses.js';
import { reportSubscriptionPageSchema, reportSubscriptionSchema } from '../reports/responses.js';

export const alertResources = {
  alerts: { table: 'readWrite', tokens: true, sends: ['email', 'sms'] },
  'integration-keys': { table: 'readWrite', tokens: true },
  'report-subscriptions': { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const alertRoutes = {
  'POST /v1/alerts': {
    resource: 'alerts',
    access: 'admin',
    integrationKeys: true,
    summary: "Raise an alert for a company: delivered to the contacts whose rules match its urgency",
    body: createAlertBody,
    operationId: 'raiseAlert',
    responses: { 201: alertWithDeliveriesSchema },
    errors: [404],
  },
  'GET /v1/alerts': {
    resource: 'alerts',
    access: 'staff',
    summary: 'Alerts, newest first',
    query: pageQuery,
    operationId: 'listAlerts',
    responses: { 200: alertPageSchema },
  },
  'GET /v1/alerts/{alertId}': {
    resource: 'alerts',
    access: 'staff',
    summary: 'One alert with its deliveries',
    operationId: 'getAlert',
    responses: { 200: alertWithDeliveriesSchema },
  },
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
