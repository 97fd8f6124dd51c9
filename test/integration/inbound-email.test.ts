import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { deliverMail, type Mail, outboxFor } from '../support/mail.js';
import { signUpAccount } from '../support/fixtures.js';
import { addStaff } from '../support/staff.js';
import { addPortal } from '../support/service-desk.js';
import { config } from '../../shared/config.js';
import { localMailArchive } from '../../shared/email/mail-archive.js';
import { receiveEmail } from '../../shared/tickets/email-intake.js';
import { ticketEntity } from '../../shared/tickets/entities.js';

const api = useApi();

const deliver = (mail: Mail) => deliverMail(api, mail);

/**
 * The mail we sent to an address, read from the SES stand-in's store, which keeps Reply-To (the
 * outbox view leaves it out). `sesId` is what SES names the mail by: in AWS its Message-ID is
 * `<sesId@email.amazonses.com>`, the id a customer's reply names in In-Reply-To.
 */
async function sentTo(address: string) {
  const store = (await (await fetch(`${api.ses.endpoint}/store`)).json()) as {
    emails: { messageId: string; from: string; replyTo: string[]; destination: { to?: string[] }; subject: string }[];
  };
  return store.emails
    .filter((e) => (e.destination.to ?? []).some((to) => to.toLowerCase().includes(address)))
    .map((e) => ({
      sesId: e.messageId,
      from: e.from,
      subject: e.subject,
      replyTo: e.replyTo.flatMap((r) => r.match(/[^\s<>,"]+@[^\s<>,"]+/g) ?? [])[0],
    }));
}

async function ticketsOf(token: string, query = '') {
  return (await api.call('GET', `/v1/tickets?limit=100${query}`, { token })).body.items as {
    id: string;
    subject: string;
    channel: string;
    status: string;
    endUserId: string;
  }[];
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
    // Besides the acknowledgement of the ticket, the end user gets the staff message.
    const mail = (await outboxFor(api, 'thread@x.test')).find((m) => m.body.includes('turning it off'));
    expect(mail).toMatchObject({ channel: 'email', subject: 'Re: [#1] VPN' });
  });

  it('adds a reply by In-Reply-To to the same ticket, and reopens it when solved', async () => {
    const { account, supportEmail, ticket } = await ticketWithStaffReply();
    await api.call('PATCH', `/v1/tickets/${ticket.id}`, { token: account.token, body: { status: 'solved' } });
    await deliver({
      from: 'thread@x.test',
      to: supportEmail,
      subject: 'Re: VPN',
      text: 'Still broken',
      inReplyTo: '<orig-1@x.test>',
      references: ['<orig-1@x.test>'],
    });
    expect(await ticketsOf(account.token)).toHaveLength(1);
    const messages = await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: account.token });
    expect(messages.body.items.map((m: { body: string }) => m.body).at(-1)).toBe('Still broken');
    expect((await api.call('GET', `/v1/tickets/${ticket.id}`, { token: account.token })).body.status).toBe('open');
  });

  it("adds a reply to the ticket's reply address to that ticket, whatever its headers say", async () => {
    const { account, ticket } = await ticketWithStaffReply();
    const ours = (await sentTo('thread@x.test')).at(-1);
    await deliver({ from: 'thread@x.test', to: ours!.replyTo, subject: 'Re: something else', text: 'By address' });
    expect(await ticketsOf(account.token)).toHaveLength(1);
    const messages = await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: account.token });
    expect(messages.body.items.at(-1)?.body).toBe('By address');
  });

  it('threads a reply that names only the Message-ID our email went out with', async () => {
    const { account, supportEmail, ticket } = await ticketWithStaffReply();
    const ours = (await sentTo('thread@x.test')).at(-1);
    await deliver({
      from: 'thread@x.test',
      to: supportEmail,
      subject: 'Re: VPN',
      text: 'Replying to yours',
      inReplyTo: `<${ours!.sesId}@email.amazonses.com>`,
    });
    expect(await ticketsOf(account.token)).toHaveLength(1);
    const messages = await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: account.token });
    expect(messages.body.items.at(-1)?.body).toBe('Replying to yours');
  });

  it('names the ticket by an unguessable token in its reply address, not by the ticket id', async () => {
    const { ticket } = await ticketWithStaffReply();
    const ours = (await sentTo('thread@x.test')).at(-1);
    expect(ours!.replyTo).toMatch(/^help\+[0-9a-f]{32}@/);
    expect(ours!.replyTo).not.toContain(ticket.id);
  });

  it('refuses a reply address with a wrong token (550) and writes nothing', async () => {
    const { account, supportEmail, ticket } = await ticketWithStaffReply();
    const [local, domain] = supportEmail.split('@');
    for (const to of [`${local}+0123456789abcdef0123456789abcdef@${domain}`, `${local}+t-${ticket.id}@${domain}`, `${local}+anything@${domain}`]) {
      await expect(deliver({ from: 'thread@x.test', to, subject: 'Re: VPN', text: 'Guessing' })).rejects.toMatchObject({ responseCode: 550 });
    }
    expect(await ticketsOf(account.token)).toHaveLength(1);
    const messages = await api.call('GET', `/v1/tickets/${ticket.id}/messages`, { token: account.token });
    expect(messages.body.items.map((m: { body: string }) => m.body)).not.toContain('Guessing');
  });
});

