import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, MethodNotAllowed, NotFound } from '../shared/errors.js';
import { errorResult } from '../shared/http/pipeline.js';
import { resolveRoute } from '../shared/http/routes.js';

/** Whatever the route table does not name: 405 for a known path with another method, else 404. */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  let resolved: ReturnType<typeof resolveRoute>;
  try {
    resolved = resolveRoute(event.requestContext.http.method, event.rawPath);
  } catch (err) {
    // Malformed percent-encoding in the path: 400, as on every other route.
    if (err instanceof AppError) return errorResult(err);
    throw err;
  }
  if ('allowed' in resolved && resolved.allowed.length > 0) return errorResult(new MethodNotAllowed(resolved.allowed));
  return errorResult(new NotFound('The route'));
};
