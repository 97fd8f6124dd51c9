import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { keptKeyPrefix } from './inbound-store.js';

/**
 * Where a whole raw email is kept when its ticket message can hold only part of it: accepted mail
 * is never lost. `keep` resolves only once the mail is stored, and returns the name it is kept by;
 * the same mail kept twice (a retried delivery) lands under the same name.
 */
export interface MailArchive {
  keep: (raw: Buffer) => Promise<string>;
}

const nameOf = (raw: Buffer) => `${createHash('sha256').update(raw).digest('hex')}.eml`;

/** In AWS: the inbound bucket, under a prefix its 30-day expiry does not cover. */
export function s3MailArchive(s3: S3Client, bucket: string): MailArchive {
  return {
    keep: async (raw) => {
      const key = `${keptKeyPrefix}${nameOf(raw)}`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: raw, ContentType: 'message/rfc822' }));
      return key;
    },
  };
}

/** Locally: a folder (under DATA_DIR for `npm start`, a temporary one in tests). */
export function localMailArchive(dir: string): MailArchive {
  return {
    keep: async (raw) => {
      await mkdir(dir, { recursive: true });
      const name = nameOf(raw);
      await writeFile(join(dir, name), raw);
      return name;
    },
  };
}
