import { requireStatus, type TestApi } from './api.js';
import type { SignedUpAccount } from './fixtures.js';
import { addStaff, type StaffOptions } from './staff.js';

/** A technician of the account's default company with these seats who says they are available. */
export async function availableTechnician(
  api: TestApi,
  account: SignedUpAccount,
  seats: StaffOptions['seats'] = ['remote_support', 'service_desk'],
  options: Omit<StaffOptions, 'seats'> = {},
) {
  const tech = await addStaff(api, account, { ...options, seats });
  await becomeAvailable(api, tech.token);
  return tech;
}

export async function becomeAvailable(api: TestApi, token: string) {
  requireStatus(await api.call('PUT', '/v1/me/availability', { token, body: { status: 'available' } }), 200, 'availability');
}
