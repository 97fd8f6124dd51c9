import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { createCompanyBody, listCompaniesQuery, updateCompanyBody } from './schema.js';
import { companyPageSchema, companySchema } from './responses.js';

export const companyResources = {
  companies: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const companyRoutes = {
  'GET /v1/companies': {
    resource: 'companies',
    access: 'staff',
    summary: 'Companies in name order',
    query: listCompaniesQuery,
    operationId: 'listCompanies',
    responses: { 200: companyPageSchema },
  },
  'POST /v1/companies': {
    resource: 'companies',
    access: 'admin',
    summary: 'Create a company',
    body: createCompanyBody,
    operationId: 'createCompany',
    responses: { 201: companySchema },
  },
  'GET /v1/companies/{companyId}': {
    resource: 'companies',
    access: 'staff',
    summary: 'One company',
    operationId: 'getCompany',
    responses: { 200: companySchema },
  },
  'PATCH /v1/companies/{companyId}': {
    resource: 'companies',
    access: 'admin',
    summary: 'Rename or describe a company',
    body: updateCompanyBody,
    operationId: 'updateCompany',
    responses: { 200: companySchema },
  },
  'DELETE /v1/companies/{companyId}': {
    resource: 'companies',
    access: 'admin',
    summary: 'Delete a company (409 company_required when it is the only company of a user or device)',
    operationId: 'deleteCompany',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
