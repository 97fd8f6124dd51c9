import type { components, paths } from './openapi.js';

// The response types of the OpenAPI document's operations, found from the path as a test writes it.

export type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

type Template = keyof paths;

/** `/v1/users/{userId}` → `/v1/users/${string}`: the template with its parameters filled in. */
type Pattern<T extends string> = T extends `${infer Head}{${string}}${infer Tail}` ? `${Head}${string}${Pattern<Tail>}` : T;

type Written<T extends Template> = Pattern<T> | `${Pattern<T>}?${string}`;

/** A path of the document as a test writes it: ids filled in, maybe a query string. */
export type ApiPath = { [T in Template]: Written<T> }[Template];

type Fitting<P extends string> = { [T in Template]: [P] extends [Written<T>] ? T : never }[Template];

/**
 * `${string}` matches slashes too, so `/v1/users/${id}/seats/${seat}` also fits `/v1/users/{userId}`:
 * of the templates a path fits, its route is the one no other fitting template refines.
 */
type MostSpecific<T extends Template, All extends Template = T> = T extends Template
  ? [{ [U in Exclude<All, T>]: Pattern<U> extends Pattern<T> ? U : never }[Exclude<All, T>]] extends [never]
    ? T
    : never
  : never;

/** The route of a path; a union of paths (`${ListPath}?limit=1`) has the union of their routes. */
type Route<P extends string> = P extends string ? MostSpecific<Fitting<P>> : never;

type Operation<M extends Method, P extends string> = paths[Route<P>][Lowercase<M>];

/** The methods the document describes for a path (for every one of a union of paths). */
export type MethodOf<P extends string> = { [M in Method]: Operation<M, P> extends { responses: unknown } ? M : never }[Method];

type Responses<M extends Method, P extends string> = Operation<M, P> extends { responses: infer R } ? R : never;

// The three below distribute over a union of operations' responses.
type StatusOf<R> = R extends unknown ? keyof R : never;

type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : never;

type SuccessBody<R> = R extends unknown ? JsonBody<R[Extract<keyof R, 200 | 201>]> : never;

/** The contract's error envelope: `{ error: { code, message, details } }`. */
export type ErrorBody = components['schemas']['Error'];

/** One of the statuses the document describes for the operation (the client checks it). */
export type ResponseStatus<M extends Method, P extends string> = StatusOf<Responses<M, P>>;

/**
 * The operation's success body, with the error envelope's `error` optional beside it: the status
 * says which one came (tests check it first), and an error test reads `res.body.error?.code`. An
 * operation whose success has no content (204) answers the error envelope or nothing.
 */
export type ResponseBody<M extends Method, P extends string> = [SuccessBody<Responses<M, P>>] extends [never]
  ? ErrorBody | undefined
  : SuccessBody<Responses<M, P>> & Partial<ErrorBody>;
