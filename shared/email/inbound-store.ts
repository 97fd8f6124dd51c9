/** SES stores each received message raw in S3 under this prefix, named by its SES messageId. */
export const inboundKeyPrefix = 'inbound/';

export const inboundObjectKey = (sesMessageId: string) => `${inboundKeyPrefix}${sesMessageId}`;

/** Raw mail too large for its ticket message is kept under this prefix, which does not expire. */
export const keptKeyPrefix = 'kept/';
