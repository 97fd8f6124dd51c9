import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listen } from './net.js';

/**
 * Local stand-ins for the outbound services. The product code talks to them through the real
 * `@aws-sdk/client-ses` and `@aws-sdk/client-sns` clients, with only the endpoint overridden (and
 * to the Bot Framework's, local/bot-framework.ts, over its HTTP API).
 */
export interface OutboxItem {
  id: string;
  /** `teams`: a message the bot posted into a conversation (`to` is the conversation id). */
  channel: 'email' | 'sms' | 'teams';
  /** Email only: the From header as sent (`Name <address>` or an address). */
  from?: string;
  /** Email only, when the mail had one. */
  replyTo?: string;
  to: string[];
  subject?: string;
  body: string;
  html?: string;
  headers?: Record<string, string>;
  sentAt: string;
}

export interface StandIn {
  endpoint: string;
  close: () => Promise<void>;
}

const closeServer = (server: Server) => () => new Promise<void>((r) => server.close(() => r()));

/** SES: the maintained `aws-ses-v2-local` server, which keeps what it receives in memory. */
export async function startSesStandIn(port = 0): Promise<StandIn & { messages: () => Promise<OutboxItem[]>; clear: () => Promise<void> }> {
  type StartSes = (config: { port: number; host: string }) => Promise<Server>;
  // A CommonJS module with `exports.default`: loaders disagree on how many `default`s to unwrap.
  const ses = (await import('aws-ses-v2-local')) as unknown as { default: StartSes | { default: StartSes } };
  const startSes = typeof ses.default === 'function' ? ses.default : ses.default.default;
  // It listens on the port it is given; ask the OS for a free one first.
  const { freePort } = await import('./net.js');
  const actualPort = port || (await freePort());
  const server = await startSes({ port: actualPort, host: '127.0.0.1' });
  const endpoint = `http://127.0.0.1:${actualPort}`;
  return {
    endpoint,
    close: closeServer(server),
    clear: async () => {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    messages: async () => {
      const store = (await (await fetch(`${endpoint}/store`)).json()) as {
        emails: {
          messageId: string;
          from: string;
          replyTo?: string[];
          destination: { to?: string[]; cc?: string[]; bcc?: string[] };
          subject: string;
          body: { text?: string; html?: string };
          at: number;
        }[];
      };
      // It keeps each address header as written ("A <a@x>, b@y"): read the addresses out of it.
      const addresses = (header: string) => header.match(/[^\s<>,"]+@[^\s<>,"]+/g) ?? [];
      return store.emails.map((e) => {
        const replyTo = (e.replyTo ?? []).flatMap(addresses)[0];
        return {
          id: e.messageId,
          channel: 'email' as const,
          from: e.from,
          ...(replyTo ? { replyTo } : {}),
          to: [...(e.destination.to ?? []), ...(e.destination.cc ?? []), ...(e.destination.bcc ?? [])].flatMap(addresses),
          subject: e.subject,
          body: e.body.text ?? '',
          ...(e.body.html ? { html: e.body.html } : {}),
          sentAt: new Date(e.at * 1000).toISOString(),
        };
      });
    },
  };
}

/**
 * SNS: no usable npm emulator records SMS, so this small endpoint speaks SNS's query protocol for
 * `Publish` (form-encoded in, XML out) and keeps each message. Numbers listed in `failingNumbers`
 * answer with a server error, so delivery retries can be exercised.
 */
export async function startSnsStandIn(port = 0): Promise<StandIn & { messages: () => OutboxItem[]; clear: () => void; failingNumbers: Set<string> }> {
  const messages: OutboxItem[] = [];
  const failingNumbers = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const requestId = randomUUID();
      res.setHeader('content-type', 'text/xml');
      const phone = form.get('PhoneNumber');
      if (form.get('Action') !== 'Publish' || !phone || !form.get('Message')) {
        res.statusCode = 400;
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Only Publish to a PhoneNumber is supported locally</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
        return;
      }
      if (failingNumbers.has(phone)) {
        res.statusCode = 500;
        res.end(
          `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>Simulated failure</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
        return;
      }
      const messageId = randomUUID();
      messages.push({ id: messageId, channel: 'sms', to: [phone], body: form.get('Message')!, sentAt: new Date().toISOString() });
      res.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  const actual = await listen(server, port);
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    close: closeServer(server),
    messages: () => [...messages],
    clear: () => void messages.splice(0),
    failingNumbers,
  };
}
