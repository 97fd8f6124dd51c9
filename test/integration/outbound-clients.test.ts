import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSesStandIn, startSnsStandIn } from '../../local/stand-ins.js';

let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let sns: Awaited<ReturnType<typeof startSnsStandIn>>;
let sendEmail: typeof import('../../shared/clients/ses.js').sendEmail;
let sendSms: typeof import('../../shared/clients/sns.js').sendSms;

beforeAll(async () => {
  ses = await startSesStandIn();
  sns = await startSnsStandIn();
  // Configuration is read when the client modules load: point them at the stand-ins first.
  process.env.SES_ENDPOINT = ses.endpoint;
  process.env.SNS_ENDPOINT = sns.endpoint;
  ({ sendEmail } = await import('../../shared/clients/ses.js'));
  ({ sendSms } = await import('../../shared/clients/sns.js'));
});

afterAll(async () => {
  await ses.close();
  await sns.close();
});

beforeEach(async () => {
  await ses.clear();
  sns.clear();
});

describe('Email goes out through SES', () => {
  it('delivers recipients, subject and both bodies, and returns the SES message id', async () => {
    const id = await sendEmail({
      from: 'support@acme.test',
      to: ['claire.johnson@myorg.org'],
      cc: ['tech@acme.test'],
      subject: 'Your ticket: Drucker im Büro',
      text: 'We are on it.',
      html: '<p>We are on it.</p>',
      inReplyTo: '<first@myorg.org>',
      references: ['<first@myorg.org>'],
    });

    expect(await ses.messages()).toEqual([
      expect.objectContaining({
        id,
        channel: 'email',
        to: ['claire.johnson@myorg.org', 'tech@acme.test'],
        subject: 'Your ticket: Drucker im Büro',
        body: 'We are on it.',
        html: '<p>We are on it.</p>',
      }),
    ]);
  });
});

describe('SMS goes out through SNS', () => {
  it('publishes the text to the phone number and returns the SNS message id', async () => {
    const id = await sendSms('+4915112345678', 'Critical: server ACME-DC01 is offline');

    expect(sns.messages()).toEqual([expect.objectContaining({ id, channel: 'sms', to: ['+4915112345678'], body: 'Critical: server ACME-DC01 is offline' })]);
  });

  it('rejects when SNS cannot deliver to the number', async () => {
    sns.failingNumbers.add('+15550100');

    await expect(sendSms('+15550100', 'Critical: disk full')).rejects.toThrow();
    expect(sns.messages()).toEqual([]);
  });
});
