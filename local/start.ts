/**
 * `npm start`: the whole system on one machine, no cloud account. DynamoDB Local (persistent in
 * DATA_DIR), the SES and SNS stand-ins, and the route table served by the real handlers.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureTable, startLocalDynamo } from './dynamodb.js';
import { freePort } from './net.js';
import { startLocalServices } from './services.js';
import { startScheduleTicks } from './ticks.js';

const port = Number(process.env.PORT ?? 3000);
const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const tableName = 'desk-admin';

async function signingSecret(): Promise<string> {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

async function main() {
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  const dynamo = await startLocalDynamo({ port: Number(process.env.DYNAMODB_PORT) || (await freePort()), path: join(dataDir, 'dynamodb') });

  // Configuration is read once, on first use: set it before the services start.
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    JWT_SECRET: await signingSecret(),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  await ensureTable(dynamo.endpoint, tableName);
  const services = await startLocalServices({ apiPort: port, smtpPort, mailArchiveDir: join(dataDir, 'mail-archive') });
  const ticks = startScheduleTicks(services.runSchedule);

  const url = `http://127.0.0.1:${port}`;
  console.log(`Desk Admin is running at ${url} (data in ${dataDir})`);
  console.log(
    `Create an account: curl -s -X POST ${url}/v1/accounts -H 'content-type: application/json' ` +
      `-d '{"name":"Acme IT","slug":"acme","admin":{"email":"admin@acme.test","password":"correct horse battery","firstName":"Ada","lastName":"Admin"}}'`,
  );
  console.log(`Inbound email: SMTP on 127.0.0.1:${services.smtpPort} (to a portal's support address)`);
  console.log(`Outbox (emails and SMS sent): ${url}/_local/outbox · Stop with Ctrl-C.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    ticks.stop();
    await services.close();
    await dynamo.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
