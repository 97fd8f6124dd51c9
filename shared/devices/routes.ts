import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { companyDevicesQuery, createDeviceBody, listDevicesQuery, updateDeviceBody } from './schema.js';
import { devicePageSchema, deviceSchema } from './responses.js';

export const deviceResources = {
  devices: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const deviceRoutes = {
  'GET /v1/companies/{companyId}/devices': {
    resource: 'devices',
    access: 'staff',
    summary: "One company's device inventory (?group= filters)",
    query: companyDevicesQuery,
    operationId: 'listCompanyDevices',
    responses: { 200: devicePageSchema },
  },
  'GET /v1/devices': {
    resource: 'devices',
    access: 'staff',
    summary: 'Devices',
    query: listDevicesQuery,
    operationId: 'listDevices',
    responses: { 200: devicePageSchema },
  },
  'POST /v1/devices': {
    resource: 'devices',
    access: 'admin',
    summary: 'Add a device',
    body: createDeviceBody,
    operationId: 'createDevice',
    responses: { 201: deviceSchema },
    errors: [404],
  },
  'GET /v1/devices/{deviceId}': {
    resource: 'devices',
    access: 'staff',
    summary: 'One device',
    operationId: 'getDevice',
    responses: { 200: deviceSchema },
  },
  'PATCH /v1/devices/{deviceId}': {
    resource: 'devices',
    access: 'admin',
    summary: 'Change a device',
    body: updateDeviceBody,
    operationId: 'updateDevice',
    responses: { 200: deviceSchema },
  },
  'DELETE /v1/devices/{deviceId}': {
    resource: 'devices',
    access: 'admin',
    summary: 'Remove a device',
    operationId: 'deleteDevice',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
