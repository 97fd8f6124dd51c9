import { escapeHtml } from '../email/html.js';

/** The built pages' assets (`web/vite.config.ts` gives them fixed names). */
export const portalAssets = { script: '/assets/portal.js', style: '/assets/portal.css' } as const;
export const consoleAssets = { script: '/assets/console.js', style: '/assets/console.css' } as const;

/**
 * Scripts, styles and data only from the page's own origin; the API and the live channel may be on
 * another (API Gateway's), so connections go to any HTTPS or WSS origin. No third party is ever
 * loaded: no CDN, no web font.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https: wss:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  // The portal's title and language may change at any time, and a disabled portal must vanish.
  'cache-control': 'no-store',
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export interface PortalShell {
  slug: string;
  title: string;
  language: string;
}

/** JSON inside `<script>`: `<` escaped so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The customer portal's HTML: the title and language the server already knows (the page's first
 * paint and a screen reader's language are right before any script runs), the data the script
 * starts from, and the built script and style.
 */
export function portalShell(portal: PortalShell): string {
  const title = escapeHtml(portal.title);
  return `<!doctype html>
<html lang="${escapeHtml(portal.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${portalAssets.style}">
<script type="module" src="${portalAssets.script}"></script>
<script type="application/json" id="portal-data">${scriptJson(portal)}</script>
</head>
<body>
<main>
<h1>${title}</h1>
<div id="app"><noscript><p>This page needs JavaScript. You can also write to us by email.</p></noscript></div>
</main>
</body>
</html>
`;
}

/** What an unknown or disabled portal's address shows (with HTTP 404). */
export function notFoundPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${portalAssets.style}">
</head>
<body>
<main>
<h1>Page not found</h1>
<p>There is no support portal at this address. Please check the link you were given.</p>
</main>
</body>
</html>
`;
}

/**
 * The staff console's HTML: English until the account's `language` is known (it needs a signed-in
 * caller, so the script sets it), and the built script and style.
 */
export function consoleShell(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Desk Admin console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${consoleAssets.style}">
<script type="module" src="${consoleAssets.script}"></script>
</head>
<body>
<div id="app"><noscript><p>The console needs JavaScript.</p></noscript></div>
</body>
</html>
`;
}
