import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { createContactBody, createMethodBody, createRuleBody, listContactsQuery, updateContactBody, updateMethodBody } from './schema.js';

export const contactResources = {
  contacts: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const contactRoutes = {
  'GET /v1/contacts': { resource: 'contacts', access: 'staff', summary: 'Contacts in name order (technicians: those of their companies)', query: listContactsQuery },
  'POST /v1/contacts': { resource: 'contacts', access: 'admin', summary: 'Add a contact for all companies or a list of them', body: createContactBody },
  'GET /v1/contacts/{contactId}': { resource: 'contacts', access: 'staff', summary: 'One contact with its methods and rules' },
  'PATCH /v1/contacts/{contactId}': {
    resource: 'contacts',
    access: 'admin',
    summary: "Rename a contact or change its companies (403 for a user's contact)",
    body: updateContactBody,
  },
  'DELETE /v1/contacts/{contactId}': { resource: 'contacts', access: 'admin', summary: "Delete a contact (403 for a user's contact)" },
  'GET /v1/companies/{companyId}/contacts': {
    resource: 'contacts',
    access: 'staff',
    summary: "A company's contacts and every user with access to it, in name order",
    query: listContactsQuery,
  },
  'POST /v1/contacts/{contactId}/methods': { resource: 'contacts', access: 'admin', summary: 'Add an email, SMS or phone method', body: createMethodBody },
  'PATCH /v1/contacts/{contactId}/methods/{methodId}': { resource: 'contacts', access: 'admin', summary: 'Change a contact method', body: updateMethodBody },
  'DELETE /v1/contacts/{contactId}/methods/{methodId}': { resource: 'contacts', access: 'admin', summary: 'Delete a contact method and its rules' },
  'POST /v1/contacts/{contactId}/rules': {
    resource: 'contacts',
    access: 'admin',
    summary: 'Send alerts (by urgency) or reports to one of the contact’s methods',
    body: createRuleBody,
  },
  'DELETE /v1/contacts/{contactId}/rules/{ruleId}': { resource: 'contacts', access: 'admin', summary: 'Delete a notification rule' },
} as const satisfies Record<string, RouteDefinition>;
