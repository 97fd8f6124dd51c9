import { batchGetRecords, conditionHeld } from '../db/entity.js';
import type { WriteAction } from '../db/transaction.js';
import { logger } from '../logger.js';
import type { Actor } from '../audit/audit.js';
import { companyEntity } from '../companies/entities.js';
import { getEndUserRecord, toEndUser } from '../end-users/end-users.js';
import { emailAddress } from '../http/schemas.js';
import { openCustomerTicket, type Customer, type Requester } from '../portals/portals.js';
import { effectiveSettings } from '../settings/settings.js';
import { appendMessage, getTicketRecord, type Ticket } from '../tickets/tickets.js';
import { getMember, postToConversation } from './connector.js';
import {
  teamsActivityEntity,
  teamsConversationEntity,
  teamsIdentityEntity,
  teamsTicketEntity,
  type ConversationRecord,
  type ConversationReference,
  type TenantOwner,
} from './entities.js';
import { ownerOfTenant } from './links.js';
import type { BotActivity } from './schema.js';
import { languageOfLocale, notLinkedAnswer, ticketOpenedAnswer, unidentifiedAnswer, welcomeAnswer } from './wording.js';

/** What became of an activity (the endpoint's answer; Teams reads only the status). */
export type ActivityOutcome = 'ticket_opened' | 'message_added' | 'welcomed' | 'duplicate' | 'not_linked' | 'unidentified' | 'ignored';

/** A ticket message holds at most this much of a chat message (the API's limit for message bodies). */
const maxMessageChars = 20_000;
const maxSubjectChars = 100;
/** Teams redelivers within minutes; an activity's claim outlives that by far. */
const activityClaimSeconds = 7 * 24 * 3600;

class DuplicateActivity extends Error {}
class ConversationMoved extends Error {}

/** The chat text as a ticket message: line breaks and tabs, no other control character; shortened, with a note, when too long. */
function messageText(text: string | undefined): string {
  const clean = (text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '')
    .trim();
  if (!clean) return '(no text)';
  return clean.length <= maxMessageChars ? clean : `${clean.slice(0, maxMessageChars - 60)}\n\n[This message was too long and has been shortened.]`;
}

/** A chat has no subject: the message's first line stands in for one. */
function subjectOf(text: string): string {
  const line = (text.split('\n').find((l) => l.trim()) ?? '').replace(/\s+/g, ' ').trim();
  if (!line || line === '(no text)') return 'Message from Teams';
  return line.length <= maxSubjectChars ? line : `${line.slice(0, maxSubjectChars - 1)}…`;
}

