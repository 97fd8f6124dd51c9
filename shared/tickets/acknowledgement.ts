import { conditionHeld } from '../db/entity.js';
import { escapeHtml } from '../email/html.js';
import { logger } from '../logger.js';
import { effectiveSettings } from '../settings/settings.js';
import type { Settings } from '../settings/schema.js';
import { sendTicketEmail } from './conversation.js';
import { ticketEntity } from './entities.js';
import type { Ticket } from './tickets.js';

type Language = Settings['language'];

/**
 * The email that acknowledges a new ticket, in the company's effective language: the ticket
 * number (in the subject, where mail clients and our threading keep it), what happens next, and
 * how to add to it (a reply to this email). Each language is written as a person of that language
 * would write a formal service message, not word for word from the English.
 */
export interface AcknowledgementInput {
  language: Language;
  ticketNumber: number;
  /** The ticket's subject, as the customer gave it. */
  subject: string;
  /** Who answers: the portal's title, or the company's name. */
  team: string;
  /** The customer's name as we know it. */
  name: string;
}

export interface RenderedAcknowledgement {
  subject: string;
  text: string;
  html: string;
}

interface Wording {
  subject: (n: number, subject: string) => string;
  greeting: (name: string) => string;
  received: (team: string, n: number) => string;
  next: string;
  reply: string;
  automatic: string;
}

const wordings: Record<Language, Wording> = {
  en: {
    subject: (n, s) => `[#${n}] We have received your request: ${s}`,
    greeting: (name) => `Hello ${name},`,
    received: (team, n) => `Thank you for contacting ${team}. We have received your request and opened ticket #${n}:`,
    next: 'A technician will get back to you as soon as possible.',
    reply: 'To add anything, simply reply to this email and keep the ticket number in the subject.',
    automatic: 'This is an automatic confirmation.',
  },
  de: {
    subject: (n, s) => `[#${n}] Wir haben Ihre Anfrage erhalten: ${s}`,
    greeting: (name) => `Guten Tag ${name},`,
    received: (team, n) => `vielen Dank für Ihre Nachricht an ${team}. Wir haben Ihre Anfrage erhalten und das Ticket #${n} eröffnet:`,
    next: 'Ein Techniker meldet sich so bald wie möglich bei Ihnen.',
    reply: 'Wenn Sie etwas ergänzen möchten, antworten Sie einfach auf diese E-Mail und lassen Sie die Ticketnummer im Betreff stehen.',
    automatic: 'Dies ist eine automatische Bestätigung.',
  },
  es: {
    subject: (n, s) => `[#${n}] Hemos recibido su solicitud: ${s}`,
    greeting: (name) => `Hola, ${name}:`,
    received: (team, n) => `Gracias por ponerse en contacto con ${team}. Hemos recibido su solicitud y hemos abierto el ticket #${n}:`,
    next: 'Un técnico se pondrá en contacto con usted lo antes posible.',
    reply: 'Si desea añadir información, basta con responder a este correo electrónico sin cambiar el número de ticket del asunto.',
    automatic: 'Este es un mensaje de confirmación automático.',
  },
  fr: {
    subject: (n, s) => `[#${n}] Nous avons bien reçu votre demande\u00a0: ${s}`,
    greeting: (name) => `Bonjour ${name},`,
    received: (team, n) => `Merci d’avoir contacté ${team}. Nous avons bien reçu votre demande et ouvert le ticket #${n}\u00a0:`,
    next: 'Un technicien vous répondra dans les meilleurs délais.',
    reply: 'Pour ajouter des informations, il vous suffit de répondre à cet e-mail en conservant le numéro de ticket dans l’objet.',
    automatic: 'Ceci est une confirmation automatique.',
  },
  it: {
    subject: (n, s) => `[#${n}] Abbiamo ricevuto la sua richiesta: ${s}`,
    greeting: (name) => `Gentile ${name},`,
    received: (team, n) => `grazie per aver contattato ${team}. Abbiamo ricevuto la sua richiesta e aperto il ticket #${n}:`,
    next: 'Un tecnico la contatterà il prima possibile.',
    reply: 'Per aggiungere informazioni, è sufficiente rispondere a questa e-mail lasciando il numero del ticket nell’oggetto.',
    automatic: 'Questa è una conferma automatica.',
  },
  pt: {
    subject: (n, s) => `[#${n}] Recebemos sua solicitação: ${s}`,
    greeting: (name) => `Olá, ${name},`,
    received: (team, n) => `obrigado por entrar em contato com ${team}. Recebemos sua solicitação e abrimos o chamado #${n}:`,
    next: 'Um técnico entrará em contato com você o mais breve possível.',
    reply: 'Para acrescentar informações, basta responder a este e-mail mantendo o número do chamado no assunto.',
    automatic: 'Esta é uma confirmação automática.',
  },
  nl: {
    subject: (n, s) => `[#${n}] We hebben uw aanvraag ontvangen: ${s}`,
    greeting: (name) => `Beste ${name},`,
    received: (team, n) => `Hartelijk dank voor uw bericht aan ${team}. We hebben uw aanvraag ontvangen en ticket #${n} aangemaakt:`,
    next: 'Een technicus neemt zo snel mogelijk contact met u op.',
    reply: 'Wilt u iets toevoegen? Beantwoord dan gewoon deze e-mail en laat het ticketnummer in het onderwerp staan.',
    automatic: 'Dit is een automatische bevestiging.',
  },
  ja: {
    subject: (n, s) => `[#${n}] お問い合わせを受け付けました：${s}`,
    greeting: (name) => `${name} 様`,
    received: (team, n) => `${team}へお問い合わせいただき、ありがとうございます。お問い合わせを受け付け、チケット #${n} を作成いたしました。`,
    next: '担当の技術者より、できるだけ早くご連絡いたします。',
    reply: '情報を追加される場合は、件名のチケット番号を変えずに、このメールにそのままご返信ください。',
    automatic: 'このメールは自動送信されています。',
  },
  zh: {
    subject: (n, s) => `[#${n}] 我们已收到您的请求：${s}`,
    greeting: (name) => `${name}，您好：`,
    received: (team, n) => `感谢您联系${team}。我们已收到您的请求，并已创建工单 #${n}：`,
    next: '技术人员会尽快与您联系。',
    reply: '如需补充信息，请直接回复此邮件，并保留主题中的工单编号。',
    automatic: '这是一封自动确认邮件。',
  },
};

