import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { config } from '../config.js';
import { awsClientOptions } from './aws.js';

let client: SNSClient | undefined;

/** Created on first use with the configuration of that moment, then reused. */
const sns = () => (client ??= new SNSClient(awsClientOptions(config.SNS_ENDPOINT)));

/**
 * Sends one SMS straight to a phone number (E.164) and returns the SNS MessageId. Alerts are
 * time-critical, so they go as Transactional: SNS then routes for reliability rather than cost.
 */
export async function sendSms(phoneNumber: string, message: string): Promise<string> {
  const out = await sns().send(
    new PublishCommand({
      PhoneNumber: phoneNumber,
      Message: message,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    }),
  );
  if (!out.MessageId) throw new Error('SNS accepted the message but returned no MessageId');
  return out.MessageId;
}
