import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { measureDbUsage } from '../shared/db/meter.js';
import { inboundObjectKey } from '../shared/email/inbound-store.js';
import { s3MailArchive } from '../shared/email/mail-archive.js';
import { receiveEmail } from '../shared/tickets/email-intake.js';

let s3: S3Client | undefined;

/**
 * The SES receipt rule's Lambda action: SES has stored the raw message in S3 and hands over its
 * headers, envelope and verdicts; the body is read from the bucket and goes through the same intake
 * as local SMTP mail. SES's virus verdict drops the mail, its spam verdict marks what it creates.
 * Lambda retries the asynchronous event on failure (the intake's Message-ID claim makes that safe),
 * then hands it to the dead-letter queue: the raw mail stays in the bucket meanwhile.
 */
export const handler = async (event: SESEvent): Promise<void> => {
  if (!config.INBOUND_BUCKET) throw new Error('INBOUND_BUCKET is not configured');
  // Created on the first event of a cold start, then reused.
  s3 ??= new S3Client({});
  const archive = s3MailArchive(s3, config.INBOUND_BUCKET);
  for (const record of event.Records) {
    const { mail, receipt } = record.ses;
    const verdicts = { virus: receipt.virusVerdict?.status === 'FAIL', spam: receipt.spamVerdict?.status === 'FAIL' };
    const object = await s3.send(new GetObjectCommand({ Bucket: config.INBOUND_BUCKET, Key: inboundObjectKey(mail.messageId) }));
    const raw = Buffer.from(await object.Body!.transformToByteArray());
    const { result, usage } = await measureDbUsage(() => receiveEmail(raw, { recipients: receipt.recipients, sender: mail.source, verdicts, archive }));
    logger.info('inbound email', { sesMessageId: mail.messageId, outcomes: result, dynamodb: usage });
  }
};
