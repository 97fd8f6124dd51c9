import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { openApiDocument } from '../../shared/http/openapi.js';
import { resolveRoute, splitRouteKey } from '../../shared/http/routes.js';

// ajv-formats is CommonJS: its default export arrives wrapped or not, depending on the loader.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv2020) => Ajv2020;

interface OperationResponses {
  [status: string]: { $ref?: string; content?: { 'application/json'?: { schema: { $ref: string } } } };
}

type Document = ReturnType<typeof openApiDocument> & {
  paths: Record<string, Record<string, { operationId: string; responses: OperationResponses }>>;
  components: { responses: Record<string, { content: { 'application/json': { schema: { $ref: string } } } }> };
};

/** Built and compiled once per test file (each file has its own module instance). */
let state: { document: Document; ajv: Ajv2020; validators: Map<string, ValidateFunction> } | undefined;

function load() {
  if (!state) {
    const document = openApiDocument() as Document;
    const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
    ajv.addSchema({ components: document.components }, 'openapi.json');
    state = { document, ajv, validators: new Map() };
  }
  return state;
}

function validatorFor(ref: string): ValidateFunction {
  const { ajv, validators } = load();
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json${ref}` });
    validators.set(ref, validate);
  }
  return validate;
}

/** The schema reference of a response (`#/components/schemas/…`), following a shared error response. */
function bodySchemaRef(response: OperationResponses[string]): string | undefined {
  const { document } = load();
  const resolved = response.$ref ? document.components.responses[response.$ref.split('/').pop()!] : response;
  return resolved?.content?.['application/json']?.schema.$ref;
}

function checkBody(ref: string, body: unknown): string | undefined {
  const validate = validatorFor(ref);
  if (validate(body)) return undefined;
  const errors = validate.errors ?? [];
  // A format's pattern (zod spells date-time as both) says nothing the format error does not.
  const formatted = new Set(errors.filter((e) => e.keyword === 'format').map((e) => e.instancePath));
  const problems = errors
    .filter((e) => !(e.keyword === 'pattern' && formatted.has(e.instancePath)))
    .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.keyword === 'pattern' ? '' : ` ${JSON.stringify(e.params)}`}`);
  return `its body does not match ${ref}:\n  ${problems.slice(0, 10).join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 2000)}`;
}

/**
 * What is wrong with a response of the API, measured against the OpenAPI document: a status the
 * operation does not describe, or a body that does not match the status's schema. Undefined when
 * it conforms, or when the document does not cover it (local-only routes, bodies that are not JSON).
 */
export function responseProblem(method: string, url: string, status: number, contentType: string | null, body: unknown): string | undefined {
  const path = url.split('?')[0]!;
  if (!(path.startsWith('/v1/') || path === '/health')) return undefined;
  const isJson = contentType !== null && /^application\/(.+\+)?json\b/i.test(contentType);
  if (status !== 204 && !isJson) return undefined;
  // Only the route's template matters here: escaping `%` keeps malformed percent-encoding matchable.
  const resolved = resolveRoute(method, path.replace(/%/g, '%25'));
  const what = `${method} ${path} → ${status}`;
  if (!('key' in resolved)) {
    // Unknown route or wrong method: the catch-all's 404/405, in the contract's error shape.
    if (status !== 404 && status !== 405) return `${what}: the catch-all answers only 404 or 405`;
    return withContext(what, checkBody('#/components/schemas/Error', body));
  }
  const { document } = load();
  const template = splitRouteKey(resolved.key);
  const operation = document.paths[template.path]?.[template.method.toLowerCase()];
  if (!operation) return `${what}: the document has no operation for ${resolved.key}`;
  const response = operation.responses[String(status)];
  if (!response) {
    return `${what}: ${operation.operationId} does not describe status ${status} (it describes ${Object.keys(operation.responses).join(', ')}); body: ${JSON.stringify(body)?.slice(0, 500)}`;
  }
  const ref = bodySchemaRef(response);
  if (!ref) return body === undefined || body === '' ? undefined : `${what}: ${operation.operationId} describes no body for ${status}, yet one came`;
  return withContext(`${what} (${operation.operationId})`, checkBody(ref, body));
}

const withContext = (what: string, problem: string | undefined) => problem && `${what}: ${problem}`;
