import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { composeMime } from '../email/compose.js';
import { config } from '../config.js';
import { awsClientOptions } from './aws.js';

let client: SESClient | undefined;

/** Created on first use with the configuration of that moment, then reused. */
const ses = () => (client ??= new SESClient(awsClientOptions(config.SES_ENDPOINT)));

export interface OutgoingEmail {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /**
   * RFC 3834: mail the system sends on its own is `auto-generated`; an automatic answer to a
   * person's message (a ticket acknowledgement) is `auto-replied`. Either way autoresponders stay quiet.
   */
  autoSubmitted?: 'auto-generated' | 'auto-replied';
}

/**
 * Sends one email and returns the SES MessageId. It goes as raw MIME because SendEmail can carry
 * neither the threading headers (In-Reply-To, References) nor Auto-Submitted. SES replaces
 * Message-ID with its own on the way out, and the local stand-in keeps only addresses, subject and
 * bodies of a raw message: threading never relies on our Message-ID alone.
 */
export async function sendEmail(message: OutgoingEmail): Promise<string> {
  const out = await ses().send(
    // No Source: SES then takes the From header, which may carry an encoded non-ASCII display name.
    new SendRawEmailCommand({
      Destinations: [...message.to, ...(message.cc ?? [])],
      RawMessage: { Data: composeEmail(message) },
    }),
  );
  if (!out.MessageId) throw new Error('SES accepted the message but returned no MessageId');
  return out.MessageId;
}

/** The message as raw MIME, exactly as `sendEmail` hands it to SES. */
export function composeEmail(message: OutgoingEmail): Buffer {
  return composeMime({
    ...message,
    headers: {
      'Auto-Submitted': message.autoSubmitted ?? 'auto-generated',
      // Exchange ignores Auto-Submitted; without this its out-of-office replies would open tickets.
      'X-Auto-Response-Suppress': 'All',
    },
  });
}
