import { describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { useApi } from '../support/api.js';
import { signUpAccount } from '../support/fixtures.js';
import { addStaff } from '../support/staff.js';
import { addPortal } from '../support/service-desk.js';

const api = useApi();

type Mail = Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0];

/** Sends a real SMTP message to the local inbound port. */
async function deliver(mail: Mail) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: api.smtpPort, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

async function ticketsOf(token: string, query = '') {
  return (await api.call('GET', `/v1/tickets?limit=100${query}`, { token })).body.items as { id: string; subject: string; channel: string; status: string; endUserId: string }[];
}

describe('Email to a support address', () => {
  it('creates the end user with a derived name and a queued email ticket from a first email', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    await deliver({ from: '"Claire J." <claire.johnson@myorg.org>', to: supportEmail, subject: 'Drucker im Büro', text: 'Er druckt nicht.' });

    const [ticket] = await ticketsOf(account.token);
    expect(ticket).toMatchObject({ subject: 'Drucker im Büro', channel: 'email', status: 'queued' });
    const endUser = await api.call('GET', `/v1/end-users/${ticket!.endUserId}`, { token: account.token });
    expect(endUser.body).toMatchObject({ email: 'claire.johnson@myorg.org', firstName: 'Claire', lastName: 'Johnson', association: 'weak' });
    const messages = await api.call('GET', `/v1/tickets/${ticket!.id}/messages`, { token: account.token });
    expect(messages.body.items[0]).toMatchObject({ author: { type: 'end_user' }, body: 'Er druckt nicht.' });
  });

  it('opens a new ticket under the existing end user for a known sender', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    await deliver({ from: 'bob@x.test', to: supportEmail, subject: 'One', text: 'first' });
    await deliver({ from: 'bob@x.test', to: supportEmail, subject: 'Two', text: 'second' });
    const tickets = await ticketsOf(account.token);
    expect(tickets.map((t) => t.subject)).toEqual(['Two', 'One']);
    expect(new Set(tickets.map((t) => t.endUserId)).size).toBe(1);
  });

  it('refuses mail to an unknown address at the door (550) and writes nothing', async () => {
    const account = await signUpAccount(api);
    await addPortal(api, account);
    await expect(deliver({ from: 'bob@x.test', to: 'nobody@nowhere.test', subject: 'Lost', text: '?' })).rejects.toMatchObject({ responseCode: 550 });
    expect(await ticketsOf(account.token)).toEqual([]);
  });

  it('creates one ticket for the same message delivered twice', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const mail = { from: 'dup@x.test', to: supportEmail, subject: 'Twice', text: 'Hello', messageId: '<dup-1@x.test>' };
    await deliver(mail);
    await deliver(mail);
    await Promise.all([deliver({ ...mail, messageId: '<dup-2@x.test>' }), deliver({ ...mail, messageId: '<dup-2@x.test>' })]);
    expect(await ticketsOf(account.token)).toHaveLength(2);
  });

  it('opens one ticket for one email sent to two support addresses of the account', async () => {
    const account = await signUpAccount(api);
    const first = await addPortal(api, account);
    const other = await api.call('POST', '/v1/companies', { token: account.token, body: { name: 'Other' } });
    const second = await addPortal(api, account, other.body.id);
    await deliver({ from: 'both@x.test', to: first.supportEmail, cc: second.supportEmail, subject: 'Both', text: 'Hi' });
    expect(await ticketsOf(account.token)).toHaveLength(1);
  });

  it('creates nothing for auto-submitted, bulk, own or staff mail', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const staff = await addStaff(api, account);
    await deliver({ from: 'ooo@x.test', to: supportEmail, subject: 'Out of office', text: 'Away', headers: { 'Auto-Submitted': 'auto-replied' } });
    await deliver({ from: 'news@x.test', to: supportEmail, subject: 'Newsletter', text: 'Buy', headers: { Precedence: 'bulk' } });
    await deliver({ from: supportEmail, to: supportEmail, subject: 'Loop', text: 'Me again' });
    await deliver({ from: staff.email, to: supportEmail, subject: 'Internal', text: 'Staff' });
    expect(await ticketsOf(account.token)).toEqual([]);
    const endUsers = await api.call('GET', '/v1/end-users', { token: account.token });
    expect(endUsers.body.items).toEqual([]);
  });
});

describe('Email threading', () => {
  async function ticketWithStaffReply() {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    await deliver({ from: 'thread@x.test', to: supportEmail, subject: 'VPN', text: 'Broken', messageId: '<orig-1@x.test>' });
    const [ticket] = await ticketsOf(account.token);
    await api.call('POST', `/v1/tickets/${ticket!.id}/messages`, { token: account.token, body: { body: 'Have you tried turning it off and on?' } });
    return { account, supportEmail, ticket: ticket! };
  }

  it('emails a staff message to the end user, naming the ticket in the subject', async () => {
    await ticketWithStaffReply();
    const outbox = await api.call('GET', '/_local/outbox');
    const mail = outbox.body.items.find((m: { to: string[] }) => m.to.includes('thread@x.test'));
    expect(mail).toMatchObject({ channel: 'email', subject: 'Re: [#1] VPN', body: expect.stringContaining('turning it off and on') });
  });

  it('adds a reply by In-Reply-To to the same ticket, and reopens it when solved', async () => {
    const { account, supportEmail, ticket } = await ticketWithStaffReply();
    await api.call('PATCH', `/v1/tickets/${ticket.id}`, { token: account.token, body: { status: 'solved' } });
    await deliver({ from: 'thread@x.test', to: supportEmail, subject: 'Re: VPN', text: 'Still broken', inReplyTo: '<orig-1@x.test>', references: ['<orig-1@x.test>'] });
    expect(await ticketsOf(account.token)).toHaveLength(1);
    const messages = await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: account.token });
    expect(messages.body.items.map((m: { body: string }) => m.body).at(-1)).toBe('Still broken');
    expect((await api.call('GET', `/v1/tickets/${ticket.id}`, { token: account.token })).body.status).toBe('open');
  });

  it("adds a reply to the ticket's reply address to that ticket, whatever its headers say", async () => {
    const { account, supportEmail, ticket } = await ticketWithStaffReply();
    const [local, domain] = supportEmail.split('@');
    await deliver({ from: 'thread@x.test', to: `${local}+t-${ticket.id}@${domain}`, subject: 'Re: something else', text: 'By address' });
    expect(await ticketsOf(account.token)).toHaveLength(1);
    const messages = await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: account.token });
    expect(messages.body.items.at(-1).body).toBe('By address');
  });

  it('threads a reply that names one of our own Message-IDs', async () => {
    const { account, supportEmail, ticket } = await ticketWithStaffReply();
    const ours = `<t-${ticket.id}.msg_whatever@${supportEmail.split('@')[1]}>`;
    await deliver({ from: 'thread@x.test', to: supportEmail, subject: 'Re: VPN', text: 'Replying to yours', references: [ours] });
    expect(await ticketsOf(account.token)).toHaveLength(1);
  });
});
