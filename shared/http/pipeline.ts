import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z, ZodType } from 'zod';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AppError, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, UnsupportedMediaType, ValidationFailed } from '../errors.js';
import { logger as rootLogger } from '../logger.js';
import { measureDbUsage } from '../db/meter.js';
import { verifyToken } from '../auth/tokens.js';
import {
  loadIntegrationPrincipal,
  loadPrincipal,
  type EndUserPrincipal,
  type IntegrationPrincipal,
  type Principal,
  type StaffPrincipal,
} from '../auth/principal.js';
import { isIntegrationKey } from '../integrations/integration-keys.js';
import { abandonIdempotentRequest, beginIdempotentRequest, completeIdempotentRequest, type IdempotencyCaller, type IdempotencyClaim } from './idempotency.js';
import { routes, type Access, type RouteDefinition, type RouteKey, type ResourceName } from './routes.js';
import { zodDetails } from './validation.js';
import type { Actor } from '../audit/audit.js';

export const maxBodyBytes = 256 * 1024;

/** Ids are at most this long (api.md); a longer path parameter cannot name anything. */
export const maxPathParameterLength = 128;

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

type Infer<S> = S extends ZodType ? z.output<S> : undefined;
type RouteOf<K extends RouteKey> = (typeof routes)[K];
/** The `{name}` segments of a route key's path: `'GET /v1/tickets/{ticketId}'` → `'ticketId'`. */
type ParamNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;
/** Every path parameter a string, unless the route's `params` schema narrows it (a seat's module). */
type PathParams<K extends RouteKey> = {
  [N in ParamNames<K>]: RouteOf<K> extends { params: infer S } ? (N extends keyof Infer<S> ? Infer<S>[N] : string) : string;
};
/** The pipeline has already refused callers the route's access does not admit. */
type PrincipalFor<R extends { access: string }> = R['access'] extends 'public'
  ? Principal | undefined
  : R extends { integrationKeys: true }
    ? StaffPrincipal | IntegrationPrincipal
    : R['access'] extends 'staff' | 'admin'
      ? StaffPrincipal
      : StaffPrincipal | EndUserPrincipal;

