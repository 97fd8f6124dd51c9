import { randomBytes } from 'node:crypto';

/**
 * A small MIME composer for the mail we send: UTF-8 text with an optional HTML alternative, base64
 * bodies and RFC 2047 encoded words. It is ours rather than nodemailer's MailComposer because that
 * one brings ~140 KB (a MIME-type table, attachment handling) into every Lambda that sends mail,
 * for features we never use; the tests parse its output with mailparser to hold it to the standard.
 */
export interface MimeMessage {
  from: string;
  to: string[];
  cc?: string[] | undefined;
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html?: string | undefined;
  messageId?: string | undefined;
  inReplyTo?: string | undefined;
  references?: string[] | undefined;
  headers?: Record<string, string>;
}

const crlf = '\r\n';
const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/**
 * Header text as one line: control characters (C0, DEL, C1) and Unicode line separators become
 * spaces, so no value, whatever it holds, can end its header and start another (`\r\nBcc: ...`).
 */
function oneLine(value: string): string {
  return value.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, ' ');
}

/** An addr-spec or message id token: printable ASCII without spaces or angle brackets, nothing else. */
const token = (value: string) => value.replace(/[^\x21-\x7e]|[<>]/g, '');

/** An address has no spaces: anything after its first word is not part of it. */
const addrSpec = (value: string) => token(value.trim().split(/\s+/)[0] ?? '');

/** `<id@host>` from a message id with or without its brackets. */
function messageIdOf(value: string): string {
  return `<${token(value.trim().replace(/^<|>$/g, ''))}>`;
}

/** RFC 2047 B-encoding in chunks that keep each encoded word under 76 characters. */
export function encodeWord(raw: string): string {
  const value = oneLine(raw);
  if (isAscii(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(`${crlf} `);
}

/** `Name <addr@x>` or `addr@x`, with the display name quoted or encoded as it needs. */
export function formatAddress(raw: string): string {
  const address = oneLine(raw);
  const match = address.match(/^\s*(.*?)\s*<([^>]+)>\s*$/);
  if (!match?.[1]) return `<${addrSpec(match?.[2] ?? address)}>`;
  const name = match[1].replace(/^"(.*)"$/, '$1');
  const display = isAscii(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : encodeWord(name);
  return `${display} <${addrSpec(match[2]!)}>`;
}

/** Header names are ours, never input; one that is not a field name is a bug to stop at once. */
function headerName(name: string): string {
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) throw new Error(`Not a header name: ${JSON.stringify(name)}`);
  return name;
}

function base64Body(content: string): string {
  return Buffer.from(content, 'utf8')
    .toString('base64')
    .replace(/.{1,76}/g, (line) => `${line}${crlf}`);
}

function textPart(type: 'plain' | 'html', content: string): string {
  return [`Content-Type: text/${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Body(content)].join(crlf);
}

export function composeMime(message: MimeMessage): Buffer {
  const domain = (message.from.match(/@([^>\s]+)/)?.[1] ?? 'localhost').toLowerCase();
  const headers: [string, string | undefined][] = [
    ['From', formatAddress(message.from)],
    ['To', message.to.map(formatAddress).join(', ')],
    ['Cc', message.cc?.length ? message.cc.map(formatAddress).join(', ') : undefined],
    ['Reply-To', message.replyTo ? formatAddress(message.replyTo) : undefined],
    ['Subject', encodeWord(message.subject)],
    ['Date', new Date().toUTCString().replace('GMT', '+0000')],
    ['Message-ID', messageIdOf(message.messageId ?? `${randomBytes(12).toString('hex')}@${domain}`)],
    ['In-Reply-To', message.inReplyTo ? messageIdOf(message.inReplyTo) : undefined],
    ['References', message.references?.length ? message.references.map(messageIdOf).join(' ') : undefined],
    ['MIME-Version', '1.0'],
    ...Object.entries(message.headers ?? {}).map(([name, value]): [string, string] => [headerName(name), encodeWord(value)]),
  ];
  const head = headers.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  if (!message.html) return Buffer.from([...head, textPart('plain', message.text)].join(crlf));
  const boundary = `=_alt_${randomBytes(12).toString('hex')}`;
  return Buffer.from(
    [
      ...head,
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      textPart('plain', message.text),
      `--${boundary}`,
      textPart('html', message.html),
      `--${boundary}--`,
      '',
    ].join(crlf),
  );
}
