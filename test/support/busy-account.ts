import { requireStatus, type TestApi } from './api.js';
import type { SignedUpAccount } from './fixtures.js';

/**
 * Makes the account busy: `count` unassigned tickets opened by its administrator, newer than
 * anything before, in parallel batches (each open races for the ticket counter).
 */
export async function openNewerTickets(api: TestApi, account: SignedUpAccount, count: number, batch = 10): Promise<void> {
  const endUser = requireStatus(
    await api.call('POST', '/v1/end-users', { token: account.token, body: { email: 'busy.requester@x.test', companyId: account.defaultCompanyId } }),
    201,
    'end user',
  ).body;
  for (let opened = 0; opened < count; opened += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - opened) }, async () =>
        requireStatus(
          await api.call('POST', '/v1/tickets', {
            token: account.token,
            body: { companyId: account.defaultCompanyId, endUserId: endUser.id, subject: 'Printer jam', description: 'Again.' },
          }),
          201,
          'newer ticket',
        ),
      ),
    );
  }
}
