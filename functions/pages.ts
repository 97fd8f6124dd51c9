import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../shared/logger.js';
import { consolePage, portalPage } from '../shared/pages/pages.js';
import { pageHeaders } from '../shared/pages/shell.js';
import type { pageRoutes } from '../shared/pages/routes.js';

type PageRouteKey = keyof typeof pageRoutes;

/**
 * Web pages answer HTML, also when there is nothing to show (a 404 page, not the JSON error), so
 * this handler stands outside the JSON pipeline, as the fallback does.
 */
export const handler = Object.assign(
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const page = event.routeKey === 'GET /console' ? consolePage() : await portalPage(event.pathParameters?.slug ?? '');
    logger.info('request', { requestId: event.requestContext?.requestId, route: event.routeKey, status: page.status });
    return { statusCode: page.status, headers: { ...pageHeaders }, body: page.html };
  },
  { routeKeys: ['GET /p/{slug}', 'GET /console'] satisfies PageRouteKey[] as PageRouteKey[] },
);
