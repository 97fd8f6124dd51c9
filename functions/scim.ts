import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { measureDbUsage } from '../shared/db/meter.js';
import { logger } from '../shared/logger.js';
import { handleScimRequest } from '../shared/scim/protocol.js';
import { scimProtocolRouteKeys } from '../shared/scim/routes.js';

/**
 * `/scim/v2` and below (its protocol routes): directory sync in SCIM's own media type and errors,
 * not the JSON pipeline. DynamoDB usage is measured per request and logged with its outcome.
 */
const scim = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(async (event) => {
  const started = performance.now();
  const { result, usage } = await measureDbUsage(() => handleScimRequest(event));
  logger.info('request', {
    requestId: event.requestContext.requestId,
    route: event.routeKey,
    status: result.statusCode,
    durationMs: Math.round(performance.now() - started),
    dynamodb: usage,
  });
  return result;
});

// The route keys this handler serves, so tests can hold them against the route table.
export const handler = Object.assign(scim, { routeKeys: scimProtocolRouteKeys });
