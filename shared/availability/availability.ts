import { conditionHeld } from '../db/entity.js';
import type { WriteAction } from '../db/transaction.js';
import { getUserRecords, toUser, type User } from '../users/users.js';
import { asViewer, canSeeCompany } from '../companies/access.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { Conflict } from '../errors.js';
import { SeatRequired } from '../tickets/tickets.js';
import { availabilityEntity } from './entities.js';

/** `available` lapses by itself after this long without a renewing PUT. */
export const availabilityLapseSeconds = 10 * 60;

export type Availability = 'available' | 'away';

const now = () => Math.floor(Date.now() / 1000);

export async function setAvailability(principal: StaffPrincipal, status: Availability): Promise<{ status: Availability; until: string | null }> {
  const key = { accountId: principal.accountId, userId: principal.id };
  // Available means a customer may be connected live, which needs a remote support seat; away never does.
  if (status === 'available' && !principal.profile.seats.includes('remote_support')) throw new SeatRequired('remote_support');
  if (status === 'away') {
    await availabilityEntity.delete(key);
    return { status, until: null };
  }
  // Renew, else start afresh; a few rounds settle a race with the member's own other session (another tab).
  for (let attempt = 0; attempt < 3; attempt++) {
    const at = now();
    const until = at + availabilityLapseSeconds;
    const answer = { status, until: new Date(until * 1000).toISOString() };
    // Still available: a renewal moves the lapse only, so renewing never costs a technician their turn.
    if (await conditionHeld(availabilityEntity.update(key, { set: { until } }, { expiresAt: until, condition: { path: 'until', gt: at } }))) return answer;
    // Back from away (or a lapse): they start waiting now. Conditional, so a renewal at the same moment is not undone.
    const started = availabilityEntity.put(
      { ...key, until, waitingSince: new Date().toISOString() },
      { condition: { or: [{ itemExists: false }, { path: 'until', le: at }] }, expiresAt: until },
    );
    if (await conditionHeld(started)) return answer;
  }
  throw new Conflict('Your availability changed meanwhile; try again.');
}

/** A technician who may be connected live now, with the turn the connection is conditional on. */
export interface LiveCandidate {
  user: User;
  waitingSince: string;
}

/**
 * Who a live customer of the company would be connected to, in turn order: available now, with
 * access to the company (administrators: all) and a remote support seat, read fresh (a seat taken
 * back counts at once); the longest waiting first (ties by id, so every reader agrees). Consistent,
 * so a turn just taken is seen by the next request.
 */
export async function liveCandidates(accountId: string, companyId: string): Promise<LiveCandidate[]> {
  const available = await availabilityEntity.queryAll({ accountId }, { filter: { path: 'until', gt: now() }, consistent: true });
  if (available.length === 0) return [];
  // An item written before turns were kept has none: it has waited since its availability began, i.e. longest.
  const waiting = new Map(available.map((a) => [a.userId, a.waitingSince ?? '']));
  const users = (await getUserRecords(accountId, [...waiting.keys()])).map(toUser);
  return users
    .filter((u) => canSeeCompany(asViewer(u), companyId) && u.seats.includes('remote_support'))
    .map((user) => ({ user, waitingSince: waiting.get(user.id)! }))
    .sort((a, b) => a.waitingSince.localeCompare(b.waitingSince) || a.user.id.localeCompare(b.user.id));
}

/** The technician's turn went to another request meanwhile (or they went away or lapsed). */
export class TurnTaken extends Error {}

/**
 * Gives the candidate a live customer, for the customer's ticket transaction: they stay available
 * and go to the back of the turn order. Conditional on their turn being unchanged and their
 * availability current, so two requests racing for one turn never both get it (the loser fails
 * with `TurnTaken` and looks again).
 */
export function takeTurn(accountId: string, candidate: LiveCandidate): WriteAction {
  const turnUnchanged = candidate.waitingSince ? { path: 'waitingSince', eq: candidate.waitingSince } : { path: 'waitingSince', exists: false };
  return availabilityEntity.updateAction(
    { accountId, userId: candidate.user.id },
    { set: { waitingSince: new Date().toISOString() } },
    { condition: { and: [turnUnchanged, { path: 'until', gt: now() }] }, onFail: () => new TurnTaken() },
  );
}