export function renderAcknowledgement(input: AcknowledgementInput): RenderedAcknowledgement {
  const w = wordings[input.language];
  const paragraphs = [w.greeting(input.name), w.received(input.team, input.ticketNumber), `    ${input.subject}`, w.next, w.reply, w.automatic];
  return {
    subject: w.subject(input.ticketNumber, input.subject),
    text: `${paragraphs.join('\n\n')}\n`,
    html: [
      `<p>${escapeHtml(w.greeting(input.name))}</p>`,
      `<p>${escapeHtml(w.received(input.team, input.ticketNumber))}</p>`,
      `<blockquote>${escapeHtml(input.subject)}</blockquote>`,
      `<p>${escapeHtml(w.next)}</p>`,
      `<p>${escapeHtml(w.reply)}</p>`,
      `<p style="color:#666">${escapeHtml(w.automatic)}</p>`,
    ].join('\n'),
  };
}

/** Marks the ticket acknowledged; false when it already was (the acknowledgement goes once). */
function claimAcknowledgement(accountId: string, ticketId: string): Promise<boolean> {
  return conditionHeld(
    ticketEntity.update(
      { accountId, id: ticketId },
      { set: { acknowledgedAt: new Date().toISOString() } },
      { condition: { and: [{ itemExists: true }, { path: 'acknowledgedAt', exists: false }] } },
    ),
  );
}

/**
 * Sends the end user the acknowledgement of their new ticket (by email or portal), in the company's
 * effective language, From the support address with the ticket's reply address, threaded under
 * their email. At most once per ticket: it is claimed before it is sent, so a retried request or a
 * redelivered mail never sends a second. Automated mail never gets here (the intake opens no ticket
 * for it), nor does mail SES marks as spam (an answer to it would be backscatter). A failure is
 * logged: the ticket stands without it. A caller that has read the company's settings passes its language.
 */
export async function acknowledgeTicket(accountId: string, ticket: Ticket, knownLanguage?: Language): Promise<void> {
  try {
    if (!(await claimAcknowledgement(accountId, ticket.id))) return;
    const language = knownLanguage ?? (await effectiveSettings(accountId, ticket.companyId)).language;
    await sendTicketEmail(accountId, ticket, ({ endUser, portal }) => ({
      messageId: `ack-${ticket.id}`,
      ...renderAcknowledgement({
        language,
        ticketNumber: ticket.number,
        subject: ticket.subject,
        team: portal?.title ?? 'our support team',
        name: `${endUser.firstName} ${endUser.lastName}`,
      }),
      autoSubmitted: 'auto-replied',
    }));
  } catch (err) {
    logger.error('ticket acknowledgement failed', { ticketId: ticket.id, error: (err as Error).message });
  }
}