/** What an operation receives: everything parsed, validated and authenticated. */
export interface ApiRequest<K extends RouteKey = RouteKey> {
  routeKey: K;
  params: PathParams<K>;
  body: RouteOf<K> extends { body: infer B } ? Infer<B> : undefined;
  query: RouteOf<K> extends { query: infer Q } ? Infer<Q> : undefined;
  principal: PrincipalFor<RouteOf<K>>;
  requestId: string;
  sourceIp: string;
  headers: Record<string, string | undefined>;
  logger: Logger;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

export type Operation<K extends RouteKey> = (req: ApiRequest<K>) => Promise<Reply>;
export type Operations<K extends RouteKey> = { [P in K]: Operation<P> };

/** The operation's request as the middlewares fill it in, before it is known to fit its route's types. */
interface RequestDraft {
  routeKey: RouteKey;
  params: Record<string, string>;
  body: unknown;
  query: unknown;
  principal: Principal | undefined;
  requestId: string;
  sourceIp: string;
  headers: Record<string, string | undefined>;
  logger: Logger;
}

/** The pipeline's state in middy's `request.internal`, set by `selectRoute` before any other middleware reads it. */
type PipelineInternal = {
  route: RouteDefinition;
  api: RequestDraft;
  idempotency?: IdempotencyClaim;
};

type PipelineMiddleware = middy.MiddlewareObj<Event, Result, Error, Context, PipelineInternal>;
/** An error can come before `selectRoute` has set the state. */
type FailedRequest = middy.Request<Event, Result, Error, Context, Partial<PipelineInternal>>;

function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

export function toResult(reply: Reply): Result {
  return {
    statusCode: reply.status,
    headers: {
      ...(reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...reply.headers,
    },
    body: reply.body === undefined ? '' : JSON.stringify(reply.body),
  };
}

function isRouteKey(key: string): key is RouteKey {
  return Object.hasOwn(routes, key);
}

/** Picks the operation for the event's route key (API Gateway sets it; so does the local server). */
const selectRoute = (resource: ResourceName): PipelineMiddleware => ({
  before: (request) => {
    const routeKey = request.event.routeKey;
    if (!isRouteKey(routeKey)) throw new NotFound('The route');
    const route: RouteDefinition = routes[routeKey];
    if (route.resource !== resource) throw new NotFound('The route');
    const headers = Object.fromEntries(Object.entries(request.event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
    request.internal.route = route;
    request.internal.api = {
      routeKey,
      params: (request.event.pathParameters ?? {}) as Record<string, string>,
      body: undefined,
      query: undefined,
      principal: undefined,
      requestId,
      sourceIp: request.event.requestContext?.http?.sourceIp ?? 'unknown',
      headers,
      logger: rootLogger.createChild({ persistentKeys: { requestId, route: routeKey } }),
    };
  },
});

/** Every failure becomes the contract's error shape; a 500 never leaks its message. */
const errorResponses = (): PipelineMiddleware => ({
  onError: (request: FailedRequest) => {
    const error = request.error;
    if (error instanceof AppError) {
      request.response = toResult({ status: error.status, body: errorBody(error) });
      return;
    }
    (request.internal.api?.logger ?? rootLogger).error('Unhandled error', error as Error);
    request.response = toResult({
      status: 500,
      body: { error: { code: 'internal_error', message: 'Something went wrong on our side.', details: [] } },
    });
  },
});

const rawBodyOf = (event: Event) => (event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '');

/** Checks a Bot Framework token against the activity it came with (shared/teams/verification.ts). */
export type BotFrameworkVerifier = (authorization: string | undefined, rawBody: string) => Promise<void>;

/** A Bot Framework route's token is verified before anything reads its body: a refused activity is not even parsed. */
const botFrameworkTokens = (verify: BotFrameworkVerifier | undefined): PipelineMiddleware => ({
  before: async (request) => {
    const { route, api } = request.internal;
    if (!route.botFramework) return;
    if (!verify) throw new Error(`${api.routeKey} needs a Bot Framework verifier`);
    await verify(api.headers.authorization, rawBodyOf(request.event));
  },
});

const parseJsonBody = (): PipelineMiddleware => ({
  before: (request) => {
    const { event } = request;
    const { route, api } = request.internal;
    if (!route.body) return;
    const raw = rawBodyOf(event);
    if (Buffer.byteLength(raw, 'utf8') > maxBodyBytes) throw new PayloadTooLarge(maxBodyBytes);
    const contentType = api.headers['content-type'];
    // A body must say it is JSON; a POST with no body needs no content type.
    if (raw.length > 0 && !(contentType && /^application\/(.+\+)?json\b/i.test(contentType))) {
      throw new UnsupportedMediaType();
    }
    try {
      api.body = raw.length === 0 ? undefined : JSON.parse(raw);
    } catch {
      throw new ValidationFailed('The body is not valid JSON.', [{ path: '', message: 'Malformed JSON' }]);
    }
  },
});

function allows(access: Access, principal: Exclude<Principal, { role: 'integration' }>): boolean {
  switch (access) {
    case 'public':
    case 'signed_in':
      return true;
    case 'staff':
      return principal.role === 'administrator' || principal.role === 'technician';
    case 'admin':
      return principal.role === 'administrator';
  }
}

/** Bearer token → the caller, loaded fresh so a changed role or a deleted user takes effect at once. */
const authenticate = (): PipelineMiddleware => ({
  before: async (request) => {
    const { route, api } = request.internal;
    const header = api.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) {
      if (route.access === 'public') return;
      throw new Unauthenticated();
    }
    if (route.access === 'public') return;
    const token = match[1]!;
    const principal = isIntegrationKey(token)
      ? route.integrationKeys
        ? await loadIntegrationPrincipal(token)
        : undefined
      : await loadPrincipal(await verifyToken(token));
    if (!principal) throw new Unauthenticated('The token is no longer valid.');
    if (principal.role !== 'integration' && !allows(route.access, principal)) throw new Forbidden();
    api.principal = principal;
  },
});

/** Schemas are compiled once at module load (zod objects in the route table); this only runs them. */
const validateRequest = (): PipelineMiddleware => ({
  before: (request) => {
    const { route, api } = request.internal;
    const tooLong = Object.entries(api.params).filter(([, value]) => value.length > maxPathParameterLength);
    if (tooLong.length) {
      throw new ValidationFailed(
        'The path is not valid.',
        tooLong.map(([name]) => ({ path: name, message: `At most ${maxPathParameterLength} characters` })),
      );
    }
    if (route.body) {
      const parsed = route.body.safeParse(api.body);
      if (!parsed.success) throw new ValidationFailed('The body is not valid.', zodDetails(parsed.error));
      api.body = parsed.data;
    }
    if (route.params) {
      const parsed = route.params.safeParse(api.params);
      if (!parsed.success) throw new ValidationFailed('The path is not valid.', zodDetails(parsed.error));
      api.params = { ...api.params, ...parsed.data };
    }
    if (route.query) {
      const parsed = route.query.safeParse(request.event.queryStringParameters ?? {});
      if (!parsed.success) throw new ValidationFailed('The query is not valid.', zodDetails(parsed.error));
      api.query = parsed.data;
    }
  },
});

/** The caller an idempotency record belongs to: the principal itself, or on public routes the client address. */
function idempotencyCaller(api: RequestDraft): IdempotencyCaller {
  const { principal } = api;
  return principal ? { accountId: principal.accountId, kind: principal.role, id: principal.id } : { sourceIp: api.sourceIp };
}

/**
 * `Idempotency-Key` on POST: the first response is stored (with a TTL) and replayed for repeats by
 * the same caller on the same concrete path. It runs after authentication and validation, so a
 * replay only ever answers a caller the route admits. Responses carrying a token are never stored.
 */
const idempotency = (): PipelineMiddleware => ({
  before: async (request) => {
    const { api, route } = request.internal;
    const key = api.headers['idempotency-key'];
    if (request.event.requestContext?.http?.method !== 'POST' || !key || route.issuesToken) return;
    if (key.length > 255) throw new ValidationFailed('Idempotency-Key is too long.', [{ path: 'Idempotency-Key', message: 'At most 255 characters' }]);
    const bodyHash = createHash('sha256')
      .update(JSON.stringify(api.body ?? null))
      .digest('hex');
    const path = request.event.rawPath ?? request.event.requestContext?.http?.path ?? '';
    const outcome = await beginIdempotentRequest({ caller: idempotencyCaller(api), path, key, bodyHash });
    if (outcome.kind === 'replay') {
      return { ...outcome.response, headers: { ...outcome.response.headers, 'idempotent-replayed': 'true' } };
    }
    request.internal.idempotency = { recordKey: outcome.recordKey, holder: outcome.holder };
    return undefined;
  },
  after: async (request) => {
    const claim = request.internal.idempotency;
    if (!claim || !request.response) return;
    const status = request.response.statusCode ?? 200;
    if (status < 300) await completeIdempotentRequest(claim, request.response);
    else await abandonIdempotentRequest(claim);
  },
  onError: async (request: FailedRequest) => {
    const claim = request.internal.idempotency;
    if (claim) await abandonIdempotentRequest(claim);
  },
});

/** Whether the resource's operations serve the route key (the route table says which resource does). */
function serves<K extends RouteKey>(operations: Operations<K>, key: RouteKey): key is K {
  return Object.hasOwn(operations, key);
}

/**
 * The one request pipeline every resource's Lambda uses: route selection, error shaping, body
 * parsing, authentication, validation and idempotency, then the operation for the route key. A
 * Bot Framework route's token is checked first, by the verifier its resource passes in.
 * DynamoDB usage is measured per invocation and logged with its outcome.
 */
export function resourceHandler<K extends RouteKey>(
  resource: ResourceName,
  operations: Operations<K>,
  options: { verifyBotFramework?: BotFrameworkVerifier } = {},
) {
  // middy hands its handler only (event, context), not `request.internal`: the last middleware
  // leaves the finished request with the context, which is the invocation's own object.
  const requests = new WeakMap<Context, RequestDraft>();
  const handOver: PipelineMiddleware = {
    before: (request) => {
      requests.set(request.context, request.internal.api);
    },
  };
  const pipeline = middy<Event, Result, Error, Context, PipelineInternal>()
    .use(selectRoute(resource))
    .use(errorResponses())
    .use(botFrameworkTokens(options.verifyBotFramework))
    .use(parseJsonBody())
    .use(authenticate())
    .use(validateRequest())
    .use(idempotency())
    .use(handOver)
    .handler(async (_event, context) => {
      const api = requests.get(context);
      if (!api || !serves(operations, api.routeKey)) throw new NotFound('The route');
      const operation: Operation<K> = operations[api.routeKey];
      // The middlewares above parsed and validated it against this route's schemas.
      return toResult(await operation(api as ApiRequest<K>));
    });

  const handler = async (event: Event, context: Context): Promise<Result> => {
    const started = performance.now();
    const { result, usage } = await measureDbUsage(() => pipeline(event, context));
    rootLogger.info('request', {
      requestId: event.requestContext?.requestId,
      route: event.routeKey,
      status: result.statusCode,
      durationMs: Math.round(performance.now() - started),
      dynamodb: usage,
    });
    return result;
  };
  // The route keys this handler serves, so tests can hold them against the route table.
  return Object.assign(handler, { routeKeys: Object.keys(operations) as K[] });
}

/** Who is making a change, for the audit trail. */
export function actorOf(req: Pick<RequestDraft, 'principal' | 'requestId' | 'sourceIp'>): Actor {
  if (!req.principal) throw new Unauthenticated();
  return { accountId: req.principal.accountId, actorId: req.principal.id, requestId: req.requestId, sourceIp: req.sourceIp };
}

/** The error reply for an AppError, for handlers outside the pipeline (the fallback route). */
export function errorResult(error: AppError): Result {
  return toResult({ status: error.status, body: errorBody(error) });
}
