import { describe, expect, it } from 'vitest';
import { renderAcknowledgement } from '../../shared/tickets/acknowledgement.js';
import { languages } from '../../shared/settings/schema.js';

const input = { ticketNumber: 42, subject: 'Printer <on> fire', team: 'Acme Help', name: 'Claire Johnson' };

describe('The acknowledgement of a new ticket', () => {
  it('is written in each of the nine languages of the settings, each differently', () => {
    const texts = languages.map((language) => renderAcknowledgement({ ...input, language }).text);
    expect(new Set(texts).size).toBe(languages.length);
  });

  it.each(languages)('in %s names the ticket number in the subject and the text, and the customer and the team', (language) => {
    const ack = renderAcknowledgement({ ...input, language });
    expect(ack.subject).toContain('#42');
    expect(ack.subject).toContain(input.subject);
    expect(ack.text).toContain('#42');
    expect(ack.text).toContain('Claire Johnson');
    expect(ack.text).toContain('Acme Help');
  });

  it('speaks the customer’s language, not English, where the company’s language is not English', () => {
    expect(renderAcknowledgement({ ...input, language: 'de' }).text).toContain('antworten Sie einfach auf diese E-Mail');
    expect(renderAcknowledgement({ ...input, language: 'ja' }).subject).toContain('お問い合わせを受け付けました');
    expect(renderAcknowledgement({ ...input, language: 'zh' }).text).toContain('请直接回复此邮件');
  });

  it('escapes what the customer wrote in the HTML part', () => {
    const ack = renderAcknowledgement({ ...input, language: 'en' });
    expect(ack.html).toContain('Printer &lt;on&gt; fire');
    expect(ack.html).not.toContain('<on>');
  });
});
