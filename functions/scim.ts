import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleScimRequest } from '../shared/scim/protocol.js';

/** `/scim/v2/*`: directory sync, outside the `/v1` route table (SCIM's own media type and errors). */
export const handler = (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => handleScimRequest(event);
