import nodemailer from 'nodemailer';
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
