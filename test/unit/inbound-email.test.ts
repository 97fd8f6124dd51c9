import { describe, expect, it } from 'vitest';
import { isAutomatedMail, parseInboundEmail } from '../../shared/email/inbound.js';

/** A raw message as it arrives over SMTP: header lines, a blank line, the body, CRLF line ends. */
const rawMail = (headers: string[], body: string) => [...headers, '', body].join('\r\n');

const plainHeaders = ['From: Claire Johnson <claire.johnson@myorg.org>', 'To: support@acme.test', 'Subject: Printer'];

describe('Inbound email is read into a plain message, whatever its encoding', () => {
  it('decodes an encoded-word subject mixing UTF-8 and ISO-8859-1', async () => {
    const mail = await parseInboundEmail(
      rawMail(['From: claire@myorg.org', 'To: support@acme.test', 'Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?ISO-8859-1?Q?_aus_M=FCnchen?='], 'Hallo'),
    );
    expect(mail.subject).toBe('Grüße aus München');
  });

  it('decodes a quoted-printable ISO-8859-1 body, soft line breaks included', async () => {
    const mail = await parseInboundEmail(
      rawMail(
        [...plainHeaders, 'Content-Type: text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding: quoted-printable'],
        'Der Drucker im B=FCro druckt seit heute Morgen nur noch leere Seiten, auch nach=\r\n einem Neustart.\r\nSch=F6ne Gr=FC=DFe',
      ),
    );
    expect(mail.text).toBe('Der Drucker im Büro druckt seit heute Morgen nur noch leere Seiten, auch nach einem Neustart.\nSchöne Grüße');
  });

  it('decodes a base64 UTF-8 body', async () => {
    const body = Buffer.from('Hello from Zürich 👋\nThe VPN drops every hour.').toString('base64');
    const mail = await parseInboundEmail(rawMail([...plainHeaders, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], body));
    expect(mail.text).toBe('Hello from Zürich 👋\nThe VPN drops every hour.');
  });

  it('renders an HTML-only message as text and keeps the HTML', async () => {
    const html = '<p>My <b>screen</b> is black.</p><p>Thanks,<br>Bob</p>';
    const mail = await parseInboundEmail(rawMail([...plainHeaders, 'Content-Type: text/html; charset=utf-8'], html));
    expect(mail.text).toBe('My screen is black.\n\nThanks,\nBob');
    expect(mail.html?.trim()).toBe(html);
  });

  it('prefers the text part of a multipart/alternative message', async () => {
    const mail = await parseInboundEmail(
      rawMail(
        [...plainHeaders, 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b1"'],
        [
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The plain version',
          '',
          '--b1',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<p>The <i>rich</i> version</p>',
          '',
          '--b1--',
        ].join('\r\n'),
      ),
    );
    expect(mail.text.trim()).toBe('The plain version');
    expect(mail.html).toContain('<i>rich</i>');
  });

  it('reads the sender and recipients as lower-case addresses, display names and groups aside', async () => {
    const mail = await parseInboundEmail(
      rawMail(
        [
          'From: "Johnson, Claire" <Claire.Johnson@MyOrg.ORG>',
          'To: Support <Support@Acme.test>, other@acme.test',
          'Cc: Team: a@x.test, B@X.test;, undisclosed-recipients:;',
          'Subject: Hi',
        ],
        'Hi',
      ),
    );
    expect(mail).toMatchObject({
      from: 'claire.johnson@myorg.org',
      to: ['support@acme.test', 'other@acme.test'],
      cc: ['a@x.test', 'b@x.test'],
    });
  });

  it('keeps the threading headers: Message-ID, In-Reply-To and every References id', async () => {
    const mail = await parseInboundEmail(
      rawMail(
        [
          ...plainHeaders,
          'Message-ID: <reply-2@myorg.org>',
          'In-Reply-To: <t-tkt_abc123.msg_1@acme.test>',
          'References: <first@myorg.org>\r\n <t-tkt_abc123.msg_1@acme.test>',
        ],
        'Still broken.',
      ),
    );
    expect(mail).toMatchObject({
      messageId: '<reply-2@myorg.org>',
      inReplyTo: '<t-tkt_abc123.msg_1@acme.test>',
      references: ['<first@myorg.org>', '<t-tkt_abc123.msg_1@acme.test>'],
    });
  });

  it('gives a message without subject, threading headers or body empty values rather than failing', async () => {
    const mail = await parseInboundEmail(rawMail(['From: claire@myorg.org', 'To: support@acme.test'], ''));
    expect(mail).toMatchObject({ subject: '', text: '', references: [], inReplyTo: undefined, html: undefined });
  });
});

describe('Automated mail is recognised so that it creates no ticket (RFC 3834)', () => {
  const ownAddresses = ['support@acme.test', 'alerts@desk-admin.local'];

  it.each([
    ['mail a person wrote', [], false],
    ['Auto-Submitted: auto-replied (an out-of-office answer)', ['Auto-Submitted: auto-replied'], true],
    ['Auto-Submitted: auto-generated (a notification)', ['Auto-Submitted: Auto-Generated'], true],
    ['Auto-Submitted with parameters', ['Auto-Submitted: auto-notified; owner-email="x@y.test"'], true],
    ['Auto-Submitted: no (explicitly written by a person)', ['Auto-Submitted: no'], false],
    ['Precedence: bulk', ['Precedence: bulk'], true],
    ['Precedence: list', ['Precedence: list'], true],
    ['Precedence: junk', ['Precedence: junk'], true],
    ['Precedence: auto_reply', ['Precedence: auto_reply'], true],
    ['Precedence: first-class', ['Precedence: first-class'], false],
    ['a mailing list (List-Id)', ['List-Id: Printers <printers.lists.myorg.org>'], true],
    ['X-Autoreply', ['X-Autoreply: yes'], true],
    ['X-Autorespond', ['X-Autorespond: Out of office'], true],
    ['a delivery report (multipart/report)', ['Content-Type: multipart/report; report-type=delivery-status; boundary="b"'], true],
  ])('%s', async (_, extraHeaders, automated) => {
    const mail = await parseInboundEmail(rawMail([...plainHeaders, ...extraHeaders], 'Hello'));
    expect(isAutomatedMail(mail, ownAddresses)).toBe(automated);
  });

  it.each([
    ['the null envelope sender <> of a bounce', 'claire.johnson@myorg.org', '', true],
    ['an envelope sender MAILER-DAEMON', 'claire.johnson@myorg.org', 'MAILER-DAEMON@mx.myorg.org', true],
    ['a From of MAILER-DAEMON', 'Mail Delivery System <MAILER-DAEMON@mx.myorg.org>', undefined, true],
    ['a person, by envelope and From', 'claire.johnson@myorg.org', 'claire.johnson@myorg.org', false],
  ])('recognises %s', async (_, from, envelopeSender, automated) => {
    const mail = await parseInboundEmail(rawMail([`From: ${from}`, 'To: support@acme.test', 'Subject: Undeliverable'], 'Hello'));
    expect(isAutomatedMail(mail, ownAddresses, envelopeSender)).toBe(automated);
  });

  it.each([
    ['one of our own addresses', 'support@acme.test'],
    ['one of our own addresses in other letter case', 'Alerts@Desk-Admin.LOCAL'],
    ['a ticket reply address of ours', 'support+0123456789abcdef0123456789abcdef@acme.test'],
  ])('treats mail from %s as a loop', async (_, from) => {
    const mail = await parseInboundEmail(rawMail([`From: ${from}`, 'To: support@acme.test', 'Subject: Re: Printer'], 'Hello'));
    expect(isAutomatedMail(mail, ownAddresses)).toBe(true);
  });
});
