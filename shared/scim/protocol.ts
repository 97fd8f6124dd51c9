import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import SCIMMY from 'scimmy';
import { AppError } from '../errors.js';
import { GroupNameTaken } from '../end-users/groups.js';
import { logger } from '../logger.js';
import { EmailTaken } from '../users/emails.js';
import { coerceBooleans } from './attributes.js';
import { invalidSyntax, methodNotAllowed, resourceNotFound, ScimError } from './errors.js';
import { groupsEndpoint } from './group-resource.js';
import { errorReply, maxCount, reply, type Result, type ScimRequest } from './messages.js';
import { scimPathPrefix } from './routes.js';
import { resolveScimToken } from './tokens.js';
import { usersEndpoint } from './user-resource.js';

/**
 * `/scim/v2` (RFC 7643/7644 as Entra ID's provisioning service speaks them). scimmy does the
 * protocol's generic parts: the discovery documents, filter parsing and the User PatchOp. We add
 * what Entra sends beyond the RFC (`op` in any case, `"True"`/`"False"` booleans, its member forms),
 * the bearer token → company, the mapping to end users and groups, and finding them by key reads.
 */
const maxBodyBytes = 256 * 1024;

SCIMMY.Config.set({
  patch: true,
  filter: { supported: true, maxResults: maxCount },
  bulk: false,
  sort: false,
  etag: false,
  changePassword: false,
  authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'A SCIM token from POST /v1/scim-tokens', primary: true }],
});

async function discovery(req: ScimRequest, read: () => Promise<unknown>): Promise<Result> {
  if (req.method !== 'GET') throw methodNotAllowed();
  if (req.segments.length > 1) throw resourceNotFound();
  return reply(200, await read());
}

function route(req: ScimRequest): Promise<Result> {
  switch (req.segments[0]) {
    case 'ServiceProviderConfig':
      return discovery(req, () => new SCIMMY.Resources.ServiceProviderConfig().read());
    case 'ResourceTypes':
      return discovery(req, () => new SCIMMY.Resources.ResourceType().read());
    case 'Schemas':
      return discovery(req, () => new SCIMMY.Resources.Schema().read());
    case 'Users':
      return usersEndpoint(req);
    case 'Groups':
      return groupsEndpoint(req);
    default:
      throw resourceNotFound();
  }
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return undefined;
  const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/scim+json' && type !== 'application/json') throw new ScimError(415, undefined, 'Send application/scim+json.');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > maxBodyBytes) throw new ScimError(413, undefined, 'The body is too large.');
  try {
    return coerceBooleans(JSON.parse(text));
  } catch {
    throw invalidSyntax('The body is not valid JSON.');
  }
}

/** A domain error in SCIM's terms: a taken address or name is RFC 7644's `uniqueness`, an invalid value `invalidValue`. */
function scimTypeOf(err: AppError): string | undefined {
  if (err instanceof EmailTaken || err instanceof GroupNameTaken) return 'uniqueness';
  return err.status === 400 ? 'invalidValue' : undefined;
}

/** Serves one `/scim/v2` request: token → company, then the SCIM operation; every error in SCIM's shape. */
export async function handleScimRequest(event: APIGatewayProxyEventV2): Promise<Result> {
  try {
    const path = event.rawPath.startsWith(scimPathPrefix) ? event.rawPath.slice(scimPathPrefix.length) : event.rawPath;
    const segments = path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const bearer = /^Bearer\s+(\S+)$/i.exec(event.headers.authorization ?? '')?.[1];
    const resolved = bearer ? await resolveScimToken(bearer) : undefined;
    if (!resolved) return errorReply(401, 'A valid SCIM token is required.');
    const body = parseBody(event);
    const host = event.headers.host ?? event.requestContext.domainName;
    const proto = event.headers['x-forwarded-proto'] ?? (/^(localhost|127\.)/.test(host) ? 'http' : 'https');
    return await route({
      method: event.requestContext.http.method.toUpperCase(),
      segments,
      query: Object.fromEntries(new URLSearchParams(event.rawQueryString)),
      body,
      baseUrl: `${proto}://${host}${scimPathPrefix}`,
      scope: {
        companyId: resolved.token.companyId,
        actor: {
          accountId: resolved.accountId,
          actorId: resolved.token.id,
          requestId: event.requestContext.requestId,
          sourceIp: event.requestContext.http.sourceIp,
        },
      },
    });
  } catch (err) {
    if (err instanceof ScimError) return errorReply(err.status, err.message, err.scimType);
    if (err instanceof URIError) return errorReply(400, 'Malformed percent-encoding.', 'invalidPath');
    if (err instanceof AppError) return errorReply(err.status, err.message, scimTypeOf(err));
    logger.error('scim request failed', { error: (err as Error).message, stack: (err as Error).stack });
    return errorReply(500, 'Internal error.');
  }
}