describe("A ticket's mail stays in the ticket's own account", () => {
  it("keeps replies to A's ticket mail in A after A gives up its support address and B claims it", async () => {
    const a = await signUpAccount(api);
    const b = await signUpAccount(api);
    const { slug, supportEmail } = await addPortal(api, a);
    const customer = `${slug}-customer@x.test`;
    await deliver({ from: customer, to: supportEmail, subject: 'Payroll', text: 'Our salaries file is attached.' });
    const [ticket] = await ticketsOf(a.token);
    await api.call('POST', `/v1/tickets/${ticket!.id}/messages`, { token: a.token, body: { body: 'Confidential: the new salaries are…' } });
    const ours = (await sentTo(customer)).at(-1);

    const moved = await api.call('PUT', `/v1/companies/${a.defaultCompanyId}/portal`, {
      token: a.token,
      body: { slug, title: 'Help centre', enabled: true, supportEmail: `moved-${supportEmail}` },
    });
    expect(moved.status).toBe(200);
    const claimed = await api.call('PUT', `/v1/companies/${b.defaultCompanyId}/portal`, {
      token: b.token,
      body: { slug: `b-${slug}`, title: 'Attacker', enabled: true, supportEmail },
    });
    expect(claimed.status).toBe(200);

    // By the reply address, and by a client that ignores Reply-To and answers From with In-Reply-To.
    await deliver({ from: customer, to: ours!.replyTo, subject: 'Re: Payroll', text: '> Confidential: the new salaries are…\nThanks' });
    await deliver({ from: customer, to: supportEmail, subject: 'Re: Payroll', text: 'Again', inReplyTo: `<${ours!.sesId}@email.amazonses.com>` });

    expect(await ticketsOf(b.token)).toEqual([]);
    expect((await api.call('GET', '/v1/end-users', { token: b.token })).body.items).toEqual([]);
    expect(await ticketsOf(a.token)).toHaveLength(1);
    const messages = await api.call('GET', `/v1/tickets/${ticket!.id}/messages`, { token: a.token });
    expect(messages.body.items.map((m: { body: string }) => m.body).slice(-2)).toEqual(['> Confidential: the new salaries are…\nThanks', 'Again']);
  });

  it("threads a reply to a ticket of a company without a portal, through the sender address's reply form", async () => {
    const account = await signUpAccount(api);
    const created = await api.call('POST', '/v1/tickets', {
      token: account.token,
      body: { companyId: account.defaultCompanyId, requesterEmail: 'noportal@x.test', subject: 'Laptop', description: 'New laptop' },
    });
    expect(created.status).toBe(201);
    await api.call('POST', `/v1/tickets/${created.body.id}/messages`, { token: account.token, body: { body: 'It is ready for pickup.' } });
    const ours = (await sentTo('noportal@x.test')).at(-1);
    const from = config.MAIL_FROM;
    expect(ours!.from).toContain(from);
    const [local, domain] = from.split('@');
    expect(ours!.replyTo).toMatch(new RegExp(`^${local}\\+[0-9a-f]{32}@${domain!.replace(/\./g, '\\.')}$`));

    await deliver({ from: 'noportal@x.test', to: ours!.replyTo, subject: 'Re: Laptop', text: 'Coming at noon' });
    const messages = await api.call('GET', `/v1/tickets/${created.body.id}/messages`, { token: account.token });
    expect(messages.body.items.at(-1)).toMatchObject({ author: { type: 'end_user' }, body: 'Coming at noon' });
    expect(await ticketsOf(account.token)).toHaveLength(1);
  });
});

