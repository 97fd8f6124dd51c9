import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserServer } from 'playwright-core';
import { build } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's one Chromium listens (`chromium.connect`); empty when no page test runs. */
    browserEndpoint: string;
  }
}

const root = fileURLToPath(new URL('../../', import.meta.url));
export const chromiumPath = '/usr/bin/chromium';

/** Debian's Chromium on a closed network (stack-notes): no sandbox in containers, no background traffic. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.test.ts')).map((e) => relative(root, join(e.parentPath, e.name)));
}

/**
 * Whether this run includes page tests. Vitest matches its command-line filters as substrings of
 * test paths; words that match no test file at all (an option's value) filter nothing.
 */
async function runsPageTests(): Promise<boolean> {
  const all = await testFiles('test');
  const commands = ['run', 'watch', 'dev', 'related', 'list'];
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && !commands.includes(arg) && all.some((file) => file.includes(arg)));
  return filters.length === 0 || filters.some((filter) => all.some((file) => file.startsWith('test/pages/') && file.includes(filter)));
}

/**
 * When page tests run: builds the web pages from their current source and starts the run's one
 * Chromium (each test file connects to it, each test opens its own context). Otherwise builds them
 * only if they were never built.
 */
export async function startPages(provide: (endpoint: string) => void): Promise<() => Promise<void>> {
  const pageTests = await runsPageTests();
  // Other runs only need the pages to exist (the stack deploys them): rebuilding there would pull
  // the files from under a page test running beside them.
  if (pageTests || !existsSync(join(root, 'web/dist/assets'))) await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
  if (!pageTests) {
    provide('');
    return async () => undefined;
  }
  if (!existsSync(chromiumPath)) throw new Error(`Page tests need Chromium at ${chromiumPath}: apt-get install -y chromium`);
  const profile = await mkdtemp(join(tmpdir(), 'desk-admin-chromium-'));
  const server: BrowserServer = await chromium.launchServer({
    executablePath: chromiumPath,
    args: chromiumArgs,
    env: { ...process.env, HOME: profile },
  });
  provide(server.wsEndpoint());
  return async () => {
    await server.close();
    await rm(profile, { recursive: true, force: true });
  };
}
