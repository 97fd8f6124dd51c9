import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { signUpAccount, uniqueSlug, type SignedUpAccount } from '../support/fixtures.js';
import { addCompany, addStaff } from '../support/staff.js';
import { addAlertContact } from '../support/contacts.js';
import { availableTechnician } from '../support/availability.js';
import { outboxFor } from '../support/mail.js';
import { LiveClient } from '../support/live.js';
import { installTeamsApp, linkTeamsTenant, newTenantId, postedTo, sendTeamsMessage, teamsUser } from '../support/teams.js';

const api = useApi();

const ticketsOf = async (account: SignedUpAccount) => (await api.call('GET', '/v1/tickets', { token: account.token })).body.items;
const endUserByEmail = async (account: SignedUpAccount, email: string) =>
  (await api.call('GET', `/v1/end-users?email=${encodeURIComponent(email)}`, { token: account.token })).body.items[0];
const messagesOf = async (account: SignedUpAccount, ticketId: string) =>
  (await api.call('GET', `/v1/tickets/${ticketId}/messages`, { token: account.token })).body.items;

describe("Linking a company to its organisation's Microsoft 365 tenant", () => {
  it('links a tenant, shows it, and unlinks it', async () => {
    const account = await signUpAccount(api);
    const path = `/v1/companies/${account.defaultCompanyId}/teams` as const;
    const tenantId = newTenantId().toUpperCase();

    const linked = await api.call('PUT', path, { token: account.token, body: { tenantId } });
    expect(linked).toMatchObject({ status: 200, body: { companyId: account.defaultCompanyId, tenantId: tenantId.toLowerCase() } });
    expect((await api.call('GET', path, { token: account.token })).body).toEqual(linked.body);

    expect((await api.call('DELETE', path, { token: account.token })).status).toBe(204);
    expect((await api.call('GET', path, { token: account.token })).status).toBe(404);
    expect((await api.call('DELETE', path, { token: account.token })).status).toBe(404);
  });

  it('keeps a tenant to one company across all accounts, also when two accounts link it at once', async () => {
    const first = await signUpAccount(api);
    const second = await signUpAccount(api);
    const tenantId = newTenantId();
    const results = await Promise.all(
      [first, second].map((a) => api.call('PUT', `/v1/companies/${a.defaultCompanyId}/teams`, { token: a.token, body: { tenantId } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body).toMatchObject({ error: { code: 'conflict', details: [{ path: 'tenantId' }] } });

    const winner = results[0]!.status === 200 ? first : second;
    const otherCompany = await addCompany(api, winner);
    const sameAccount = await api.call('PUT', `/v1/companies/${otherCompany}/teams`, { token: winner.token, body: { tenantId } });
    expect(sameAccount.status).toBe(409);
  });

  it('frees the earlier tenant when a company moves to another one', async () => {
    const first = await signUpAccount(api);
    const second = await signUpAccount(api);
    const earlier = await linkTeamsTenant(api, first);
    await linkTeamsTenant(api, first);
    const reuse = await api.call('PUT', `/v1/companies/${second.defaultCompanyId}/teams`, { token: second.token, body: { tenantId: earlier } });
    expect(reuse.status).toBe(200);
  });

  it("frees a deleted company's tenant, so another company can link it", async () => {
    const first = await signUpAccount(api);
    const second = await signUpAccount(api);
    const company = await addCompany(api, first);
    const tenantId = await linkTeamsTenant(api, first, company);
    expect((await api.call('DELETE', `/v1/companies/${company}`, { token: first.token })).status).toBe(204);
    const reuse = await api.call('PUT', `/v1/companies/${second.defaultCompanyId}/teams`, { token: second.token, body: { tenantId } });
    expect(reuse.status).toBe(200);
  });

  it('refuses a tenant id that is not a GUID, and lets technicians read but not link', async () => {
    const account = await signUpAccount(api);
    const path = `/v1/companies/${account.defaultCompanyId}/teams` as const;
    const bad = await api.call('PUT', path, { token: account.token, body: { tenantId: 'contoso.onmicrosoft.com' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: [{ path: 'tenantId' }] } } });

    const tenantId = await linkTeamsTenant(api, account);
    const technician = await addStaff(api, account);
    expect((await api.call('GET', path, { token: technician.token })).body.tenantId).toBe(tenantId);
    expect((await api.call('PUT', path, { token: technician.token, body: { tenantId: newTenantId() } })).status).toBe(403);
  });
});

describe('A user adding the Teams app', () => {
  it('is welcomed once, in the company’s language, and nothing else is stored', async () => {
    const account = await signUpAccount(api);
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { language: 'de' } });
    const tenantId = await linkTeamsTenant(api, account);
    const user = teamsUser();
    const installed = await installTeamsApp(api, { tenantId, user });
    expect(installed.status).toBe(200);
    const again = await installTeamsApp(api, { tenantId, user, conversationId: installed.conversationId, activityId: installed.activityId });
    expect(again.status).toBe(200);

    const posted = await postedTo(api, installed.conversationId);
    expect(posted.map((m) => m.body)).toEqual([expect.stringContaining('Schreiben Sie Ihre Frage hier')]);
    expect(await ticketsOf(account)).toEqual([]);
    expect(await endUserByEmail(account, user.email)).toBeUndefined();
  });

  it('in a tenant no company links gets the polite answer', async () => {
    const installed = await installTeamsApp(api, { tenantId: newTenantId(), user: teamsUser() });
    const [answer] = await postedTo(api, installed.conversationId);
    expect(answer?.body).toContain('not connected to our support desk');
  });
});

