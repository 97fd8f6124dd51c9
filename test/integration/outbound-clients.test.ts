import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSesStandIn, startSnsStandIn } from '../../local/stand-ins.js';
import { sendEmail } from '../../shared/clients/ses.js';
import { sendSms } from '../../shared/clients/sns.js';

let ses: Awaited<ReturnType<typeof startSesStandIn>>;
let sns: Awaited<ReturnType<typeof startSnsStandIn>>;

beforeAll(async () => {
  ses = await startSesStandIn();
  sns = await startSnsStandIn();
  // Configuration is read on first use: the clients are made after this, pointed at the stand-ins.
  process.env.SES_ENDPOINT = ses.endpoint;
  process.env.SNS_ENDPOINT = sns.endpoint;
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
