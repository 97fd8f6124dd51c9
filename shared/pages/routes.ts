import * as z from 'zod';
import type { ResourceDefinition, RouteDefinition } from '../http/route-types.js';
import { named } from '../http/responses.js';

export const pageResources = {
  pages: { table: 'read', tokens: false },
} as const satisfies Record<string, ResourceDefinition>;

export const htmlPageSchema = named('HtmlPage', z.string(), { description: 'An HTML page (`text/html`)' });

/**
 * The web pages' HTML: the customer portal's page is 404 for an unknown or disabled portal, so it is
 * served by a function, not straight from the bucket; the console's shell is served the same way, so
 * both pages carry the same security headers (CSP) from one place. Their assets are static.
 */
export const pageRoutes = {
  'GET /p/{slug}': {
    resource: 'pages',
    access: 'public',
    summary: "A customer portal's web page (HTML); an unknown or disabled portal's address answers 404 with a not-found page",
    html: true,
    operationId: 'getPortalPage',
    responses: { 200: htmlPageSchema },
  },
  'GET /console': {
    resource: 'pages',
    access: 'public',
    summary: "The staff console's web page (HTML): it signs in with `POST /v1/auth/login` and works through the API",
    html: true,
    operationId: 'getConsolePage',
    responses: { 200: htmlPageSchema },
  },
} as const satisfies Record<string, RouteDefinition>;
