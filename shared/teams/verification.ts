import { decodeProtectedHeader, importJWK, jwtVerify, errors as joseErrors, type JWK } from 'jose';
import { config } from '../config.js';
import { Forbidden, Unauthenticated } from '../errors.js';
import { teamsAppId } from './connector.js';

/**
 * Verifies the Bot Framework token of every request to the messaging endpoint, as Microsoft's
 * "Authenticate requests from the Bot Connector service" says: RS256, signed by a key of the Bot
 * Framework's JWKS that is endorsed for Teams, issued by the Bot Framework for this app, unexpired
 * (with five minutes of clock skew), and issued for the very `serviceUrl` the activity names, so a
 * token cannot carry someone else's activity to us, nor send our answers elsewhere.
 */

const issuer = 'https://api.botframework.com';
const teamsChannel = 'msteams';
const clockSkewSeconds = 5 * 60;
/** Microsoft rotates its keys and asks callers to fetch them at least daily. */
const keysMaxAgeMs = 24 * 3600_000;
/** A token naming a key we do not have refetches the set, at most this often (a stranger's made-up kids cost nothing). */
const unknownKeyRefetchMs = 5 * 60_000;
const fetchTimeoutMs = 5_000;

/** A JWKS key as the Bot Framework publishes it: with the channels it is endorsed for. */
interface EndorsedKey extends JWK {
  endorsements?: string[];
}

interface KeySet {
  keys: EndorsedKey[];
  fetchedAt: number;
  /** Imported keys by kid, imported on first use. */
  imported: Map<string, Promise<CryptoKey | Uint8Array>>;
}

// Module scope: the keys outlive the invocation, for every request the warm Lambda serves.
let keySet: KeySet | undefined;
let lastFetchAt = 0;
let fetching: Promise<KeySet> | undefined;

function fetchKeySet(): Promise<KeySet> {
  fetching ??= (async () => {
    lastFetchAt = Date.now();
    const res = await fetch(config.TEAMS_JWKS_URL, { signal: AbortSignal.timeout(fetchTimeoutMs) });
    if (!res.ok) throw new Error(`The Bot Framework JWKS answered ${res.status}`);
    const body = (await res.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error('The Bot Framework JWKS has no keys');
    keySet = { keys: body.keys as EndorsedKey[], fetchedAt: Date.now(), imported: new Map() };
    return keySet;
  })().finally(() => {
    fetching = undefined;
  });
  return fetching;
}

/** The key a token names: from the cached set, refetched when it is old or (rate-limited) when the kid is new. */
async function keyFor(kid: string): Promise<{ set: KeySet; key: EndorsedKey } | undefined> {
  let set = keySet && Date.now() - keySet.fetchedAt < keysMaxAgeMs ? keySet : await fetchKeySet();
  let key = set.keys.find((k) => k.kid === kid);
  if (!key && Date.now() - lastFetchAt >= unknownKeyRefetchMs) {
    set = await fetchKeySet();
    key = set.keys.find((k) => k.kid === kid);
  }
  return key && { set, key };
}

const notValid = (why = 'The Bot Framework token is not valid.') => new Unauthenticated(why);

/** The activity's `serviceUrl`, if the body is a JSON object that has one (the body is validated only after the token). */
function serviceUrlOf(rawBody: string): string | undefined {
  try {
    const activity = JSON.parse(rawBody) as { serviceUrl?: unknown } | null;
    return typeof activity?.serviceUrl === 'string' ? activity.serviceUrl : undefined;
  } catch {
    return undefined;
  }
}

/**
 * No token: 401. A token that is malformed, signed by an unknown key or one not endorsed for Teams,
 * badly signed or expired: 401. A good token whose claims do not fit (issuer, audience, the
 * activity's serviceUrl): 403.
 */
export async function verifyBotFrameworkRequest(authorization: string | undefined, rawBody: string): Promise<void> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw new Unauthenticated('A Bot Framework token is required.');
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'RS256') throw notValid();
    kid = header.kid;
  } catch {
    throw notValid();
  }
  if (!kid) throw notValid();
  const found = await keyFor(kid);
  if (!found) throw notValid('The Bot Framework token is signed by an unknown key.');
  if (!found.key.endorsements?.includes(teamsChannel)) throw notValid('The Bot Framework token is signed by a key not endorsed for Teams.');
  let imported = found.set.imported.get(kid);
  if (!imported) {
    imported = importJWK(found.key, 'RS256');
    found.set.imported.set(kid, imported);
  }
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, await imported, {
      algorithms: ['RS256'],
      issuer,
      audience: teamsAppId(),
      clockTolerance: clockSkewSeconds,
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw notValid('The Bot Framework token has expired.');
    if (err instanceof joseErrors.JWTClaimValidationFailed && (err.claim === 'iss' || err.claim === 'aud')) {
      throw new Forbidden(`The Bot Framework token's ${err.claim} claim is not this app's.`);
    }
    throw notValid();
  }
  const serviceUrl = serviceUrlOf(rawBody);
  if (!serviceUrl || claims.serviceurl !== serviceUrl) throw new Forbidden('The Bot Framework token was not issued for this serviceUrl.');
}
