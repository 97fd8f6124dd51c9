import nodemailer from 'nodemailer';
import type { OutboxItem } from '../../local/stand-ins.js';
import type { TestApi } from './api.js';

export type Mail = Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0];

/** Sends a real SMTP message to the local inbound port, as a customer's mail server would. */
export async function deliverMail(api: TestApi, mail: Mail) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: api.smtpPort, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

/** The emails and texts the local outbox holds for one address, newest first. */
export async function outboxFor(api: TestApi, address: string): Promise<OutboxItem[]> {
  // A local-only route, outside the OpenAPI document: its shape is the local server's.
  const { items } = (await api.callRaw('GET', '/_local/outbox')).body as { items: OutboxItem[] };
  return items.filter((m) => m.to.includes(address));
}

export async function clearOutbox(api: TestApi) {
  await api.callRaw('DELETE', '/_local/outbox');
}
