import { describe, expect, it } from 'vitest';
import { config } from '../../shared/config.js';
import {
  addressTag,
  baseAddress,
  isReservedAddress,
  newReplyToken,
  outboundMessageId,
  replyTokenFromMessageId,
  ticketReplyAddress,
} from '../../shared/email/addresses.js';

const token = '0123456789abcdef0123456789abcdef';

describe('A ticket is named in mail by an unguessable reply token, never by its id', () => {
  it('makes tokens of 128 random bits in lower-case hex, which survive a mail system changing case', () => {
    const tokens = new Set(Array.from({ length: 100 }, newReplyToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{32}$/);
  });

  it('puts the token as the plus tag of the support address', () => {
    expect(ticketReplyAddress(token, 'support@acme.test')).toBe(`support+${token}@acme.test`);
  });

  it('replaces a tag the support address already has', () => {
    expect(ticketReplyAddress(token, 'Support+Portal@Acme.test')).toBe(`support+${token}@acme.test`);
  });

  it('gives the tag back from an address, lower-cased, and nothing for an untagged one', () => {
    expect(addressTag(`Support+${token.toUpperCase()}@Acme.test`)).toBe(token);
    expect(addressTag('support@acme.test')).toBeUndefined();
  });

  it('refuses to build a reply address from a ticket id', () => {
    expect(() => ticketReplyAddress('tkt_abc123', 'support@acme.test')).toThrow();
  });
});

describe('Our Message-IDs carry the reply token', () => {
  it('is made of the token and the message id at our domain', () => {
    expect(outboundMessageId(token, 'msg_77', 'acme.test')).toBe(`<r-${token}.msg_77@acme.test>`);
  });

  it('gives the token back, with or without angle brackets', () => {
    const id = outboundMessageId(token, 'msg_77', 'acme.test');
    expect(replyTokenFromMessageId(id)).toBe(token);
    expect(replyTokenFromMessageId(id.slice(1, -1))).toBe(token);
  });

  it.each(['<CAF=x+abc@mail.gmail.com>', '<0100018c.ses@email.amazonses.com>', '<t-tkt_abc123.msg_77@acme.test>', '<r-short.msg@acme.test>'])(
    'names no ticket for the foreign or ticket-id Message-ID %s',
    (id) => {
      expect(replyTokenFromMessageId(id)).toBeUndefined();
    },
  );
});

describe("The platform's sender address is reserved", () => {
  const [local, domain] = config.MAIL_FROM.split('@');

  it.each([config.MAIL_FROM, config.MAIL_FROM.toUpperCase(), `${local}+x@${domain}`, `${local}+${token}@${domain!.toUpperCase()}`])(
    'reserves %s',
    (address) => {
      expect(isReservedAddress(address)).toBe(true);
    },
  );

  it.each([`help@${domain}`, `${local}@other.test`, 'not an address'])('leaves %s free', (address) => {
    expect(isReservedAddress(address)).toBe(false);
  });
});

describe('An address is compared by the mailbox it delivers to', () => {
  it('ignores letter case and a plus tag', () => {
    expect(baseAddress(' Claire.Johnson+Printer@MyOrg.ORG ')).toBe('claire.johnson@myorg.org');
  });
});
