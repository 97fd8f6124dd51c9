import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { livePath } from './live-server.js';

/** What `vite build --config web/vite.config.ts` wrote (`npm start` and the tests build it first). */
export const pagesDistDir = fileURLToPath(new URL('../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The pages' static files, as S3 behind CloudFront serves them in AWS: the built assets, and
 * `config.json` telling the pages where the API and the live channel are (here: this very server,
 * as the browser reached it). Answers false for anything else.
 */
export async function servePageFile(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (url.pathname === '/config.json') {
    const host = req.headers.host ?? '127.0.0.1';
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(JSON.stringify({ apiUrl: `http://${host}`, liveUrl: `ws://${host}${livePath}` }));
    return true;
  }
  const asset = url.pathname.match(/^\/assets\/([\w.-]+)$/);
  if (!asset || !(extname(asset[1]!) in contentTypes)) return false;
  let body: Buffer;
  try {
    body = await readFile(`${pagesDistDir}assets/${asset[1]}`);
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': contentTypes[extname(asset[1]!)]!, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
