import { WebSocket } from 'ws';
import type { TestApi } from './api.js';

/** A frame the server sent down the live channel. */
export type Frame = { type: string } & Record<string, unknown>;

const channelUrl = (api: TestApi, token: string) => `${api.baseUrl.replace(/^http/, 'ws')}/v1/live?token=${encodeURIComponent(token)}`;

/** A real WebSocket connection to the local live channel, as a browser would hold it. */
export class LiveClient {
  private readonly received: Frame[] = [];
  private readonly waiting: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      const waiter = this.waiting.findIndex((w) => w.match(frame));
      if (waiter >= 0) this.waiting.splice(waiter, 1)[0]!.resolve(frame);
      else this.received.push(frame);
    });
  }

  static open(api: TestApi, token: string): Promise<LiveClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(channelUrl(api, token));
      socket.once('open', () => resolve(new LiveClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(frame: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** The first frame (already received or still to come) that matches; fails after `timeoutMs`. */
  next(match: (f: Frame) => boolean = () => true, timeoutMs = 5_000): Promise<Frame> {
    const index = this.received.findIndex(match);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error(`no matching frame within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }

  /** Sends a frame and waits for the answer of the given type (or an error). */
  async request(frame: Record<string, unknown>, type: string): Promise<Frame> {
    const answer = this.next((f) => f.type === type || f.type === 'error');
    this.send(frame);
    return answer;
  }

  /** Frames that arrived and nobody waited for (to check that nothing else came). */
  get unread(): Frame[] {
    return [...this.received];
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** The HTTP status with which the server refused the upgrade (fails if it accepted). */
export function refusedUpgrade(api: TestApi, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(channelUrl(api, token));
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('error', () => undefined);
  });
}

/** Polls until `check` holds (for effects that follow a socket's close asynchronously). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition did not hold in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