describe('A chat message from a tenant no company links', () => {
  it('gets a polite answer in its conversation, and nothing is stored', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    await api.call('DELETE', `/v1/companies/${account.defaultCompanyId}/teams`, { token: account.token });
    const user = teamsUser();

    const sent = await sendTeamsMessage(api, { tenantId, user, text: 'Hello, is anyone there?' });

    expect(sent.status).toBe(200);
    const [answer, ...more] = await postedTo(api, sent.conversationId);
    expect(more).toEqual([]);
    expect(answer!.body).toMatch(/not connected to our support desk/);
    expect(await ticketsOf(account)).toEqual([]);
    expect(await endUserByEmail(account, user.email)).toBeUndefined();
  });
});

describe('A first chat message', () => {
  it('creates a weak end user named from their Teams profile and a queued Teams ticket, and the bot answers with its number', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const user = teamsUser({ email: `${uniqueSlug('mb')}@contoso.test`, givenName: 'Megan', surname: 'Bowen' });

    const sent = await sendTeamsMessage(api, { tenantId, user, text: 'My laptop will not start.\nIt beeps three times.' });

    expect(sent.status).toBe(200);
    const endUser = await endUserByEmail(account, user.email);
    expect(endUser).toMatchObject({ firstName: 'Megan', lastName: 'Bowen', association: 'weak', companyId: account.defaultCompanyId });
    const [ticket] = await ticketsOf(account);
    expect(ticket).toMatchObject({ channel: 'teams', status: 'queued', subject: 'My laptop will not start.', endUserId: endUser!.id, assigneeId: null });
    expect(await messagesOf(account, ticket!.id)).toMatchObject([
      { author: { type: 'end_user', id: endUser!.id }, body: 'My laptop will not start.\nIt beeps three times.' },
    ]);
    const answers = await postedTo(api, sent.conversationId);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body).toContain(`ticket #${ticket!.number}`);
    // The answer in the chat is the acknowledgement: no email besides.
    expect(await outboxFor(api, user.email)).toEqual([]);
  });

  it('names the end user from their address only when Teams knows no given name and surname', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const email = `claire.johnson.${uniqueSlug('x')}@contoso.test`;

    await sendTeamsMessage(api, { tenantId, user: teamsUser({ email, givenName: undefined, surname: undefined }), text: 'Hi' });

    expect(await endUserByEmail(account, email)).toMatchObject({ firstName: 'Claire' });
    expect((await endUserByEmail(account, email))!.lastName).toMatch(/^Johnson /);
  });

  it("answers in the company's language", async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { language: 'de' } });

    const sent = await sendTeamsMessage(api, { tenantId, user: teamsUser(), text: 'Mein Drucker druckt nicht.' });

    const [ticket] = await ticketsOf(account);
    const [answer] = await postedTo(api, sent.conversationId);
    expect(answer!.body).toBe(
      `Vielen Dank für Ihre Nachricht. Wir haben für Ihre Anfrage das Ticket #${ticket!.number} eröffnet. Ein Techniker antwortet Ihnen hier so bald wie möglich.`,
    );
  });

  it('connects the customer live with the technician whose turn it is, and pages the company, as a portal request does', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const watcher = `${uniqueSlug('oncall')}@x.test`;
    await addAlertContact(api, account, { email: watcher });
    const first = await availableTechnician(api, account);
    await new Promise((r) => setTimeout(r, 5));
    const second = await availableTechnician(api, account);
    const desk = await LiveClient.open(api, first.token);
    try {
      const user = teamsUser();
      const sent = await sendTeamsMessage(api, { tenantId, user, text: 'The VPN drops every minute.' });

      const [ticket] = await ticketsOf(account);
      expect(ticket).toMatchObject({ channel: 'teams', status: 'open', assigneeId: first.id });
      expect(await desk.next((f) => f.type === 'assigned')).toMatchObject({ ticketId: ticket!.id, technician: { id: first.id } });
      const [answer] = await postedTo(api, sent.conversationId);
      expect(answer!.body).toContain('Sam is taking care of it');
      const [page] = await outboxFor(api, watcher);
      expect(page!.subject).toContain(`New Teams request #${ticket!.number}`);
      expect((await api.call('GET', '/v1/alerts', { token: account.token })).body.items[0]).toMatchObject({ source: 'teams_request' });

      // The customer's next message reaches the technician's console at once, as every message does.
      await sendTeamsMessage(api, { tenantId, user, conversationId: sent.conversationId, text: 'Now it is down for good.' });
      expect(await desk.next((f) => f.type === 'message')).toMatchObject({ ticketId: ticket!.id, message: { body: 'Now it is down for good.' } });

      // The next customer goes to the technician who has now waited longest.
      await sendTeamsMessage(api, { tenantId, user: teamsUser(), text: 'Outlook crashes.' });
      expect((await ticketsOf(account))[0]).toMatchObject({ assigneeId: second.id });
    } finally {
      await desk.close();
    }
  });
});

