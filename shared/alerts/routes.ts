import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { pageQuery } from '../http/schemas.js';
import { createAlertBody } from './schema.js';
import { alertPageSchema, alertWithDeliveriesSchema } from './responses.js';

export const alertResources = {
  alerts: { table: 'readWrite', tokens: true, sends: ['email', 'sms'] },
} as const satisfies Record<string, ResourceDefinition>;

export const alertRoutes = {
  'POST /v1/alerts': {
    resource: 'alerts',
    access: 'admin',
    integrationKeys: true,
    summary: 'Raise an alert for a company: delivered to the contacts whose rules match its urgency',
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
} as const satisfies Record<string, RouteDefinition>;
