import type { Measured } from '../system.js';

/** What the first scenario sets up for the others: an account with its administrator. */
export interface BenchContext {
  adminToken: string;
  accountSlug: string;
  /** The account's Default company. */
  companyId: string;
}

export type Record = (operation: string, m: Measured) => void;

export const password = 'correct horse battery staple';
