import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { companyDevicesQuery, createDeviceBody, listDevicesQuery, updateDeviceBody } from '../devices/schema.js';
import { createCompanyBody, listCompaniesQuery, updateCompanyBody } from './schema.js';

export const companyResources = {
  companies: { table: 'readWrite', tokens: true },
  devices: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const companyRoutes = {
  'GET /v1/companies': { resource: 'companies', access: 'staff', summary: 'Companies in name order', query: listCompaniesQuery },
  'POST /v1/companies': { resource: 'companies', access: 'admin', summary: 'Create a company', body: createCompanyBody },
  'GET /v1/companies/{companyId}': { resource: 'companies', access: 'staff', summary: 'One company' },
  'PATCH /v1/companies/{companyId}': { resource: 'companies', access: 'admin', summary: 'Rename or describe a company', body: updateCompanyBody },
  'DELETE /v1/companies/{companyId}': {
    resource: 'companies',
    access: 'admin',
    summary: 'Delete a company (409 company_required when it is the only company of a user or device)',
  },
  'GET /v1/companies/{companyId}/devices': {
    resource: 'devices',
    access: 'staff',
    summary: "One company's device inventory (?group= filters)",
    query: companyDevicesQuery,
  },
  'GET /v1/devices': { resource: 'devices', access: 'staff', summary: 'Devices', query: listDevicesQuery },
  'POST /v1/devices': { resource: 'devices', access: 'admin', summary: 'Add a device', body: createDeviceBody },
  'GET /v1/devices/{deviceId}': { resource: 'devices', access: 'staff', summary: 'One device' },
  'PATCH /v1/devices/{deviceId}': { resource: 'devices', access: 'admin', summary: 'Change a device', body: updateDeviceBody },
  'DELETE /v1/devices/{deviceId}': { resource: 'devices', access: 'admin', summary: 'Remove a device' },
} as const satisfies Record<string, RouteDefinition>;
