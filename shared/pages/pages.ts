import { NotFound } from '../errors.js';
import { resolvePortal } from '../portals/portals.js';
import { effectiveSettings } from '../settings/settings.js';
import { consoleShell, notFoundPage, portalShell } from './shell.js';

export interface Page {
  status: 200 | 404;
  html: string;
}

/** Slugs are at most this long (the portal's schema): a longer one names nothing, no read needed. */
const maxSlugLength = 63;

/**
 * The customer portal's page: its shell when the portal exists and is enabled, else the not-found
 * page with 404 (a person following a stale link learns it at once, and so does a crawler).
 */
export async function portalPage(slug: string): Promise<Page> {
  if (!slug || slug.length > maxSlugLength) return { status: 404, html: notFoundPage() };
  try {
    const { owner, portal } = await resolvePortal(slug);
    const { language } = await effectiveSettings(owner.accountId, owner.companyId);
    return { status: 200, html: portalShell({ slug, title: portal.title, language }) };
  } catch (error) {
    if (error instanceof NotFound) return { status: 404, html: notFoundPage() };
    throw error;
  }
}

/** The staff console's page: the same for everyone, the data comes after sign-in. */
export function consolePage(): Page {
  return { status: 200, html: consoleShell() };
}