describe('Later messages and redeliveries', () => {
  it("continue the conversation's ticket with the end user's message, without a second answer", async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const user = teamsUser();
    const first = await sendTeamsMessage(api, { tenantId, user, text: 'The printer is jammed.' });

    const later = await sendTeamsMessage(api, { tenantId, user, conversationId: first.conversationId, text: 'It is the one on floor 2.' });

    expect(later.status).toBe(200);
    const tickets = await ticketsOf(account);
    expect(tickets).toHaveLength(1);
    const messages = await messagesOf(account, tickets[0]!.id);
    expect(messages.map((m) => [m.author.type, m.body])).toEqual([
      ['end_user', 'The printer is jammed.'],
      ['end_user', 'It is the one on floor 2.'],
    ]);
    expect(await postedTo(api, first.conversationId)).toHaveLength(1);
  });

  it('have one effect when Teams delivers the same activity again', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const user = teamsUser();
    const first = await sendTeamsMessage(api, { tenantId, user, text: 'Screen flickers.' });
    const later = await sendTeamsMessage(api, { tenantId, user, conversationId: first.conversationId, text: 'Still flickering.' });

    const again = await Promise.all([
      sendTeamsMessage(api, { tenantId, user, conversationId: first.conversationId, activityId: first.activityId, text: 'Screen flickers.' }),
      sendTeamsMessage(api, { tenantId, user, conversationId: first.conversationId, activityId: later.activityId, text: 'Still flickering.' }),
      sendTeamsMessage(api, { tenantId, user, conversationId: first.conversationId, activityId: later.activityId, text: 'Still flickering.' }),
    ]);

    expect(again.map((d) => d.status)).toEqual([200, 200, 200]);
    const tickets = await ticketsOf(account);
    expect(tickets).toHaveLength(1);
    expect(await messagesOf(account, tickets[0]!.id)).toHaveLength(2);
    expect(await postedTo(api, first.conversationId)).toHaveLength(1);
  });

  it('find the end user by their Teams identity in a later conversation, whatever address they have now', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const user = teamsUser();
    await sendTeamsMessage(api, { tenantId, user, text: 'First question.' });
    const endUser = (await endUserByEmail(account, user.email))!;
    await api.call('PATCH', `/v1/end-users/${endUser.id}`, { token: account.token, body: { email: `renamed-${user.email}` } });

    await sendTeamsMessage(api, { tenantId, user, text: 'A new question, in a new chat.' });

    const tickets = await ticketsOf(account);
    expect(tickets).toHaveLength(2);
    expect(tickets.map((t) => t.endUserId)).toEqual([endUser.id, endUser.id]);
    expect(await endUserByEmail(account, user.email)).toBeUndefined();
  });

  it('find an existing end user by the email the connector reports, keeping their name', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const email = `${uniqueSlug('known')}@contoso.test`;
    const existing = (
      await api.call('POST', '/v1/end-users', {
        token: account.token,
        body: { email, firstName: 'Claire', lastName: 'Johnson', association: 'weak', companyId: account.defaultCompanyId },
      })
    ).body;

    await sendTeamsMessage(api, { tenantId, user: teamsUser({ email: email.toUpperCase(), givenName: 'C', surname: 'J' }), text: 'Hello again.' });

    const [ticket] = await ticketsOf(account);
    expect(ticket!.endUserId).toBe(existing.id);
    expect(await endUserByEmail(account, email)).toMatchObject({ id: existing.id, firstName: 'Claire', lastName: 'Johnson' });
  });

  it('open a new ticket once the conversation’s ticket is closed', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const user = teamsUser();
    const first = await sendTeamsMessage(api, { tenantId, user, text: 'Old problem.' });
    const [old] = await ticketsOf(account);
    await api.call('PATCH', `/v1/tickets/${old!.id}`, { token: account.token, body: { status: 'closed' } });

    await sendTeamsMessage(api, { tenantId, user, conversationId: first.conversationId, text: 'New problem.' });

    const [newest] = await ticketsOf(account);
    expect(newest).toMatchObject({ channel: 'teams', status: 'queued', subject: 'New problem.', endUserId: old!.endUserId });
    expect(newest!.id).not.toBe(old!.id);
    expect((await postedTo(api, first.conversationId))[0]!.body).toContain(`#${newest!.number}`);
  });
});

describe('Staff replies on a Teams ticket', () => {
  it('are posted into the conversation, and not emailed', async () => {
    const account = await signUpAccount(api);
    const tenantId = await linkTeamsTenant(api, account);
    const user = teamsUser();
    const sent = await sendTeamsMessage(api, { tenantId, user, text: 'Cannot log in.' });
    const [ticket] = await ticketsOf(account);

    const reply = await api.call('POST', `/v1/tickets/${ticket!.id}/messages`, { token: account.token, body: { body: 'Please try again now.\nI reset it.' } });

    expect(reply.status).toBe(201);
    const [posted] = await postedTo(api, sent.conversationId);
    expect(posted).toMatchObject({ channel: 'teams', to: [sent.conversationId], body: 'Please try again now.\nI reset it.' });
    expect(await outboxFor(api, user.email)).toEqual([]);
  });
});
