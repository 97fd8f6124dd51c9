import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.js';
import { deliverMail, type Mail } from '../support/mail.js';
import { signUpAccount, uniqueSlug } from '../support/fixtures.js';
import { addPortal, portalRequest } from '../support/service-desk.js';

const api = useApi();

const deliver = (mail: Mail) => deliverMail(api, mail);

/** What the SES stand-in received for an address. */
async function mailTo(address: string) {
  return (await api.ses.messages()).filter((m) => m.to.includes(address));
}

async function onlyTicket(token: string) {
  const tickets = (await api.call('GET', '/v1/tickets', { token })).body.items;
  expect(tickets).toHaveLength(1);
  return tickets[0]!;
}

describe('The acknowledgement of a new ticket', () => {
  it('answers a first email once, from the support address, with the ticket number and the ticket’s reply address', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const customer = `${uniqueSlug('claire')}@myorg.test`;
    await deliver({ from: customer, to: supportEmail, subject: 'VPN is down', text: 'Since this morning.' });
    const ticket = await onlyTicket(account.token);

    const [ack, ...more] = await mailTo(customer);
    expect(more).toEqual([]);
    expect(ack!.subject).toContain(`#${ticket.number}`);
    expect(ack!.from).toContain(supportEmail);
    expect(ack!.replyTo).toMatch(new RegExp(`^${supportEmail.split('@')[0]}\\+[0-9a-f]{32}@`));
    expect(ack!.body).toContain('reply to this email');
  });

  it('is sent once, even when the same email is delivered twice, and not for a reply to the ticket', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const customer = `${uniqueSlug('twice')}@myorg.test`;
    const mail = { from: customer, to: supportEmail, subject: 'Twice', text: 'Hello', messageId: `<${uniqueSlug('m')}@myorg.test>` };
    await deliver(mail);
    await deliver(mail);
    const [ack] = await mailTo(customer);
    await deliver({ from: customer, to: ack!.replyTo, subject: 'Re: Twice', text: 'More detail' });
    expect(await mailTo(customer)).toHaveLength(1);
  });

  it('speaks the company’s effective language: German for a company set to de', async () => {
    const account = await signUpAccount(api);
    const { slug } = await addPortal(api, account);
    await api.call('PATCH', `/v1/companies/${account.defaultCompanyId}/settings`, { token: account.token, body: { language: 'de' } });
    const customer = `${uniqueSlug('anna')}@myorg.test`;
    const res = await portalRequest(api, slug, customer);
    expect(res.status).toBe(201);
    const [ack] = await mailTo(customer);
    expect(ack!.subject).toBe(`[#${res.body.ticket.number}] Wir haben Ihre Anfrage erhalten: My printer is on fire`);
    expect(ack!.body).toContain('antworten Sie einfach auf diese E-Mail');
  });

  it('never answers automated mail', async () => {
    const account = await signUpAccount(api);
    const { supportEmail } = await addPortal(api, account);
    const robot = `${uniqueSlug('robot')}@myorg.test`;
    await deliver({ from: robot, to: supportEmail, subject: 'Out of office', text: 'Away', headers: { 'Auto-Submitted': 'auto-replied' } });
    await deliver({ from: robot, to: supportEmail, subject: 'Newsletter', text: 'News', headers: { 'List-Id': '<news.myorg.test>' } });
    expect(await mailTo(robot)).toEqual([]);
  });
});
