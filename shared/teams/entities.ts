import { createHash } from 'node:crypto';
import { defineEntity } from '../db/entity.js';
import { accountCollection, accountPartition, entityKey } from '../db/keys.js';
import type { TicketMessage } from '../tickets/tickets.js';

/** A company's Microsoft 365 tenant, as the API shows it. */
export interface TeamsLink {
  companyId: string;
  /** Lower-cased: Entra writes tenant ids in either case. */
  tenantId: string;
  updatedAt: string;
}

/** A company's link to its tenant, in the account partition (`TEAMS#<companyId>`). */
export const teamsLinkEntity = defineEntity<TeamsLink & { version?: number }>()({
  type: 'teams_link',
  partition: (l: { accountId: string }) => accountPartition(l.accountId),
  sort: (l: { companyId: string }) => entityKey('TEAMS', l.companyId),
  keyOnly: ['accountId'],
  versioned: true,
});

/** Where a tenant's messages go: the account and company that linked it. */
export interface TenantOwner {
  accountId: string;
  companyId: string;
}

/**
 * The tenant's claim, outside any account (`TEAMSTENANT#<tenantId>`): a tenant belongs to one
 * company across all accounts, and an activity finds its account through it in one read.
 */
export const tenantClaimEntity = defineEntity<TenantOwner>()({
  type: 'teams_tenant_claim',
  partition: (c: { tenantId: string }) => `TEAMSTENANT#${c.tenantId.toLowerCase()}`,
  sort: () => 'TEAMSTENANT',
  keyOnly: ['tenantId'],
});

/** The end user a Teams user (their Entra object id) is, in the account (`A#<acc>#TEAMSUSER#<aadObjectId>`). */
export const teamsIdentityEntity = defineEntity<{ endUserId: string }>()({
  type: 'teams_identity',
  partition: (i: { accountId: string; aadObjectId: string }) => accountCollection(i.accountId, 'TEAMSUSER', i.aadObjectId.toLowerCase()),
  sort: () => 'TEAMSUSER',
  keyOnly: ['accountId', 'aadObjectId'],
});

/** Where the bot posts into a conversation: the Bot Connector's base URL for it, and the bot's own id there. */
export interface ConversationReference {
  conversationId: string;
  serviceUrl: string;
  botId: string;
}

/** A Teams conversation and the ticket it currently continues. */
export interface ConversationRecord extends ConversationReference {
  ticketId: string;
  /** Who writes in it: the end user (or the staff member) the ticket's first message is from. */
  author: TicketMessage['author'];
  version?: number;
}

/** Conversation ids are long and Teams-shaped; keys carry their hash. */
const conversationHash = (conversationId: string) => createHash('sha256').update(conversationId).digest('base64url');

const conversationPartition = (c: { accountId: string; conversationId: string }) =>
  accountCollection(c.accountId, 'TEAMSCONV', conversationHash(c.conversationId));

/**
 * A conversation's partition (`A#<acc>#TEAMSCONV#<hash>`) holds the conversation (`CONVERSATION`)
 * and the claims of the activities received in it (`ACTIVITY#<id>`: activity ids are unique only
 * within their conversation), so one batch read tells both whether an activity is new and where
 * it goes.
 */
export const teamsConversationEntity = defineEntity<ConversationRecord>()({
  type: 'teams_conversation',
  partition: conversationPartition,
  sort: () => 'CONVERSATION',
  keyOnly: ['accountId'],
  keyShape: { partition: 'A#<accountId>#TEAMSCONV#<hash of the conversation id>' },
  versioned: true,
});

/**
 * An activity received (claimed in the transaction of its effect, so a redelivery has none): the
 * ticket a message went to, or none for the welcome of an install; expires after a week.
 */
export const teamsActivityEntity = defineEntity<{ ticketId?: string }>()({
  type: 'teams_activity',
  partition: conversationPartition,
  sort: (a: { activityId: string }) => entityKey('ACTIVITY', a.activityId),
  keyOnly: ['accountId', 'conversationId', 'activityId'],
  keyShape: { partition: 'A#<accountId>#TEAMSCONV#<hash of the conversation id>' },
});

/** A Teams ticket's conversation (`A#<acc>#TEAMSTICKET#<ticketId>`): where staff replies are posted. */
export const teamsTicketEntity = defineEntity<ConversationReference>()({
  type: 'teams_ticket',
  partition: (t: { accountId: string; ticketId: string }) => accountCollection(t.accountId, 'TEAMSTICKET', t.ticketId),
  sort: () => 'CONVERSATION',
  keyOnly: ['accountId', 'ticketId'],
});
