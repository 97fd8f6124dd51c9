import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { createContactBody, createMethodBody, createRuleBody, listContactsQuery, updateContactBody, updateMethodBody } from './schema.js';
import { contactMethodSchema, contactPageSchema, contactSchema, notificationRuleSchema } from './responses.js';

export const contactResources = {
  contacts: { table: 'readWrite', tokens: true },
} as const satisfies Record<string, ResourceDefinition>;

export const contactRoutes = {
  'GET /v1/contacts': {
    resource: 'contacts',
    access: 'staff',
    summary: 'Contacts in name order (technicians: those of their companies)',
    query: listContactsQuery,
    operationId: 'listContacts',
    responses: { 200: contactPageSchema },
  },
  'POST /v1/contacts': {
    resource: 'contacts',
    access: 'admin',
    summary: 'Add a contact for all companies or a list of them',
    body: createContactBody,
    operationId: 'createContact',
    responses: { 201: contactSchema },
    errors: [404],
  },
  'GET /v1/contacts/{contactId}': {
    resource: 'contacts',
    access: 'staff',
    summary: 'One contact with its methods and rules',
    operationId: 'getContact',
    responses: { 200: contactSchema },
  },
  'PATCH /v1/contacts/{contactId}': {
    resource: 'contacts',
    access: 'admin',
    summary: "Rename a contact or change its companies (403 for a user's contact)",
    body: updateContactBody,
    operationId: 'updateContact',
    responses: { 200: contactSchema },
  },
  'DELETE /v1/contacts/{contactId}': {
    resource: 'contacts',
    access: 'admin',
    summary: "Delete a contact (403 for a user's contact)",
    operationId: 'deleteContact',
    responses: { 204: null },
  },
  'GET /v1/companies/{companyId}/contacts': {
    resource: 'contacts',
    access: 'staff',
    summary: "A company's contacts and every user with access to it, in name order",
    query: listContactsQuery,
    operationId: 'listCompanyContacts',
    responses: { 200: contactPageSchema },
  },
  'POST /v1/contacts/{contactId}/methods': {
    resource: 'contacts',
    access: 'admin',
    summary: 'Add an email, SMS or phone method',
    body: createMethodBody,
    operationId: 'addContactMethod',
    responses: { 201: contactMethodSchema },
  },
  'PATCH /v1/contacts/{contactId}/methods/{methodId}': {
    resource: 'contacts',
    access: 'admin',
    summary: 'Change a contact method',
    body: updateMethodBody,
    operationId: 'updateContactMethod',
    responses: { 200: contactMethodSchema },
  },
  'DELETE /v1/contacts/{contactId}/methods/{methodId}': {
    resource: 'contacts',
    access: 'admin',
    summary: 'Delete a contact method and its rules',
    operationId: 'deleteContactMethod',
    responses: { 204: null },
  },
  'POST /v1/contacts/{contactId}/rules': {
    resource: 'contacts',
    access: 'admin',
    summary: 'Send alerts (by urgency) or reports to one of the contact’s methods',
    body: createRuleBody,
    operationId: 'addNotificationRule',
    responses: { 201: notificationRuleSchema },
  },
  'DELETE /v1/contacts/{contactId}/rules/{ruleId}': {
    resource: 'contacts',
    access: 'admin',
    summary: 'Delete a notification rule',
    operationId: 'deleteNotificationRule',
    responses: { 204: null },
  },
} as const satisfies Record<string, RouteDefinition>;
