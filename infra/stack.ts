import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { type CfnStage, CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { tableDefinition } from '../shared/db/table.js';
import { resources, routes, splitRouteKey, type ResourceDefinition, type ResourceName } from '../shared/http/routes.js';
import { bundling } from './bundling.js';
import { InboundEmail } from './inbound-email.js';
import { LiveChannel } from './live.js';
import { ReportSchedules } from './schedules.js';
import { Pages } from './pages.js';
import { TeamsBot } from './teams.js';
import { workers, type WorkerName } from '../shared/workers.js';

const functionsDir = fileURLToPath(new URL('../functions/', import.meta.url));

/** Table actions per access level. No Scan: every request path uses a key or an index. */
const tableActions = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
};

export interface DeskAdminStackProps extends StackProps {
  /** The address outgoing mail is sent from (an SES-verified identity). */
  mailFrom: string;
  /** The mail domain SES receives for; portals' support addresses live there. */
  inboundDomain: string;
  /** Where people open links from our email (the customer portal's web app). */
  publicUrl: string;
  /** The Teams bot's Microsoft app id (its Azure Bot registration); without it the messaging endpoint takes no activity. */
  teamsAppId?: string | undefined;
}

export class DeskAdminStack extends Stack {
  readonly table: Table;
  readonly api: HttpApi;
  readonly functions = new Map<ResourceName, NodejsFunction>();
  readonly workers = new Map<WorkerName, NodejsFunction>();
  readonly inbound: InboundEmail;

  constructor(scope: Construct, id: string, props: DeskAdminStackProps) {
    super(scope, id, props);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }

    const signingSecret = new Secret(this, 'TokenSigningSecret', {
      description: 'Signs and verifies Desk Admin API tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    const functionFor = (name: string, definition: ResourceDefinition) => {
      const fn = new NodejsFunction(this, `${pascal(name)}Function`, {
        entry: `${functionsDir}${name}.ts`,
        handler: 'handler',
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        // scrypt at OWASP's cost needs 128 MiB per hash, and memory buys CPU.
        memorySize: 1024,
        timeout: Duration.seconds(name in workers ? 300 : 15),
        bundling,
        logGroup: new LogGroup(this, `${pascal(name)}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
        environment: {
          TABLE_NAME: this.table.tableName,
          JWT_SECRET_ARN: signingSecret.secretArn,
          MAIL_FROM: props.mailFrom,
          PUBLIC_URL: props.publicUrl,
          POWERTOOLS_SERVICE_NAME: 'desk-admin',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      });
      grantTable(fn, this.table, definition.table);
      if (definition.tokens) signingSecret.grantRead(fn);
      if (definition.sends?.includes('email')) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['ses:SendEmail', 'ses:SendRawEmail'],
            // The identities mail goes out from: the sender address, its domain, and the inbound
            // domain of the portals' support addresses (staff replies are sent from those).
            resources: [...new Set([props.mailFrom, props.mailFrom.split('@')[1]!, props.inboundDomain])].map((identity) =>
              this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
            ),
          }),
        );
      }
      if (definition.sends?.includes('sms')) {
        // SMS goes straight to phone numbers, which have no ARN: SNS requires '*' for them.
        fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      }
      return fn;
    };
    for (const [name, definition] of Object.entries(resources) as [ResourceName, ResourceDefinition][]) {
      this.functions.set(name, functionFor(name, definition));
    }
    for (const [name, definition] of Object.entries(workers) as [WorkerName, ResourceDefinition][]) {
      this.workers.set(name, functionFor(name, definition));
    }

    // Whatever posts to Teams gets the bot's app id and may read its secret.
    const teamsSenders = [...Object.entries(resources), ...Object.entries(workers)]
      .filter(([, definition]) => (definition as ResourceDefinition).sends?.includes('teams'))
      .map(([name]) => this.functions.get(name as ResourceName) ?? this.workers.get(name as WorkerName)!);
    const teams = new TeamsBot(this, 'Teams', { appId: props.teamsAppId, functions: teamsSenders });

    this.inbound = new InboundEmail(this, 'InboundEmail', { domain: props.inboundDomain, handler: this.workers.get('inbound-email-receiver')! });
    new ReportSchedules(this, 'Schedules', {
      reports: this.workers.get('report-schedule')!,
      queueAlerts: this.workers.get('queue-alert-schedule')!,
    });

    this.api = new HttpApi(this, 'Api', {
      description: 'Desk Admin HTTP API',
      // Anything the route table does not name: 404, or 405 for a known path.
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', this.functions.get('fallback')!),
      // The web pages (another origin, CloudFront's) call the API. Tokens travel in the Authorization
      // header, never in cookies, so no origin gains anything a script elsewhere could not do; and
      // naming the distribution's domain here would make the API and the distribution depend on each other.
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.days(1),
      },
    });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };
    // One JSON line per request at the edge, with the request id the Lambdas log too.
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        sourceIp: '$context.identity.sourceIp',
        time: '$context.requestTime',
      }),
    };

    const integrations = new Map<ResourceName, HttpLambdaIntegration>();
    for (const [key, route] of Object.entries(routes)) {
      const { method, path } = splitRouteKey(key);
      const resource = route.resource as ResourceName;
      let integration = integrations.get(resource);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(resource)}Integration`, this.functions.get(resource)!);
        integrations.set(resource, integration);
      }
      // `ANY` (a protocol route's every method) is API Gateway's own ANY.
      this.api.addRoutes({ path, methods: [method === 'ANY' ? HttpMethod.ANY : (method as HttpMethod)], integration });
    }

    const live = new LiveChannel(this, 'Live', {
      handler: this.workers.get('live')!,
      // Whatever adds a ticket message, assigns a ticket or moves the queue pushes to the connections.
      publishers: [
        this.functions.get('tickets')!,
        this.functions.get('queue')!,
        this.functions.get('portals')!,
        this.functions.get('teams-messages')!,
        this.workers.get('inbound-email-receiver')!,
      ],
    });
    new Pages(this, 'Pages', { api: this.api, liveUrl: live.url });

    acknowledgeReviewedFindings(this);

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    // The operator puts the Teams app's client secret here (README "Microsoft Teams").
    new CfnOutput(this, 'TeamsAppPasswordSecretArn', { value: teams.appPassword.secretArn });
    // CloudFormation cannot activate a receipt rule set: `aws ses set-active-receipt-rule-set --rule-set-name <this>`.
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.inbound.ruleSet.receiptRuleSetName });
  }
}

function grantTable(fn: NodejsFunction, table: ITable, access: ResourceDefinition['table']) {
  if (access === 'none') return;
  const actions = access === 'read' ? tableActions.read : [...tableActions.read, ...tableActions.write];
  fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [table.tableArn, `${table.tableArn}/index/*`] }));
}

/**
 * cdk-nag (AwsSolutions) runs at every synth; these findings were reviewed and are deliberate.
 */
function acknowledgeReviewedFindings(stack: DeskAdminStack) {
  const arnOf = (construct: Construct) => `<${stack.getLogicalId(construct.node.defaultChild as CfnElement)}.Arn>`;
  const iam5 = (resource: string, reason: string) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason });
  Validations.of(stack).acknowledge(
    {
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason:
        'Every route authorises in its Lambda: the pipeline verifies the JWT and loads the caller fresh per request; public routes are public by contract.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only lets each function write its own logs.',
    },
    iam5(`${arnOf(stack.table)}/index/*`, "Queries use the table's own GSIs, and only them."),
    iam5('*', 'SMS is published straight to phone numbers, which have no ARN.'),
    iam5(`${arnOf(stack.inbound.bucket)}/inbound/*`, 'The intake reads only what SES stores under inbound/.'),
    {
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Rotating the token signing key would sign everyone out; it is rotated by hand with a key change, tokens expire in 8 hours.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'The inbound mail bucket is written only by SES and read only by the intake Lambda; objects expire after 30 days.',
    },
  );
}

function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
}