/** A name part from the Teams profile: one line, at most 100 characters; nothing when empty. */
function namePart(value: string | undefined): string | undefined {
  const clean = value
    ?.replace(/[\x00-\x1f\x7f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return clean || undefined;
}

/** Where the bot answers: the activity's conversation, through the service URL it came from, as the bot it was sent to. */
const referenceOf = (activity: BotActivity): ConversationReference => ({
  conversationId: activity.conversation.id,
  serviceUrl: activity.serviceUrl,
  botId: activity.recipient.id,
});

/** The bot's answers never fail the activity: the ticket stands without them, and the failure is logged. */
async function answer(conversation: ConversationReference, text: string): Promise<void> {
  try {
    await postToConversation(conversation, text);
  } catch (err) {
    logger.error('Teams answer failed', { conversationId: conversation.conversationId, error: (err as Error).message });
  }
}

/** What the account already knows of this activity, its conversation and its sender: one consistent batch read. */
async function knownOf(owner: TenantOwner, activity: BotActivity) {
  const { accountId, companyId } = owner;
  const conversationId = activity.conversation.id;
  const aadObjectId = activity.from.aadObjectId;
  const records = await batchGetRecords(
    [
      teamsConversationEntity.key({ accountId, conversationId }),
      teamsActivityEntity.key({ accountId, conversationId, activityId: activity.id }),
      companyEntity.key({ accountId, id: companyId }),
      ...(aadObjectId ? [teamsIdentityEntity.key({ accountId, aadObjectId })] : []),
    ],
    true,
  );
  const record = (entity: { owns: (r: Record<string, unknown>) => boolean }) => records.find((r) => entity.owns(r));
  const conversation = record(teamsConversationEntity);
  const identity = record(teamsIdentityEntity);
  return {
    seen: record(teamsActivityEntity) !== undefined,
    companyExists: record(companyEntity) !== undefined,
    conversation: conversation && teamsConversationEntity.parse(conversation),
    identityEndUserId: identity && teamsIdentityEntity.parse(identity).endUserId,
  };
}

/**
 * Who writes: the end user their Teams identity names; else the person the connector reports the
 * member to be, by email (found, or created weak with their Teams given name and surname).
 * Undefined when the connector knows no address for them.
 */
async function customerOf(accountId: string, activity: BotActivity, identityEndUserId: string | undefined): Promise<Customer | undefined> {
  const known = identityEndUserId && (await getEndUserRecord(accountId, identityEndUserId, true));
  if (known) return { endUser: toEndUser(known) };
  const member = await getMember(activity.serviceUrl, activity.conversation.id, activity.from.id);
  const email = [member?.email, member?.userPrincipalName].map((a) => emailAddress.safeParse(a)).find((r) => r.success)?.data;
  if (!email) return undefined;
  return { email, firstName: namePart(member?.givenName), lastName: namePart(member?.surname) };
}

/**
 * A chat message to the organisation's Teams app. From a tenant no company linked: a polite answer,
 * nothing stored. Otherwise the conversation's open ticket is continued (the end user's message,
 * pushed live like any other); a conversation without one (new, or its ticket closed) opens a
 * ticket as a portal request does (`openCustomerTicket`: queued or live, with the company's
 * alert), and the bot answers with its number in the company's language. The activity is claimed
 * in the transaction of its effect, so the same activity delivered twice has one effect. A user
 * adding the app (`conversationUpdate` with the bot among the new members) is welcomed, once.
 */
export async function receiveActivity(activity: BotActivity, request: { requestId: string; sourceIp: string }): Promise<ActivityOutcome> {
  const installed = addsTheBot(activity);
  if ((activity.type !== 'message' && !installed) || (activity.channelId !== undefined && activity.channelId !== 'msteams')) return 'ignored';
  const conversation = referenceOf(activity);
  const tenantId = activity.channelData?.tenant?.id ?? activity.conversation.tenantId;
  const owner = tenantId ? await ownerOfTenant(tenantId) : undefined;
  const notLinked = async () => {
    await answer(conversation, notLinkedAnswer(languageOfLocale(activity.locale)));
    return 'not_linked' as const;
  };
  if (!owner) return notLinked();
  if (installed) return welcome(owner, activity, notLinked);

  const text = messageText(activity.text);
  // A conversation can move on meanwhile (a message of it opened its ticket): read it again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const known = await knownOf(owner, activity);
    if (known.seen) return 'duplicate';
    if (!known.companyExists) return notLinked();
    const current = known.conversation && (await getTicketRecord(owner.accountId, known.conversation.ticketId, true));
    try {
      // A closed ticket stays closed: writing again opens a new one, as a new email does.
      if (known.conversation && current && current.status !== 'closed') {
        await continueTicket(owner, activity, known.conversation, current, text);
        return 'message_added';
      }
      return await openTeamsTicket(owner, activity, known, text, request);
    } catch (err) {
      if (err instanceof DuplicateActivity) return 'duplicate';
      if (!(err instanceof ConversationMoved)) throw err;
    }
  }
  throw new Error('The conversation kept changing; Teams will deliver the activity again.');
}

/** A user added the app: the bot is among the conversation's new members. */
const addsTheBot = (activity: BotActivity) =>
  activity.type === 'conversationUpdate' && (activity.membersAdded ?? []).some((member) => member.id === activity.recipient.id);

/**
 * The bot introduces itself in the company's language when a user adds the app, once: the claim of
 * the activity comes first, so a redelivery says nothing (and a failed post is not repeated).
 */
async function welcome(owner: TenantOwner, activity: BotActivity, notLinked: () => Promise<ActivityOutcome>): Promise<ActivityOutcome> {
  const known = await knownOf(owner, activity);
  if (known.seen) return 'duplicate';
  if (!known.companyExists) return notLinked();
  const claimed = await conditionHeld(
    teamsActivityEntity.put(
      { accountId: owner.accountId, conversationId: activity.conversation.id, activityId: activity.id },
      { ifNew: true, expiresAt: Math.floor(Date.now() / 1000) + activityClaimSeconds },
    ),
  );
  if (!claimed) return 'duplicate';
  const settings = await effectiveSettings(owner.accountId, owner.companyId);
  await answer(referenceOf(activity), welcomeAnswer(settings.language));
  return 'welcomed';
}

const activityClaim = (owner: TenantOwner, activity: BotActivity, ticketId: string): WriteAction =>
  teamsActivityEntity.putAction(
    { accountId: owner.accountId, conversationId: activity.conversation.id, activityId: activity.id, ticketId },
    { ifNew: true, expiresAt: Math.floor(Date.now() / 1000) + activityClaimSeconds, onFail: () => new DuplicateActivity() },
  );

/** The end user's message on the conversation's ticket; where Teams moved the conversation's service URL, replies follow it. */
async function continueTicket(owner: TenantOwner, activity: BotActivity, conversation: ConversationRecord, ticket: Ticket, text: string): Promise<void> {
  const { accountId } = owner;
  const moved = conversation.serviceUrl !== activity.serviceUrl;
  await appendMessage(accountId, ticket, conversation.author, text, {
    writes: [
      activityClaim(owner, activity, ticket.id),
      ...(moved
        ? [
            teamsConversationEntity.updateAction(
              { accountId, conversationId: conversation.conversationId },
              { set: { serviceUrl: activity.serviceUrl } },
              { ifVersion: conversation.version ?? 0, onFail: () => new ConversationMoved() },
            ),
            teamsTicketEntity.updateAction({ accountId, ticketId: ticket.id }, { set: { serviceUrl: activity.serviceUrl } }),
          ]
        : []),
    ],
  });
}

async function openTeamsTicket(
  owner: TenantOwner,
  activity: BotActivity,
  known: { conversation: ConversationRecord | undefined; identityEndUserId: string | undefined },
  text: string,
  request: { requestId: string; sourceIp: string },
): Promise<ActivityOutcome> {
  const { accountId, companyId } = owner;
  const reference = referenceOf(activity);
  const [settings, customer] = await Promise.all([effectiveSettings(accountId, companyId), customerOf(accountId, activity, known.identityEndUserId)]);
  if (!customer) {
    await answer(reference, unidentifiedAnswer(settings.language));
    return 'unidentified';
  }
  const aadObjectId = activity.from.aadObjectId;
  const actor: Actor = { accountId, actorId: null, ...request };
  const conversationWrites = (ticket: Ticket, requester: Requester): WriteAction[] => {
    const record = { accountId, ...reference, ticketId: ticket.id, author: requester.author };
    const onFail = () => new ConversationMoved();
    return [
      activityClaim(owner, activity, ticket.id),
      known.conversation
        ? teamsConversationEntity.putAction(record, { ifVersion: known.conversation.version ?? 0, onFail })
        : teamsConversationEntity.putAction(record, { ifNew: true, onFail }),
      teamsTicketEntity.putAction({ accountId, ticketId: ticket.id, ...reference }),
      // Found by address (or new): the next conversation finds them by their Teams identity. Staff get none.
      ...(aadObjectId && requester.author.type === 'end_user' && requester.endUserId !== known.identityEndUserId
        ? [teamsIdentityEntity.putAction({ accountId, aadObjectId, endUserId: requester.endUserId })]
        : []),
    ];
  };
  const { ticket, liveTechnician } = await openCustomerTicket({
    owner,
    settings,
    actor,
    channel: 'teams',
    subject: subjectOf(text),
    description: text,
    customer,
    extraWrites: conversationWrites,
  });
  await answer(reference, ticketOpenedAnswer(settings.language, ticket.number, liveTechnician?.firstName));
  return 'ticket_opened';
}
