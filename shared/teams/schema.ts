import * as z from 'zod';

/** An Entra tenant id: a GUID (stored lower-cased). */
export const putTeamsLinkBody = z.strictObject({
  tenantId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'Must be a tenant id (a GUID)')
    .describe("The Microsoft 365 tenant's id (Entra ID → Overview → Tenant ID)"),
});

const channelAccount = z.looseObject({
  id: z.string().min(1).max(1024),
  name: z.string().max(1024).optional(),
  /** The user's Entra object id (Teams users only). */
  aadObjectId: z.string().min(1).max(128).optional(),
});

/**
 * A Bot Framework activity as Teams delivers it, with the fields the product reads; the many others
 * pass through. `text` is not limited here: a long chat message is shortened, not refused.
 */
export const botActivityBody = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().min(1).max(1024),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  channelId: z.string().max(64).optional(),
  from: channelAccount,
  recipient: channelAccount,
  conversation: z.looseObject({ id: z.string().min(1).max(1024), tenantId: z.string().max(128).optional() }),
  channelData: z.looseObject({ tenant: z.looseObject({ id: z.string().max(128) }).optional() }).optional(),
  text: z.string().optional(),
  /** `conversationUpdate`: who joined the conversation (the bot itself when a user adds the app). */
  membersAdded: z.array(channelAccount).max(256).optional(),
  locale: z.string().max(64).optional(),
});

export type BotActivity = z.infer<typeof botActivityBody>;
