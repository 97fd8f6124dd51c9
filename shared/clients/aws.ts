import { config } from '../config.js';

/**
 * Options every AWS client shares: the region, and locally an endpoint override (DynamoDB Local,
 * the SES and SNS stand-ins) with placeholder credentials, since nothing local checks them.
 */
export function awsClientOptions(localEndpoint: string | undefined) {
  return {
    region: config.AWS_REGION,
    ...(localEndpoint ? { endpoint: localEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  };
}
