import type { TestApi } from './api.js';
import type { SignedUpAccount } from './fixtures.js';
import { addStaff } from './staff.js';

/** A technician of the account's default company with these seats who says they are available. */
export async function availableTechnician(
  api: TestApi,
  account: SignedUpAccount,
  seats: string[] = ['remote_support', 'service_desk'],
  options: Parameters<typeof addStaff>[2] = {},
) {
  const tech = await addStaff(api, account, options);
  for (const seat of seats) await api.call('PUT', `/v1/users/${tech.id}/seats/${seat}`, { token: account.token });
  await becomeAvailable(api, tech.token);
  return tech;
}

export async function becomeAvailable(api: TestApi, token: string) {
  const res = await api.call('PUT', '/v1/me/availability', { token, body: { status: 'available' } });
  if (res.status !== 200) throw new Error(`availability: ${res.status} ${JSON.stringify(res.body)}`);
}
