import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { measureDbUsage } from '../shared/db/meter.js';
import { inboundObjectKey } from '../shared/email/inbound-store.js';
import { receiveEmail } from '../shared/tickets/email-intake.js';

const s3 = new S3Client({});

/**
 * The SES receipt rule's Lambda action: SES has stored the raw message in S3 and hands over its
 * headers; the body is read from the bucket and goes through the same intake as local SMTP mail.
 * Lambda retries the asynchronous event on failure; the intake's Message-ID claim makes that safe.
 */
export const handler = async (event: SESEvent): Promise<void> => {
  if (!config.INBOUND_BUCKET) throw new Error('INBOUND_BUCKET is not configured');
  for (const record of event.Records) {
    const { mail, receipt } = record.ses;
    const object = await s3.send(new GetObjectCommand({ Bucket: config.INBOUND_BUCKET, Key: inboundObjectKey(mail.messageId) }));
    const raw = Buffer.from(await object.Body!.transformToByteArray());
    const { result, usage } = await measureDbUsage(() => receiveEmail(raw, receipt.recipients));
    logger.info('inbound email', { sesMessageId: mail.messageId, outcomes: result, dynamodb: usage });
  }
};
