import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyStructuredResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { WebSocketServer, type WebSocket } from 'ws';

/** Where the live channel is served locally (api.md: on the API's own port). */
export const livePath = '/v1/live';
/** API Gateway's management API, served by the local server itself: the real SDK client posts here. */
export const connectionsPrefix = '/@connections/';

type LiveHandler = (event: APIGatewayProxyWebsocketEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

let loaded: Promise<LiveHandler> | undefined;

/** The same module CDK bundles for the WebSocket API: `functions/live.ts`, loaded on first use. */
const liveHandler = () => (loaded ??= import(new URL('../functions/live.ts', import.meta.url).href).then((m: { handler: LiveHandler }) => m.handler));

interface Connection {
  socket: WebSocket;
  sourceIp: string;
  userAgent: string;
  connectedAt: number;
  lastActiveAt: number;
}

const context = (requestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'live',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:live',
  memoryLimitInMB: '1024',
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/live',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** API Gateway's WebSocket event for a route of one connection (`$connect` also carries the query string and headers). */
function event(
  routeKey: string,
  connectionId: string,
  connectedAt: number,
  extra: Partial<APIGatewayProxyWebsocketEventV2> & { headers?: Record<string, string> } = {},
): APIGatewayProxyWebsocketEventV2 {
  const now = new Date();
  const requestId = randomUUID();
  return {
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
      messageId: randomUUID(),
      extendedRequestId: requestId,
      requestId,
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      messageDirection: 'IN',
      stage: 'local',
      connectedAt,
      domainName: 'localhost',
      connectionId,
      apiId: 'local',
    },
    isBase64Encoded: false,
    ...extra,
  };
}

async function invoke(e: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return (await liveHandler())(e, context(e.requestContext.requestId));
}

/** API Gateway's connection ids look like this: 16 base64 characters, so they need encoding in a path. */
const newConnectionId = () => randomBytes(12).toString('base64');

function refuse(socket: Duplex, status: number, reason: string) {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function gone(res: ServerResponse) {
  res.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' });
  res.end(JSON.stringify({ message: 'The connection is gone.' }));
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The live channel as API Gateway runs it, on the local server: `ws` upgrades `/v1/live` after the
 * handler's `$connect` accepted it (any other answer refuses the upgrade with that status), hands
 * each frame to `$default` (its answer goes back down the socket, as a route response does) and a
 * close to `$disconnect`; `/@connections/{id}` posts to, describes or closes a connection, 410
 * `GoneException` for one that is not open.
 */
export function createLiveChannel() {
  const wss = new WebSocketServer({ noServer: true });
  const open = new Map<string, Connection>();

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== livePath) return refuse(socket, 404, 'Not Found');
    const connectionId = newConnectionId();
    const connectedAt = Date.now();
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const query = Object.fromEntries(url.searchParams);
    try {
      const result = await invoke(event('$connect', connectionId, connectedAt, { headers, queryStringParameters: query }));
      const status = result.statusCode ?? 200;
      if (status !== 200) return refuse(socket, status, status === 401 ? 'Unauthorized' : 'Refused');
    } catch (err) {
      console.error('live $connect failed', err);
      return refuse(socket, 500, 'Internal Server Error');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = {
        socket: ws,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
        connectedAt,
        lastActiveAt: connectedAt,
      };
      open.set(connectionId, connection);
      ws.on('message', (data, isBinary) => {
        connection.lastActiveAt = Date.now();
        const body = isBinary ? Buffer.from(data as Buffer).toString('base64') : data.toString();
        invoke(event('$default', connectionId, connectedAt, { body, isBase64Encoded: isBinary }))
          .then((result) => {
            if (result.body && ws.readyState === ws.OPEN) ws.send(result.body);
          })
          .catch((err) => console.error('live $default failed', err));
      });
      ws.on('close', () => {
        open.delete(connectionId);
        invoke(event('$disconnect', connectionId, connectedAt)).catch((err) => console.error('live $disconnect failed', err));
      });
    });
  }

  async function connections(req: IncomingMessage, res: ServerResponse, url: URL) {
    const connectionId = decodeURIComponent(url.pathname.slice(connectionsPrefix.length));
    const connection = open.get(connectionId);
    const body = await readAll(req);
    if (!connection || connection.socket.readyState !== connection.socket.OPEN) return gone(res);
    switch (req.method) {
      case 'POST':
        connection.socket.send(body.toString('utf8'));
        res.writeHead(200).end();
        return;
      case 'GET':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ConnectedAt: new Date(connection.connectedAt).toISOString(),
            LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
            Identity: { SourceIp: connection.sourceIp, UserAgent: connection.userAgent },
          }),
        );
        return;
      case 'DELETE':
        // As in AWS, the close then reaches `$disconnect`.
        connection.socket.close(1000);
        res.writeHead(204).end();
        return;
      default:
        res.writeHead(405).end();
    }
  }

  return {
    connections,
    /**
     * Serves the channel on the server's upgrades. Node's `closeAllConnections` leaves upgraded
     * sockets open, which would keep the server from closing: the server's own also ends these.
     */
    attach(server: Server) {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head));
      const closeHttp = server.closeAllConnections.bind(server);
      server.closeAllConnections = () => {
        for (const connection of open.values()) connection.socket.terminate();
        closeHttp();
      };
    },
  };
}
