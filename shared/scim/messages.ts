import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { invalidValue } from './errors.js';
import type { ScimScope } from './users.js';

export type Result = APIGatewayProxyStructuredResultV2;

const listResponseSchema = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const errorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** At most this many resources a page (ServiceProviderConfig's `filter.maxResults`). */
export const maxCount = 100;

/** Ids are at most 128 characters (api.md): a longer one names nothing. */
export const maxIdLength = 128;

/** One `/scim/v2` request, parsed and authenticated. */
export interface ScimRequest {
  method: string;
  /** The path below `/scim/v2`, split and decoded: `['Users', '<id>']`. */
  segments: string[];
  query: Record<string, string>;
  body: unknown;
  scope: ScimScope;
  /** `https://<host>/scim/v2`, for `meta.location` and `$ref`. */
  baseUrl: string;
}

export const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): Result => ({
  statusCode: status,
  headers: { ...(body !== undefined && { 'content-type': 'application/scim+json; charset=utf-8' }), ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

export const noContent = (): Result => reply(204);

export const errorReply = (status: number, detail: string, scimType?: string): Result =>
  reply(status, { schemas: [errorSchema], status: String(status), ...(scimType && { scimType }), detail });

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^-?\d+$/.test(value)) throw invalidValue(`${name} must be an integer.`);
  return Number(value);
}

/** RFC 7644 §3.4.2.4: a 1-based `startIndex` (below 1 counts as 1) and a `count` (at most `maxCount`, below 0 counts as 0). */
export function pageOf(query: Record<string, string>): { startIndex: number; count: number } {
  return {
    startIndex: Math.max(1, integer(query.startIndex, 1, 'startIndex')),
    count: Math.min(maxCount, Math.max(0, integer(query.count, maxCount, 'count'))),
  };
}

/** The page of a filter's answer (at most one resource, found by key). */
export function pageOfFound<T>(found: T | undefined, page: { startIndex: number; count: number }): { total: number; items: T[] } {
  return { total: found ? 1 : 0, items: found && page.startIndex === 1 ? [found].slice(0, page.count) : [] };
}

export const listResponse = (total: number, startIndex: number, resources: unknown[]): Result =>
  reply(200, { schemas: [listResponseSchema], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources });
