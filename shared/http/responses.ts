import * as z from 'zod';
import type { ZodType } from 'zod';

/**
 * Building blocks of the response schemas. Responses are open objects (`z.looseObject`): a field
 * added later does not break a client that validates against today's document.
 */

/** Every response body schema, by its name in the OpenAPI document (`#/components/schemas/<id>`). */
export const responseSchemas = z.registry<{ id: string }>();

/** Names a response schema in the document, with its description and examples. */
export function named<T extends ZodType>(id: string, schema: T, meta: { description?: string; examples?: z.output<T>[] } = {}): T {
  const described = (Object.keys(meta).length ? schema.meta(meta) : schema) as ZodType;
  described.register(responseSchemas, { id });
  return described as T;
}

/** Every `…At` field: an ISO 8601 UTC instant, nothing else (api.md "Timestamps"). */
export const instant = z.iso.datetime();

/** A `GET` collection's page: `{items, nextCursor}`, named `<Item>Page` in the document. */
export function pageOf<T extends ZodType>(itemName: string, item: T) {
  return named(
    `${itemName}Page`,
    z.looseObject({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as `?cursor=` for the next page; null on the last page'),
    }),
  );
}

export const errorSchema = named(
  'Error',
  z.looseObject({
    error: z.looseObject({
      code: z.string().describe('snake_case, e.g. `validation_failed`, `not_found`, `seat_limit_reached`'),
      message: z.string().describe('A sentence for people'),
      details: z.array(z.looseObject({ path: z.string(), message: z.string() })),
    }),
  }),
  { examples: [{ error: { code: 'validation_failed', message: 'The body is not valid.', details: [{ path: 'name', message: 'Required' }] } }] },
);

export const healthSchema = named('Health', z.looseObject({ status: z.literal('ok') }));

export const openApiSchema = named('OpenApiDocument', z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }), {
  description: 'This document',
});