describe("The platform's sender address belongs to no account", () => {
  it("can be no portal's support address, nor any plus form of it, in any letter case (409)", async () => {
    const account = await signUpAccount(api);
    const [local, domain] = config.MAIL_FROM.split('@');
    for (const supportEmail of [`${local}@${domain}`, `${local!.toUpperCase()}@${domain}`, `${local}+x@${domain}`]) {
      const res = await api.call('PUT', `/v1/companies/${account.defaultCompanyId}/portal`, {
        token: account.token,
        body: { slug: `reserved-${Math.random().toString(36).slice(2, 8)}`, title: 'Mine', enabled: true, supportEmail },
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', details: [expect.objectContaining({ path: 'supportEmail' })] });
    }
  });

  it('refuses mail to the sender address itself (550), so replies to set-password mail become no ticket', async () => {
    const account = await signUpAccount(api);
    await addPortal(api, account);
    await expect(deliver({ from: 'someone@x.test', to: config.MAIL_FROM, subject: 'Re: Set your password', text: 'Thanks' })).rejects.toMatchObject({
      responseCode: 550,
    });
    expect(await ticketsOf(account.token)).toEqual([]);
  });
});

describe('Bounces, list mail and autoreplies create nothing', () => {
  it.each([
    ['a List-Id', { 'List-Id': '<printers.lists.x.test>' }],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }],
    ['X-Autorespond', { 'X-Autorespond': 'Out of office' }],
  ])('ignores mail with %s', async (_, headers) => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    await deliver({ from: 'auto@x.test', to: supportEmail, subject: 'Automatic', text: 'Hello', headers });
    expect(await ticketsOf(account.token)).toEqual([]);
    expect((await api.call('GET', '/v1/end-users', { token: account.token })).body.items).toEqual([]);
  });

  it('ignores a bounce from MAILER-DAEMON, and mail with the null envelope sender', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    await deliver({ from: 'MAILER-DAEMON@mx.x.test', to: supportEmail, subject: 'Undelivered Mail Returned to Sender', text: 'It bounced' });
    const raw = Buffer.from(`From: someone@x.test\r\nTo: ${supportEmail}\r\nSubject: Delivery Status\r\n\r\nfailed\r\n`);
    expect(await receiveEmail(raw, { recipients: [supportEmail], sender: '' })).toEqual([{ status: 'ignored', reason: 'automated' }]);
    expect(await ticketsOf(account.token)).toEqual([]);
    expect((await api.call('GET', '/v1/end-users', { token: account.token })).body.items).toEqual([]);
  });
});

describe('Accepted mail is never lost', () => {
  const big = 'Log line with details.\n'.repeat(27_000); // ~600 KB

  it('opens the ticket of a 600 KB email with its body shortened, saying so', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    await deliver({ from: 'logs@x.test', to: supportEmail, subject: 'Huge log', text: big });
    const [ticket] = await ticketsOf(account.token);
    expect(ticket).toMatchObject({ subject: 'Huge log' });
    const [message] = (await api.call('GET', `/v1/tickets/${ticket!.id}/messages`, { token: account.token })).body.items;
    expect(Buffer.byteLength(message!.body)).toBeLessThan(110 * 1024);
    expect(message!.body.startsWith('Log line with details.')).toBe(true);
    expect(message!.body).toMatch(/too long .* shortened/);
  });

  it('keeps the whole raw mail in the mail archive', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const dir = await mkdtemp(join(tmpdir(), 'archive-test-'));
    const raw = Buffer.from(`From: logs@x.test\r\nTo: ${supportEmail}\r\nSubject: Huge\r\nMessage-ID: <huge-1@x.test>\r\n\r\n${big}`);
    const [outcome] = await receiveEmail(raw, { recipients: [supportEmail], archive: localMailArchive(dir) });
    expect(outcome).toMatchObject({ status: 'ticket_created' });
    const [message] = (await api.call('GET', `/v1/tickets/${(outcome as { ticketId: string }).ticketId}/messages`, { token: account.token })).body.items;
    const keptAs = /kept \(([^)]+)\)/.exec(message!.body)![1]!;
    expect(await readFile(join(dir, keptAs))).toEqual(raw);
  });

  it('writes nothing, not even the end user, when the mail cannot be kept', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const failing = { keep: async () => Promise.reject(new Error('disk full')) };
    const raw = Buffer.from(`From: lost@x.test\r\nTo: ${supportEmail}\r\nSubject: Huge\r\n\r\n${big}`);
    await expect(receiveEmail(raw, { recipients: [supportEmail], archive: failing })).rejects.toThrow('disk full');
    expect(await ticketsOf(account.token)).toEqual([]);
    expect((await api.call('GET', '/v1/end-users', { token: account.token })).body.items).toEqual([]);
  });
});

describe("SES's verdicts are heeded", () => {
  it('drops mail SES found a virus in, and takes spam marked as spam', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const raw = (subject: string) => Buffer.from(`From: maybe@x.test\r\nTo: ${supportEmail}\r\nSubject: ${subject}\r\n\r\nHello\r\n`);
    expect(await receiveEmail(raw('Virus'), { recipients: [supportEmail], verdicts: { virus: true } })).toEqual([{ status: 'ignored', reason: 'virus' }]);
    const [outcome] = await receiveEmail(raw('Spam'), { recipients: [supportEmail], verdicts: { spam: true } });
    expect(outcome).toMatchObject({ status: 'ticket_created' });

    const ticketId = (outcome as { ticketId: string }).ticketId;
    expect((await ticketEntity.get({ accountId: account.accountId, id: ticketId }))?.spam).toBe(true);
    expect((await ticketsOf(account.token)).map((t) => t.subject)).toEqual(['Spam']);
  });
});
