import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransport } from 'nodemailer';
import { startSmtpServer, type RunningSmtpServer, type SmtpServerOptions } from '../../local/smtp.js';

const received: { raw: Buffer; envelope: { from: string; to: string[] } }[] = [];
let server: RunningSmtpServer;

beforeAll(async () => {
  server = await startSmtpServer({
    port: 0,
    acceptsRecipient: async (address) => address === 'support@acme.test',
    onMessage: async (raw, envelope) => {
      received.push({ raw, envelope });
    },
  });
});

afterAll(() => server.close());

beforeEach(() => {
  received.length = 0;
});

const transport = () => createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });

describe('The local SMTP server takes mail for known addresses', () => {
  it('listens on the port the OS chose when asked for port 0', () => {
    expect(server.port).toBeGreaterThan(0);
  });

  it('hands an accepted message over with its raw bytes and envelope', async () => {
    const info = await transport().sendMail({
      from: 'Claire Johnson <Claire.Johnson@myorg.org>',
      to: 'Support@Acme.test',
      subject: 'Printer',
      text: 'The printer is broken.',
      messageId: '<first@myorg.org>',
    });

    expect(info.accepted).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.envelope).toEqual({ from: 'claire.johnson@myorg.org', to: ['support@acme.test'] });
    const raw = received[0]!.raw.toString('utf8');
    expect(raw).toContain('Message-ID: <first@myorg.org>');
    expect(raw).toContain('Subject: Printer');
    expect(raw).toContain('The printer is broken.');
  });

  it('refuses an unknown recipient with 550 and hands nothing over', async () => {
    const sending = transport().sendMail({ from: 'claire@myorg.org', to: 'nobody@acme.test', subject: 'Hi', text: 'Hi' });

    await expect(sending).rejects.toMatchObject({ responseCode: 550 });
    expect(received).toHaveLength(0);
  });

  it('delivers to the known recipients of a message and refuses the others', async () => {
    const info = await transport().sendMail({ from: 'claire@myorg.org', to: ['support@acme.test', 'nobody@acme.test'], subject: 'Hi', text: 'Hi' });

    expect(info.rejected).toEqual(['nobody@acme.test']);
    expect(received.map((r) => r.envelope.to)).toEqual([['support@acme.test']]);
  });

  it('refuses a message over 10 MB with 552 and hands nothing over', async () => {
    const sending = transport().sendMail({ from: 'claire@myorg.org', to: 'support@acme.test', subject: 'Logs', text: 'x'.repeat(11 * 1024 * 1024) });

    await expect(sending).rejects.toMatchObject({ responseCode: 552 });
    expect(received).toHaveLength(0);
  });
});

/** Sends one mail to an SMTP server whose intake fails as given; answers what the sender was told. */
async function sendToFailingServer(failure: Partial<Pick<SmtpServerOptions, 'acceptsRecipient' | 'onMessage'>>) {
  const failing = await startSmtpServer({ port: 0, acceptsRecipient: async () => true, onMessage: async () => {}, ...failure });
  try {
    const sending = createTransport({ host: '127.0.0.1', port: failing.port, secure: false, ignoreTLS: true }).sendMail({
      from: 'claire@myorg.org',
      to: 'support@acme.test',
      subject: 'Hi',
      text: 'Hi',
    });
    return await sending.then(
      () => ({ responseCode: 250, response: '' }),
      (err: { responseCode: number; response: string }) => err,
    );
  } finally {
    await failing.close();
  }
}

describe('The local SMTP server never tells a sender its internal errors', () => {
  it('answers an unexpected failure with a generic temporary failure (451)', async () => {
    const told = await sendToFailingServer({
      onMessage: async () => {
        throw new Error('ValidationException: Item size has exceeded the maximum allowed size');
      },
    });
    expect(told.responseCode).toBe(451);
    expect(told.response).not.toContain('Item size');
  });

  it('answers a failed recipient lookup with 451, not a refusal', async () => {
    const told = await sendToFailingServer({
      acceptsRecipient: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
    });
    expect(told.responseCode).toBe(451);
    expect(told.response).not.toContain('Provisioned');
  });
});
