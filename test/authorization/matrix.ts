import type { Persona, World } from './world.js';

export interface MatrixRequest {
  path: string;
  body?: unknown;
}

/**
 * One route's row: how to build its request (fresh for each persona, so a delete has something to
 * delete) and the status each persona must get.
 */
export interface MatrixEntry {
  request: (world: World, persona: Persona) => Promise<MatrixRequest> | MatrixRequest;
  expect: Record<Persona, number>;
}

/** Public routes: everyone gets the same answer. */
export const everyone = (status: number): Record<Persona, number> => ({
  anonymous: status,
  admin: status,
  technicianWithAccess: status,
  technicianWithoutAccess: status,
  otherAccountAdmin: status,
});

/** A read of something in company C1: hidden (404) outside C1 and outside the account. */
export const readInC1 = (status = 200): Record<Persona, number> => ({
  anonymous: 401,
  admin: status,
  technicianWithAccess: status,
  technicianWithoutAccess: 404,
  otherAccountAdmin: 404,
});

/** A read of the caller's own collection or account: every signed-in staff member gets it. */
export const staffRead = (status = 200): Record<Persona, number> => ({
  anonymous: 401,
  admin: status,
  technicianWithAccess: status,
  technicianWithoutAccess: status,
  otherAccountAdmin: status,
});

/** An administrator's write on an account-A resource: 403 for technicians, 404 for another account. */
export const adminWriteInA = (status: number): Record<Persona, number> => ({
  anonymous: 401,
  admin: status,
  technicianWithAccess: 403,
  technicianWithoutAccess: 403,
  otherAccountAdmin: 404,
});

/** An administrator's write on their own account's collection: another account's admin gets it too. */
export const adminWriteOwn = (status: number): Record<Persona, number> => ({
  anonymous: 401,
  admin: status,
  technicianWithAccess: 403,
  technicianWithoutAccess: 403,
  otherAccountAdmin: status,
});
