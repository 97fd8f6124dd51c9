import { requireStatus, type TestApi } from './api.js';
import { password, uniqueSlug, type SignedUpAccount } from './fixtures.js';

/** Sets up the company's customer portal and returns its slug and support address. */
export async function addPortal(api: TestApi, account: SignedUpAccount, companyId = account.defaultCompanyId) {
  const slug = uniqueSlug('portal');
  const supportEmail = `help@${slug}.test`;
  const res = await api.call('PUT', `/v1/companies/${companyId}/portal`, {
    token: account.token,
    body: { slug, title: 'Help centre', enabled: true, supportEmail },
  });
  requireStatus(res, 200, 'portal');
  return { slug, supportEmail };
}

/** A strong end user of the company who has set their password from the set-password email. */
export async function addCustomer(api: TestApi, account: SignedUpAccount, companyId = account.defaultCompanyId) {
  const email = `${uniqueSlug('customer')}@x.test`;
  const created = await api.call('POST', '/v1/end-users', { token: account.token, body: { email, association: 'strong', companyId } });
  const { id } = requireStatus(created, 201, 'end user').body;
  const token = await setPasswordToken(api, email);
  requireStatus(await api.call('POST', '/v1/auth/set-password', { body: { token, password } }), 204, 'set password');
  return { id, email };
}

export async function portalRequest(api: TestApi, slug: string, email = `${uniqueSlug('cust')}@customer.test`, extra: Record<string, unknown> = {}) {
  return api.call('POST', `/v1/portals/${slug}/requests`, {
    body: { email, subject: 'My printer is on fire', description: 'Smoke everywhere. Please help.', ...extra },
  });
}

/** The set-password token from the newest set-password email to that address in the SES stand-in. */
export async function setPasswordToken(api: TestApi, email: string): Promise<string> {
  const messages = await api.ses.messages();
  const links = messages
    .filter((m) => m.to.some((t) => t.toLowerCase().includes(email.toLowerCase())))
    .map((m) => m.body.match(/[?&]token=([^\s&]+)/))
    .filter((match): match is RegExpMatchArray => match !== null);
  const match = links.at(-1);
  if (!match) throw new Error(`no set-password email for ${email}`);
  return decodeURIComponent(match[1]!);
}
