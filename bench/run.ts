/**
 * `npm run bench`: what each operation costs (DynamoDB round trips and capacity units, as
 * DynamoDB Local reports them), each function's bundle size, and local latency and throughput of
 * `GET /v1/me` under concurrent load, and the live channel's message latency. Figures, not
 * assertions: tests never time anything.
 */
import { build } from 'esbuild';
import autocannon from 'autocannon';
import { resources } from '../shared/http/routes.js';
import { workers } from '../shared/workers.js';
import { bundling, externalModules } from '../infra/bundling.js';
import { startBenchSystem, type BenchSystem, type Measured } from './system.js';
import { scenarios } from './scenarios/index.js';
import { liveMessageLatency } from './scenarios/live.js';

async function bundleSizes(): Promise<{ name: string; kb: number }[]> {
  const out: { name: string; kb: number }[] = [];
  for (const name of [...Object.keys(resources), ...Object.keys(workers)]) {
    const result = await build({
      entryPoints: [`functions/${name}.ts`],
      bundle: true,
      minify: bundling.minify,
      platform: 'node',
      format: 'esm',
      target: bundling.target,
      mainFields: bundling.mainFields,
      external: externalModules,
      banner: { js: bundling.banner! },
      write: false,
    });
    out.push({ name, kb: Math.round((result.outputFiles[0]!.contents.length / 1024) * 10) / 10 });
  }
  return out;
}

function table(headers: string[], rows: (string | number)[][]) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => `| ${cells.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log();
}

async function load(system: BenchSystem, path: string, token: string) {
  const result = await autocannon({
    url: `${system.baseUrl}${path}`,
    connections: 10,
    duration: 5,
    headers: { authorization: `Bearer ${token}` },
  });
  return result;
}

async function main() {
  const system = await startBenchSystem();
  try {
    const rows: (string | number)[][] = [];
    const record = (operation: string, m: Measured) => {
      if (m.status >= 400) throw new Error(`${operation}: HTTP ${m.status} ${JSON.stringify(m.body)}`);
      rows.push([operation, m.status, m.roundTrips, m.readUnits, m.writeUnits, m.ms.toFixed(1)]);
    };
    const context = await scenarios(system, record);

    console.log('\nDynamoDB cost per operation (one request each, after warm-up)\n');
    table(['operation', 'status', 'round trips', 'RCU', 'WCU', 'ms (local)'], rows);

    console.log('Bundle size per function (minified, AWS SDK left to the runtime)\n');
    table(
      ['function', 'KB'],
      (await bundleSizes()).map((b) => [b.name, b.kb]),
    );

    const meLoad = await load(system, '/v1/me', context.adminToken);
    console.log('GET /v1/me under load (autocannon, 10 connections, 5 s, local server + DynamoDB Local)\n');
    table(
      ['route', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx'],
      [['GET /v1/me', meLoad.requests.total, meLoad.requests.average, meLoad.latency.p50, meLoad.latency.p99, meLoad.non2xx]],
    );

    const latency = await liveMessageLatency(system, context, 200);
    console.log('Live message latency (customer `send` frame → technician `message` frame, two local connections, one at a time)\n');
    table(
      ['path', 'messages', 'p50 ms', 'p99 ms', 'max ms'],
      [['customer → technician', latency.messages, latency.p50.toFixed(1), latency.p99.toFixed(1), latency.max.toFixed(1)]],
    );
  } finally {
    await system.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
