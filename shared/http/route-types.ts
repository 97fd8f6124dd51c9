import type { ZodType } from 'zod';

/** Who may call a route: anyone, any signed-in caller, administrators and technicians, administrators. */
export type Access = 'public' | 'signed_in' | 'staff' | 'admin';

export interface RouteDefinition {
  /** The resource whose Lambda (`functions/<resource>.ts`) serves the route. */
  resource: string;
  access: Access;
  summary: string;
  body?: ZodType;
  query?: ZodType;
  /** Also open to a monitoring integration's key (`POST /v1/alerts`). */
  integrationKeys?: boolean;
  /** Path parameters beyond plain ids (e.g. a seat's module); operations get its output. */
  params?: ZodType<Record<string, string>>;
  /** Answers with an HTML page (`text/html`, its 404 a not-found page), not JSON: the web pages. */
  html?: true;
  /**
   * Answers in its own protocol (`scim`: SCIM's media type, errors and authentication): its function
   * gets the raw API Gateway event, not the JSON pipeline, and the OpenAPI document (which describes
   * `/v1` and `/health`) leaves it out. Its key may be `ANY` and end in a greedy `{proxy+}`.
   */
  protocol?: 'scim';
  /**
   * The Bot Framework messaging endpoint: its Authorization header carries a Bot Framework token,
   * which the resource's own verifier checks against the raw activity before anything reads the body.
   */
  botFramework?: true;
  /** Answers with a token (sign-in, sign-up): its response is never stored for Idempotency-Key replays. */
  issuesToken?: boolean;
  /** The operation's name in the OpenAPI document: a camelCase identifier (`listTickets`). */
  operationId: string;
  /** Each success status with its body schema (a named schema of a `responses.ts`); 204 has none. */
  responses: SuccessResponses;
  /** Error statuses beyond those the route's kind implies (see `errorStatuses` in openapi.ts). */
  errors?: readonly ErrorStatus[];
}

export interface SuccessResponses {
  200?: ZodType;
  201?: ZodType;
  204?: null;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

export interface ResourceDefinition {
  /** Table actions the resource's function is granted: least privilege per function. */
  table: 'none' | 'read' | 'readWrite';
  /** Outbound channels the function may use. */
  sends?: ('email' | 'sms' | 'teams')[];
  /** Needs the token signing secret (signs or verifies tokens). */
  tokens: boolean;
}
