import { describe, expect, it } from 'vitest';
import { notFoundPage, portalShell } from '../../shared/pages/shell.js';

describe("The portal page's HTML shell", () => {
  it('names the portal in its title and heading, in the portal’s language', () => {
    const html = portalShell({ slug: 'acme-help', title: 'Acme Help', language: 'de' });
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<title>Acme Help</title>');
    expect(html).toContain('<h1>Acme Help</h1>');
  });

  it('cannot be broken out of by a title an administrator typed', () => {
    const title = '</script><script>alert(1)</script> & "friends"';
    const html = portalShell({ slug: 'x', title, language: 'en' });
    expect(html).not.toContain('<script>alert(1)');
    const data = html.match(/<script type="application\/json" id="portal-data">(.*?)<\/script>/)?.[1];
    expect(JSON.parse(data!)).toEqual({ slug: 'x', title, language: 'en' });
  });

  it('loads nothing from anyone else: its own script and style only', () => {
    const html = portalShell({ slug: 'x', title: 'T', language: 'en' }) + notFoundPage();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.filter((url) => !url!.startsWith('/') && url !== 'data:,')).toEqual([]);
  });
});
