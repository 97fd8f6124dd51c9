import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { baseAddress } from './addresses.js';

const mailboxPattern = /^[^@\s]+@[^@\s]+$/;
// RFC 3834 names bulk, junk and list; some autoresponders mark themselves `auto_reply` instead.
const automatedPrecedence = new Set(['bulk', 'junk', 'list', 'auto_reply']);

/** An inbound email reduced to what ticket intake needs. Addresses are lower-cased. */
export interface InboundEmail {
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  from: string | undefined;
  to: string[];
  cc: string[];
  subject: string;
  /** The text part, or a text rendering of the HTML when the mail has no text part. */
  text: string;
  html: string | undefined;
  /** Lower-cased header values, without parameters (`auto-replied; owner=…` → `auto-replied`). */
  autoSubmitted: string | undefined;
  precedence: string | undefined;
}

export async function parseInboundEmail(raw: Buffer | string): Promise<InboundEmail> {
  // Neither the text-as-HTML rendering nor images inlined as data URLs are used: skip that work.
  const mail = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  return {
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []),
    from: addressesOf(mail.from)[0],
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: mail.html || undefined,
    autoSubmitted: headerToken(mail.headers.get('auto-submitted')),
    precedence: headerToken(mail.headers.get('precedence')),
  };
}

/**
 * Mail no ticket may come from (RFC 3834): anything auto-submitted, bulk or list mail, and mail from
 * one of our own addresses, which would otherwise answer itself in a loop.
 */
export function isAutomatedMail(mail: InboundEmail, ownAddresses: string[]): boolean {
  if (mail.autoSubmitted !== undefined && mail.autoSubmitted !== 'no') return true;
  if (mail.precedence !== undefined && automatedPrecedence.has(mail.precedence)) return true;
  if (mail.from === undefined) return false;
  const sender = baseAddress(mail.from);
  return ownAddresses.some((own) => baseAddress(own) === sender);
}

function addressesOf(header: AddressObject | AddressObject[] | undefined): string[] {
  const flatten = (list: EmailAddress[]): EmailAddress[] => list.flatMap((a) => (a.group ? flatten(a.group) : [a]));
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  // Group syntax (`undisclosed-recipients:;`) and malformed entries carry no usable address.
  return flatten(objects.flatMap((o) => o.value)).flatMap((a) =>
    a.address && mailboxPattern.test(a.address) ? [a.address.toLowerCase()] : [],
  );
}

function headerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const token = value.split(';')[0]!.trim().toLowerCase();
  return token === '' ? undefined : token;
}
