import PostalMime from 'postal-mime';
import type { Address } from 'postal-mime';
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
  /** The top-level content type, lower-cased, without parameters (`multipart/report` for a delivery report). */
  contentType: string | undefined;
  /** Set when the mail came through a mailing list (`List-Id`). */
  listId: string | undefined;
  /** Set when the mail says it is an autoresponder's (`X-Autoreply`, `X-Autorespond`). */
  autoReplyHeader: boolean;
}

/**
 * Parsed with postal-mime: a maintained, dependency-free MIME parser (charsets through the
 * runtime's TextDecoder), a fraction of mailparser's size in the inbound Lambda's bundle.
 */
export async function parseInboundEmail(raw: Buffer | string): Promise<InboundEmail> {
  const mail = await PostalMime.parse(typeof raw === 'string' ? raw : new Uint8Array(raw));
  const header = (key: string) => mail.headers.find((h) => h.key === key)?.value;
  return {
    messageId: mail.messageId || undefined,
    inReplyTo: mail.inReplyTo?.trim() || undefined,
    references: (mail.references ?? '').match(/<[^>]+>/g) ?? [],
    from: addressesOf(mail.from ? [mail.from] : [])[0],
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    subject: mail.subject ?? '',
    text: (mail.text ?? (mail.html ? htmlToText(mail.html) : '')).trimEnd(),
    html: mail.html || undefined,
    autoSubmitted: headerToken(header('auto-submitted')),
    precedence: headerToken(header('precedence')),
    contentType: headerToken(header('content-type')),
    listId: header('list-id')?.trim() || undefined,
    autoReplyHeader: header('x-autoreply') !== undefined || header('x-autorespond') !== undefined,
  };
}

/**
 * Mail no ticket may come from: anything auto-submitted (RFC 3834), bulk or list mail, bounces and
 * delivery reports (a null envelope sender, `MAILER-DAEMON`, `multipart/report`), autoresponders
 * that say so only in `X-Autoreply`/`X-Autorespond`, and mail from one of our own addresses, which
 * would otherwise answer itself in a loop. Each sign alone is enough. `envelopeSender` is the SMTP
 * MAIL FROM when known (`''` for the null sender `<>`).
 */
export function isAutomatedMail(mail: InboundEmail, ownAddresses: string[], envelopeSender?: string): boolean {
  if (mail.autoSubmitted !== undefined && mail.autoSubmitted !== 'no') return true;
  if (mail.precedence !== undefined && automatedPrecedence.has(mail.precedence)) return true;
  if (mail.listId !== undefined || mail.autoReplyHeader || mail.contentType === 'multipart/report') return true;
  if (envelopeSender !== undefined && (envelopeSender.trim() === '' || isMailerDaemon(envelopeSender))) return true;
  if (mail.from === undefined) return false;
  if (isMailerDaemon(mail.from)) return true;
  const sender = baseAddress(mail.from);
  return ownAddresses.some((own) => baseAddress(own) === sender);
}

const isMailerDaemon = (address: string) => /^mailer-daemon(@|$)/i.test(address.trim().replace(/^<|>$/g, ''));

function addressesOf(list: Address[] | undefined): string[] {
  const mailboxes = (list ?? []).flatMap((a) => (a.group ? a.group : [a]));
  // Group syntax (`undisclosed-recipients:;`) and malformed entries carry no usable address.
  return mailboxes.flatMap((a) => (a.address && mailboxPattern.test(a.address) ? [a.address.toLowerCase()] : []));
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A readable text rendering of an HTML-only message: block ends become line breaks. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/p>/gi, '\n\n')
    .replace(/<br\s*\/?>|<\/(div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[\da-f]+|\w+);/gi, (m, e: string) =>
      e.startsWith('#x') || e.startsWith('#X')
        ? String.fromCodePoint(parseInt(e.slice(2), 16))
        : e.startsWith('#')
          ? String.fromCodePoint(Number(e.slice(1)))
          : (entities[e.toLowerCase()] ?? m),
    )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function headerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const token = value.split(';')[0]!.trim().toLowerCase();
  return token === '' ? undefined : token;
}
