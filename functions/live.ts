import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { measureDbUsage } from '../shared/db/meter.js';
import { AppError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import { connect, disconnect, receiveFrame } from '../shared/live/live.js';

type Result = APIGatewayProxyStructuredResultV2;

/** The live channel's routes; `$default` answers through the route response (API Gateway sends its body to the client). */
async function route(event: APIGatewayProxyWebsocketEventV2): Promise<Result> {
  const { routeKey, connectionId } = event.requestContext;
  switch (routeKey) {
    case '$connect':
      await connect(event.queryStringParameters?.token, connectionId);
      return { statusCode: 200 };
    case '$disconnect':
      await disconnect(connectionId);
      return { statusCode: 200 };
    default: {
      const frame = await receiveFrame(connectionId, event.body);
      return frame ? { statusCode: 200, body: JSON.stringify(frame) } : { statusCode: 200 };
    }
  }
}

/** A refused `$connect` answers its status (401): API Gateway then refuses the upgrade. */
const refusals: middy.MiddlewareObj<APIGatewayProxyWebsocketEventV2, Result> = {
  onError: (request) => {
    if (request.error instanceof AppError) request.response = { statusCode: request.error.status };
  },
};

/** The WebSocket API's Lambda: `$connect`, `$default` and `$disconnect`, by the event's route key. */
export const handler = middy<APIGatewayProxyWebsocketEventV2, Result>()
  .use(refusals)
  .handler(async (event) => {
    const { result, usage } = await measureDbUsage(() => route(event));
    logger.info('live', { route: event.requestContext.routeKey, connectionId: event.requestContext.connectionId, status: result.statusCode, dynamodb: usage });
    return result;
  });
