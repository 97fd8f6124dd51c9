import { CfnOutput, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { nagEnvironment } from './nag.js';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface LiveChannelProps {
  /** The live Lambda (`functions/live.ts`): `$connect`, `$default` and `$disconnect`. */
  handler: NodejsFunction;
  /** The functions that push to connections: whatever adds a ticket message, assigns a ticket or moves the queue. */
  publishers: NodejsFunction[];
}

/**
 * The live channel (api.md "Live channel"): an API Gateway WebSocket API whose three routes go to
 * the live Lambda. `$default` returns its answer (pong, errors) as the route response; pushes go
 * through the stage's `@connections` API, which the live Lambda and the publishers may call, its
 * URL in their `LIVE_CONNECTIONS_ENDPOINT`.
 */
export class LiveChannel extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;

  constructor(scope: Construct, id: string, props: LiveChannelProps) {
    super(scope, id);
    const integration = new WebSocketLambdaIntegration('LiveIntegration', props.handler);
    this.api = new WebSocketApi(this, 'Api', {
      apiName: 'desk-admin-live',
      description: 'Desk Admin live channel',
      connectRouteOptions: { integration },
      disconnectRouteOptions: { integration },
      defaultRouteOptions: { integration, returnResponse: true },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: 'live',
      autoDeploy: true,
      throttle: { burstLimit: 200, rateLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            connectionId: '$context.connectionId',
            status: '$context.status',
            time: '$context.requestTime',
          }),
        ),
      },
    });
    for (const fn of [props.handler, ...props.publishers]) {
      fn.addEnvironment('LIVE_CONNECTIONS_ENDPOINT', this.stage.callbackUrl);
      this.stage.grantManagementApiAccess(fn);
    }
    const stack = Stack.of(this);
    const { region, account } = nagEnvironment(stack);
    Validations.of(stack).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${region}:${account}:<${stack.getLogicalId(this.api.node.defaultChild as CfnElement)}>/${this.stage.stageName}/*/@connections/*]`,
      reason: "Pushes go to whichever connections follow a ticket, known only at run time; the grant is this stage's @connections only.",
    });
    // What the pages connect to: `wss://<api>.execute-api.<region>.amazonaws.com/live?token=…`.
    new CfnOutput(scope, 'LiveUrl', { value: this.stage.url });
  }

  get url(): string {
    return this.stage.url;
  }
}
