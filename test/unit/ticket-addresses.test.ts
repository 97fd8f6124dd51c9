import { describe, expect, it } from 'vitest';
import {
  baseAddress,
  outboundMessageId,
  ticketIdFromAddress,
  ticketIdFromMessageId,
  ticketReplyAddress,
} from '../../shared/email/addresses.js';

describe('A ticket has its own reply address', () => {
  it('is the support address plus-tagged with the ticket id', () => {
    expect(ticketReplyAddress('tkt_abc123', 'support@acme.test')).toBe('support+t-tkt_abc123@acme.test');
  });

  it('replaces a tag the support address already has', () => {
    expect(ticketReplyAddress('tkt_abc123', 'Support+Portal@Acme.test')).toBe('support+t-tkt_abc123@acme.test');
  });

  it('gives the ticket id back from a reply address', () => {
    expect(ticketIdFromAddress(ticketReplyAddress('tkt_abc123', 'support@acme.test'))).toBe('tkt_abc123');
  });

  it.each(['support@acme.test', 'support+portal@acme.test', 'claire.johnson@myorg.org', 'not an address'])(
    'names no ticket for %s',
    (address) => {
      expect(ticketIdFromAddress(address)).toBeUndefined();
    },
  );

  it('refuses an id that could not travel inside an address', () => {
    expect(() => ticketReplyAddress('tkt abc@x', 'support@acme.test')).toThrow();
  });
});

describe('Our Message-IDs name the ticket they belong to', () => {
  it('is made of the ticket id and the message id at our domain', () => {
    expect(outboundMessageId('tkt_abc123', 'msg_77', 'acme.test')).toBe('<t-tkt_abc123.msg_77@acme.test>');
  });

  it('gives the ticket id back, with or without angle brackets', () => {
    const id = outboundMessageId('tkt_abc123', 'msg_77', 'acme.test');
    expect(ticketIdFromMessageId(id)).toBe('tkt_abc123');
    expect(ticketIdFromMessageId(id.slice(1, -1))).toBe('tkt_abc123');
  });

  it.each(['<CAF=x+abc@mail.gmail.com>', '<0100018c.ses@email.amazonses.com>', '<t-@acme.test>'])(
    'names no ticket for a foreign Message-ID %s',
    (id) => {
      expect(ticketIdFromMessageId(id)).toBeUndefined();
    },
  );
});

describe('An address is compared by the mailbox it delivers to', () => {
  it('ignores letter case and a plus tag', () => {
    expect(baseAddress(' Claire.Johnson+Printer@MyOrg.ORG ')).toBe('claire.johnson@myorg.org');
  });
});
