/** A message of a ticket, as REST and the live channel give it. */
export interface TicketMessage {
  id: string;
  author: { type: 'staff' | 'end_user'; id: string };
  body: string;
  createdAt: string;
}

/** What the server pushes (api.md "Live channel"). */
export type LiveFrame =
  | { type: 'message'; ticketId: string; message: TicketMessage }
  | { type: 'queue'; ticketId: string; position: number }
  | { type: 'assigned'; ticketId: string; technician: { id: string; firstName: string } }
  | { type: 'queue_changed'; companyId: string }
  | {
      type: 'history';
      ticketId: string;
      messages: TicketMessage[];
      more: boolean;
      technician: { id: string; firstName: string } | null;
      queue: { position: number } | null;
    }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' };

export interface LiveConnection {
  send: (frame: Record<string, unknown>) => boolean;
  close: () => void;
}

// API Gateway drops a WebSocket idle for 10 minutes: a ping well before keeps a waiting customer connected.
const pingEveryMs = 4 * 60_000;
const maxBackoffMs = 30_000;

/**
 * The live channel, reconnecting with backoff when the connection drops. The token rides in the
 * query string: browsers cannot set headers on a WebSocket.
 */
export function connectLive(
  liveUrl: string,
  token: string,
  handlers: { onFrame: (frame: LiveFrame) => void; onOpen?: () => void; onDrop?: () => void },
): LiveConnection {
  let socket: WebSocket | undefined;
  let closed = false;
  let attempt = 0;
  let ping: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const ws = new WebSocket(`${liveUrl}?token=${encodeURIComponent(token)}`);
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      ping = setInterval(() => ws.send(JSON.stringify({ action: 'ping' })), pingEveryMs);
      handlers.onOpen?.();
    });
    ws.addEventListener('message', (event) => {
      try {
        handlers.onFrame(JSON.parse(String(event.data)) as LiveFrame);
      } catch {
        // A frame that is not JSON is no frame of ours.
      }
    });
    ws.addEventListener('close', () => {
      clearInterval(ping);
      if (closed) return;
      handlers.onDrop?.();
      retry = setTimeout(open, Math.min(maxBackoffMs, 1000 * 2 ** attempt++));
    });
  };
  open();

  return {
    send: (frame) => {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    close: () => {
      closed = true;
      clearTimeout(retry);
      clearInterval(ping);
      socket?.close();
    },
  };
}
