import * as z from 'zod';

/**
 * Runtime configuration, read and checked once per cold start, on first use rather than at import:
 * a missing or malformed variable fails loudly there instead of surfacing as an odd error later,
 * and whoever sets the environment (tests, the local runtime) need not care about import order.
 */
const configSchema = z.object({
  TABLE_NAME: z.string().min(3),
  AWS_REGION: z.string().default('us-east-1'),
  /** Local endpoints; unset in the cloud, where the SDK finds the real services. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
  SNS_ENDPOINT: z.url().optional(),
  /** The WebSocket stage's `@connections` API (its callback URL in AWS, the local server's own port locally). */
  LIVE_CONNECTIONS_ENDPOINT: z.url().optional(),
  /** Token signing secret: given directly locally and in tests, as a Secrets Manager ARN in AWS. */
  JWT_SECRET: z.string().min(32).optional(),
  JWT_SECRET_ARN: z.string().optional(),
  TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 3600),
  /** scrypt cost as log2(N); OWASP's 17 by default. Tests lower it to keep the suite fast. */
  PASSWORD_HASH_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
  MAIL_FROM: z.email().default('support@desk-admin.local'),
  PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  /** Where the SES receipt rule stores inbound mail (the inbound-email-receiver Lambda only). */
  INBOUND_BUCKET: z.string().optional(),
  /** The Teams bot's Microsoft app id: the `aud` of Bot Framework tokens, and who asks for ours. Unset where nothing speaks to Teams. */
  TEAMS_APP_ID: z.string().min(1).optional(),
  /** The app's client secret: given directly locally and in tests, as a Secrets Manager ARN in AWS. */
  TEAMS_APP_PASSWORD: z.string().min(1).optional(),
  TEAMS_APP_PASSWORD_ARN: z.string().optional(),
  /** The keys Bot Framework signs its tokens with (the local stand-in's locally). */
  TEAMS_JWKS_URL: z.url().default('https://login.botframework.com/v1/.well-known/keys'),
  /** Where the bot gets its own tokens for the Bot Connector API (client credentials). */
  TEAMS_TOKEN_ENDPOINT: z.url().default('https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token'),
});

export type Config = z.infer<typeof configSchema>;

function readConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  if (!parsed.data.JWT_SECRET && !parsed.data.JWT_SECRET_ARN) {
    throw new Error('Invalid configuration: set JWT_SECRET or JWT_SECRET_ARN');
  }
  return parsed.data;
}

let loaded: Config | undefined;

function loadConfig(): Config {
  loaded ??= readConfig(process.env);
  return loaded;
}

/** The configuration: the first property read parses and checks the whole environment, once. */
export const config: Readonly<Config> = Object.defineProperties(
  {} as Config,
  Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, { enumerable: true, get: () => loadConfig()[key as keyof Config] }])),
);
