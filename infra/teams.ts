import { Validations } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Where the Bot Framework publishes the keys it signs Teams' activities with. */
export const botFrameworkJwksUrl = 'https://login.botframework.com/v1/.well-known/keys';

export interface TeamsBotProps {
  /** The bot's Microsoft app id (Azure Bot → Configuration → Microsoft App ID). */
  appId: string | undefined;
  /** The functions that talk to Teams: the messaging endpoint and whatever posts staff replies. */
  functions: NodejsFunction[];
  /** The Bot Framework's JWKS (its public one unless given). */
  jwksUrl?: string;
}

/**
 * The organisation-facing Teams app's settings (README "Microsoft Teams"): the app password lives
 * in a secret the stack creates and the operator sets to the Azure Bot's client secret; the
 * functions that talk to Teams get the app id and the JWKS URL in their environment and may read
 * that secret, and no other function may.
 */
export class TeamsBot extends Construct {
  readonly appPassword: Secret;

  constructor(scope: Construct, id: string, props: TeamsBotProps) {
    super(scope, id);
    this.appPassword = new Secret(this, 'AppPassword', {
      description: "The Teams bot's client secret (its Entra app's): set it to the value Entra ID shows once",
    });
    Validations.of(this.appPassword).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: "Entra ID issues and expires the Teams app's client secret; it is rotated there and copied here, which no rotation Lambda can do.",
    });
    for (const fn of props.functions) {
      if (props.appId) fn.addEnvironment('TEAMS_APP_ID', props.appId);
      fn.addEnvironment('TEAMS_APP_PASSWORD_ARN', this.appPassword.secretArn);
      fn.addEnvironment('TEAMS_JWKS_URL', props.jwksUrl ?? botFrameworkJwksUrl);
      this.appPassword.grantRead(fn);
    }
  }
}
