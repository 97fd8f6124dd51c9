/**
 * Ticket threading through addresses and Message-IDs. A reply to a ticket's email either goes to
 * the ticket's plus-address (`support+t-<ticketId>@domain`) or names one of its Message-IDs
 * (`<t-<ticketId>.<messageId>@domain>`) in In-Reply-To/References; both carry the ticket id back.
 * Ids stay opaque; they only have to be made of letters, digits, `_` and `-` (as `newId` makes them),
 * which survive in a local part and a Message-ID unquoted.
 */
const idPattern = /^[A-Za-z0-9_-]+$/;
const replyAddressPattern = /^[^@\s+]+\+t-([A-Za-z0-9_-]+)@[^@\s]+$/;
const messageIdPattern = /^<?t-([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+@[^@\s<>]+>?$/;

function assertId(kind: string, id: string): void {
  if (!idPattern.test(id)) throw new Error(`${kind} ${JSON.stringify(id)} cannot be put into an address`);
}

function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) throw new Error(`${JSON.stringify(address)} is not an email address`);
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** The mailbox an address delivers to: lower-cased, without a `+tag`. */
export function baseAddress(address: string): string {
  const { local, domain } = splitAddress(address.trim().toLowerCase());
  return `${local.split('+')[0]}@${domain}`;
}

export function ticketReplyAddress(ticketId: string, supportAddress: string): string {
  assertId('Ticket id', ticketId);
  const { local, domain } = splitAddress(baseAddress(supportAddress));
  return `${local}+t-${ticketId}@${domain}`;
}

export function ticketIdFromAddress(address: string): string | undefined {
  return replyAddressPattern.exec(address.trim())?.[1];
}

export function outboundMessageId(ticketId: string, messageId: string, domain: string): string {
  assertId('Ticket id', ticketId);
  assertId('Message id', messageId);
  return `<t-${ticketId}.${messageId}@${domain}>`;
}

export function ticketIdFromMessageId(id: string): string | undefined {
  return messageIdPattern.exec(id.trim())?.[1];
}
