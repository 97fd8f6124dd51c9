import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { fallbackRouteKey, resolveRoute, routes, type ResourceName } from '../shared/http/routes.js';
import { measureDbUsage } from '../shared/db/meter.js';
import { AppError } from '../shared/errors.js';
import { errorResult } from '../shared/http/pipeline.js';
import type { OutboxItem } from './stand-ins.js';
import type { BotFrameworkStandIn, DeliveredActivity } from './bot-framework.js';
import { connectionsPrefix, createLiveChannel } from './live-server.js';
import { servePageFile } from './pages.js';

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalServerOptions {
  /** Everything the SES and SNS stand-ins received. */
  outbox: { list: () => Promise<OutboxItem[]>; clear: () => Promise<void> };
  /** Schedule handlers by name, run on demand as EventBridge would. */
  schedules?: Record<string, () => Promise<unknown>>;
  /** The Bot Framework stand-in (local/bot-framework.ts), behind `/_local/teams/*`. */
  teams?: Pick<BotFrameworkStandIn, 'token'> & {
    deliver: (input: unknown) => Promise<DeliveredActivity>;
    install: (input: unknown) => Promise<DeliveredActivity>;
  };
}

// Bodies beyond this are refused here; smaller ones reach the handler, which enforces the API's limit.
const transportLimitBytes = 6 * 1024 * 1024;

const handlers = new Map<string, Promise<LambdaHandler>>();

/** The same handler module CDK bundles for the resource: `functions/<resource>.ts`. */
function handlerFor(resource: ResourceName | 'fallback'): Promise<LambdaHandler> {
  let loaded = handlers.get(resource);
  if (!loaded) {
    loaded = import(new URL(`../functions/${resource}.ts`, import.meta.url).href).then((m: { handler: LambdaHandler }) => m.handler);
    handlers.set(resource, loaded);
  }
  return loaded;
}

/**
 * An oversized body is read to its end and dropped rather than cut off: destroying the socket while
 * the client still sends resets the connection, and the client never sees the 413.
 */
function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > transportLimitBytes) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > transportLimitBytes ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Builds the API Gateway HTTP API (payload 2.0) event the deployed Lambda would receive. */
function toEvent(req: IncomingMessage, url: URL, body: Buffer, routeKey: string, params: Record<string, string> | undefined): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: params && Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? body.toString('utf8') : undefined,
    isBase64Encoded: false,
  };
}

function lambdaContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function handleLocalRoute(req: IncomingMessage, res: ServerResponse, url: URL, options: LocalServerOptions) {
  if (url.pathname === '/_local/outbox' && req.method === 'GET') {
    const items = await options.outbox.list();
    items.sort((a, b) => b.sentAt.localeCompare(a.sentAt));
    return sendJson(res, 200, { items });
  }
  if (url.pathname === '/_local/outbox' && req.method === 'DELETE') {
    await options.outbox.clear();
    res.writeHead(204).end();
    return;
  }
  const schedule = url.pathname.match(/^\/_local\/schedules\/([\w-]+)\/run$/);
  if (schedule && req.method === 'POST') {
    const run = options.schedules?.[schedule[1]!];
    if (!run) return sendJson(res, 404, { error: { code: 'not_found', message: 'No such schedule.', details: [] } });
    const result = await run();
    return sendJson(res, 200, { schedule: schedule[1], result: result ?? null });
  }
  const teamsRoute = url.pathname.match(/^\/_local\/teams\/(messages|install|token)$/)?.[1];
  if (options.teams && req.method === 'POST' && teamsRoute) {
    const body = await readBody(req);
    let input: unknown;
    try {
      input = body === 'too_large' || body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: { code: 'validation_failed', message: 'The body is not valid JSON.', details: [] } });
    }
    if (teamsRoute === 'token') return sendJson(res, 200, await options.teams.token(input));
    const { status, conversationId, activityId, dynamodb } = await (teamsRoute === 'install' ? options.teams.install(input) : options.teams.deliver(input));
    // The messaging endpoint's DynamoDB cost, as its own response carried it.
    if (dynamodb) res.setHeader('x-local-ddb', dynamodb);
    return sendJson(res, 200, { status, conversationId, activityId });
  }
  return sendJson(res, 404, { error: { code: 'not_found', message: 'The route was not found.', details: [] } });
}

/**
 * The local API: the route table served over HTTP by the same handlers the Lambdas run, each called
 * with an API Gateway v2 event. `/_local/*` exists only here. Each response carries the request's
 * DynamoDB cost in `x-local-ddb` for the benchmark.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const live = createLiveChannel();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/_local/')) return await handleLocalRoute(req, res, url, options);
      if (url.pathname.startsWith(connectionsPrefix)) return await live.connections(req, res, url);
      if (await servePageFile(req, res, url)) return;
      const body = await readBody(req);
      if (body === 'too_large') {
        return sendJson(res, 413, { error: { code: 'payload_too_large', message: 'The body is too large.', details: [] } });
      }
      const resolved = resolveRoute(req.method ?? 'GET', url.pathname);
      const routeKey = 'key' in resolved ? resolved.key : fallbackRouteKey;
      const resource = 'key' in resolved ? routes[resolved.key].resource : 'fallback';
      const event = toEvent(req, url, body, routeKey, 'key' in resolved ? resolved.params : undefined);
      const handler = await handlerFor(resource);
      const { result, usage } = await measureDbUsage(() => handler(event, lambdaContext(resource, event.requestContext.requestId)));
      res.writeHead(result.statusCode ?? 200, {
        ...(result.headers as Record<string, string>),
        'x-request-id': event.requestContext.requestId,
        'x-local-ddb': `roundTrips=${usage.roundTrips}; rcu=${usage.readUnits}; wcu=${usage.writeUnits}`,
      });
      res.end(result.body ?? '');
    } catch (err) {
      // A request the route table refuses before any handler runs (malformed percent-encoding).
      if (err instanceof AppError && !res.headersSent) {
        const result = errorResult(err);
        res.writeHead(result.statusCode ?? 500, result.headers as Record<string, string>);
        res.end(result.body);
        return;
      }
      console.error('local server error', err);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal_error', message: 'Local server error.', details: [] } });
      else res.end();
    }
  });
  live.attach(server);
  return server;
}
