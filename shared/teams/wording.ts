import { languages, type Settings } from '../settings/schema.js';

type Language = Settings['language'];

/**
 * What the bot says in a conversation, in each language the product speaks: written as a person of
 * that language would write a short chat answer, not word for word from the English.
 */
interface Wording {
  opened: (n: number) => string;
  connected: (technician: string) => string;
  queued: string;
  notLinked: string;
  unidentified: string;
  welcome: string;
}

const wordings: Record<Language, Wording> = {
  en: {
    opened: (n) => `Thank you for your message. We have opened ticket #${n} for your request.`,
    connected: (t) => `${t} is taking care of it and will answer you here.`,
    queued: 'A technician will answer you here as soon as possible.',
    notLinked:
      'Thank you for your message. Your organisation is not connected to our support desk yet, so we cannot take requests here. Please contact your IT department.',
    unidentified:
      'Thank you for your message. We could not find an email address for your account, so we cannot open a request here. Please contact your IT department.',
    welcome: 'Hello! This is your IT support desk. Write your question here: we open a ticket for it, and a technician answers you in this chat.',
  },
  de: {
    opened: (n) => `Vielen Dank für Ihre Nachricht. Wir haben für Ihre Anfrage das Ticket #${n} eröffnet.`,
    connected: (t) => `${t} kümmert sich darum und antwortet Ihnen hier.`,
    queued: 'Ein Techniker antwortet Ihnen hier so bald wie möglich.',
    notLinked:
      'Vielen Dank für Ihre Nachricht. Ihre Organisation ist noch nicht mit unserem Support verbunden, daher können wir hier keine Anfragen annehmen. Bitte wenden Sie sich an Ihre IT-Abteilung.',
    unidentified:
      'Vielen Dank für Ihre Nachricht. Zu Ihrem Konto ist keine E-Mail-Adresse hinterlegt, daher können wir hier keine Anfrage eröffnen. Bitte wenden Sie sich an Ihre IT-Abteilung.',
    welcome: 'Hallo! Hier ist Ihr IT-Support. Schreiben Sie Ihre Frage hier: Wir eröffnen dafür ein Ticket, und ein Techniker antwortet Ihnen in diesem Chat.',
  },
  es: {
    opened: (n) => `Gracias por su mensaje. Hemos abierto el ticket #${n} para su solicitud.`,
    connected: (t) => `${t} se está ocupando de ello y le responderá aquí.`,
    queued: 'Un técnico le responderá aquí lo antes posible.',
    notLinked:
      'Gracias por su mensaje. Su organización todavía no está conectada con nuestro servicio de soporte, por lo que no podemos atender solicitudes aquí. Póngase en contacto con su departamento de TI.',
    unidentified:
      'Gracias por su mensaje. No hemos encontrado ninguna dirección de correo electrónico en su cuenta, por lo que no podemos abrir una solicitud aquí. Póngase en contacto con su departamento de TI.',
    welcome: '¡Hola! Este es su servicio de soporte informático. Escriba aquí su consulta: abriremos un ticket y un técnico le responderá en este chat.',
  },
  fr: {
    opened: (n) => `Merci pour votre message. Nous avons ouvert le ticket #${n} pour votre demande.`,
    connected: (t) => `${t} s’en occupe et vous répondra ici.`,
    queued: 'Un technicien vous répondra ici dans les meilleurs délais.',
    notLinked:
      'Merci pour votre message. Votre organisation n’est pas encore reliée à notre support\u00a0: nous ne pouvons donc pas recevoir de demandes ici. Veuillez contacter votre service informatique.',
    unidentified:
      'Merci pour votre message. Aucune adresse e-mail n’est associée à votre compte\u00a0: nous ne pouvons donc pas ouvrir de demande ici. Veuillez contacter votre service informatique.',
    welcome:
      'Bonjour\u00a0! Ici votre support informatique. Écrivez votre question ici\u00a0: nous ouvrons un ticket et un technicien vous répond dans cette conversation.',
  },
  it: {
    opened: (n) => `Grazie per il suo messaggio. Abbiamo aperto il ticket #${n} per la sua richiesta.`,
    connected: (t) => `${t} se ne sta occupando e le risponderà qui.`,
    queued: 'Un tecnico le risponderà qui il prima possibile.',
    notLinked:
      'Grazie per il suo messaggio. La sua organizzazione non è ancora collegata al nostro servizio di assistenza, quindi non possiamo ricevere richieste qui. La preghiamo di rivolgersi al suo reparto IT.',
    unidentified:
      'Grazie per il suo messaggio. Non abbiamo trovato un indirizzo e-mail associato al suo account, quindi non possiamo aprire una richiesta qui. La preghiamo di rivolgersi al suo reparto IT.',
    welcome: 'Salve! Questo è il suo supporto IT. Scriva qui la sua domanda: apriremo un ticket e un tecnico le risponderà in questa chat.',
  },
  pt: {
    opened: (n) => `Obrigado pela sua mensagem. Abrimos o chamado #${n} para a sua solicitação.`,
    connected: (t) => `${t} está cuidando disso e vai responder a você aqui.`,
    queued: 'Um técnico vai responder a você aqui o mais breve possível.',
    notLinked:
      'Obrigado pela sua mensagem. Sua organização ainda não está conectada ao nosso suporte, por isso não podemos receber solicitações aqui. Entre em contato com o seu departamento de TI.',
    unidentified:
      'Obrigado pela sua mensagem. Não encontramos um endereço de e-mail na sua conta, por isso não podemos abrir uma solicitação aqui. Entre em contato com o seu departamento de TI.',
    welcome: 'Olá! Aqui é o seu suporte de TI. Escreva sua pergunta aqui: abrimos um chamado e um técnico responde a você neste chat.',
  },
  nl: {
    opened: (n) => `Bedankt voor uw bericht. We hebben ticket #${n} voor uw aanvraag aangemaakt.`,
    connected: (t) => `${t} gaat ermee aan de slag en antwoordt u hier.`,
    queued: 'Een technicus antwoordt u hier zo snel mogelijk.',
    notLinked:
      'Bedankt voor uw bericht. Uw organisatie is nog niet met onze supportdesk verbonden, daarom kunnen we hier geen aanvragen aannemen. Neem contact op met uw IT-afdeling.',
    unidentified:
      'Bedankt voor uw bericht. We hebben bij uw account geen e-mailadres gevonden, daarom kunnen we hier geen aanvraag aanmaken. Neem contact op met uw IT-afdeling.',
    welcome: 'Hallo! Dit is uw IT-supportdesk. Stel hier uw vraag: we maken er een ticket voor aan en een technicus antwoordt u in deze chat.',
  },
  ja: {
    opened: (n) => `メッセージをお送りいただき、ありがとうございます。お問い合わせのチケット #${n} を作成いたしました。`,
    connected: (t) => `${t} が対応し、こちらでご返信いたします。`,
    queued: '担当の技術者より、できるだけ早くこちらでご返信いたします。',
    notLinked:
      'メッセージをお送りいただき、ありがとうございます。お客様の組織はまだサポートデスクと連携されていないため、こちらではお問い合わせを受け付けできません。社内の IT 部門にお問い合わせください。',
    unidentified:
      'メッセージをお送りいただき、ありがとうございます。お客様のアカウントにメールアドレスが見つからないため、こちらではお問い合わせを作成できません。社内の IT 部門にお問い合わせください。',
    welcome: 'こんにちは。IT サポートデスクです。ご質問をこちらにお書きください。チケットを作成し、技術者がこのチャットでお答えします。',
  },
  zh: {
    opened: (n) => `感谢您的留言。我们已为您的请求创建工单 #${n}。`,
    connected: (t) => `${t} 正在处理，并会在这里回复您。`,
    queued: '技术人员会尽快在这里回复您。',
    notLinked: '感谢您的留言。您的组织尚未连接到我们的支持服务台，因此我们无法在这里受理请求。请联系您的 IT 部门。',
    unidentified: '感谢您的留言。我们未能找到您帐户的电子邮件地址，因此无法在这里创建请求。请联系您的 IT 部门。',
    welcome: '您好！这里是 IT 支持服务台。请在这里写下您的问题：我们会为此创建工单，技术人员将在此聊天中回复您。',
  },
};

/** The bot's answer to a conversation's first message: the ticket number, and who will answer. */
export function ticketOpenedAnswer(language: Language, ticketNumber: number, liveTechnician: string | undefined): string {
  const w = wordings[language];
  return `${w.opened(ticketNumber)} ${liveTechnician ? w.connected(liveTechnician) : w.queued}`;
}

/** The language of a conversation no company speaks for: the user's Teams locale (`de-DE`), if we speak it. */
export function languageOfLocale(locale: string | undefined): Language {
  const primary = locale?.split(/[-_]/)[0]?.toLowerCase();
  return (languages as readonly string[]).includes(primary ?? '') ? (primary as Language) : 'en';
}

export const notLinkedAnswer = (language: Language) => wordings[language].notLinked;
export const unidentifiedAnswer = (language: Language) => wordings[language].unidentified;
export const welcomeAnswer = (language: Language) => wordings[language].welcome;
