import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';
import {
  addMethod,
  addRule,
  createContact,
  deleteContact,
  deleteMethod,
  deleteRule,
  getContact,
  listCompanyContacts,
  listContacts,
  updateContact,
  updateMethod,
} from '../shared/contacts/contacts.js';

export const handler = resourceHandler('contacts', {
  'GET /v1/contacts': async (req) => ok(await listContacts(req.principal, req.query)),
  'POST /v1/contacts': async (req) => created(await createContact(actorOf(req), req.body)),
  'GET /v1/contacts/{contactId}': async (req) => ok(await getContact(req.principal, req.params.contactId)),
  'PATCH /v1/contacts/{contactId}': async (req) => ok(await updateContact(actorOf(req), req.params.contactId, req.body)),
  'DELETE /v1/contacts/{contactId}': async (req) => {
    await deleteContact(actorOf(req), req.params.contactId);
    return noContent();
  },
  'GET /v1/companies/{companyId}/contacts': async (req) => ok(await listCompanyContacts(req.principal, req.params.companyId, req.query)),
  'POST /v1/contacts/{contactId}/methods': async (req) => created(await addMethod(actorOf(req), req.params.contactId, req.body)),
  'PATCH /v1/contacts/{contactId}/methods/{methodId}': async (req) => ok(await updateMethod(actorOf(req), req.params.contactId, req.params.methodId, req.body)),
  'DELETE /v1/contacts/{contactId}/methods/{methodId}': async (req) => {
    await deleteMethod(actorOf(req), req.params.contactId, req.params.methodId);
    return noContent();
  },
  'POST /v1/contacts/{contactId}/rules': async (req) => created(await addRule(actorOf(req), req.params.contactId, req.body)),
  'DELETE /v1/contacts/{contactId}/rules/{ruleId}': async (req) => {
    await deleteRule(actorOf(req), req.params.contactId, req.params.ruleId);
    return noContent();
  },
});
