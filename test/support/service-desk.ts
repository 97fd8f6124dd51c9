import type { TestApi } from './api.js';
import { uniqueSlug, type SignedUpAccount } from './fixtures.js';

/** Sets up the company's customer portal and returns its slug and support address. */
export async function addPortal(api: TestApi, account: SignedUpAccount, companyId = account.defaultCompanyId) {
  const slug = uniqueSlug('portal');
  const supportEmail = `help@${slug}.test`;
  const res = await api.call('PUT', `/v1/companies/${companyId}/portal`, {
    token: account.token,
    body: { slug, title: 'Help centre', enabled: true, supportEmail },
  });
  if (res.status !== 200) throw new Error(`portal: ${res.status} ${JSON.stringify(res.body)}`);
  return { slug, supportEmail };
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
