import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../shared/config.js';
import { localMailArchive } from '../shared/email/mail-archive.js';
import { acceptsRecipient, receiveEmail } from '../shared/tickets/email-intake.js';
import { createLocalServer } from './api-server.js';
import { scheduleHandlers } from './schedules.js';
import { startSesStandIn, startSnsStandIn } from './stand-ins.js';
import { startBotFrameworkStandIn } from './bot-framework.js';
import { startSmtpServer, type RunningSmtpServer } from './smtp.js';
import { listen } from './net.js';

export interface LocalServices {
  apiUrl: string;
  smtpPort: number;
  ses: Awaited<ReturnType<typeof startSesStandIn>>;
  sns: Awaited<ReturnType<typeof startSnsStandIn>>;
  teams: Awaited<ReturnType<typeof startBotFrameworkStandIn>>;
  /** Runs a schedule's handler now, as EventBridge would. */
  runSchedule: (name: string) => Promise<unknown>;
  close: () => Promise<void>;
}

/**
 * Everything around the handlers that `npm start`, the tests and the benchmark share: the SES,
 * SNS and Bot Framework stand-ins, the local API server, the SMTP port for inbound mail, and the schedules on demand.
 * The table's configuration must be in the environment already; the stand-ins' endpoints are added
 * here, before anything uses the configuration (it is read once, on first use).
 */
export async function startLocalServices(options: { apiPort: number; smtpPort: number; mailArchiveDir?: string }): Promise<LocalServices> {
  const ses = await startSesStandIn();
  const sns = await startSnsStandIn();
  const teams = await startBotFrameworkStandIn();
  // Whole raw mail too large for one ticket message; a fresh temporary folder unless given one.
  const archive = localMailArchive(options.mailArchiveDir ?? (await mkdtemp(join(tmpdir(), 'desk-admin-mail-'))));

  const runSchedule = async (name: string) => {
    const run = scheduleHandlers[name as keyof typeof scheduleHandlers];
    if (!run) throw new Error(`No schedule named ${name}`);
    return run();
  };
  const server: Server = createLocalServer({
    outbox: {
      list: async () => [...(await ses.messages()), ...sns.messages(), ...teams.messages()],
      clear: async () => {
        await ses.clear();
        sns.clear();
        teams.clear();
      },
    },
    schedules: scheduleHandlers,
    // Activities go to this very server's messaging endpoint, once it listens.
    teams: {
      deliver: (input) => teams.deliver(`http://127.0.0.1:${apiPort}`, input),
      install: (input) => teams.install(`http://127.0.0.1:${apiPort}`, input),
      token: teams.token,
    },
  });
  const apiPort = await listen(server, options.apiPort);
  // Set once the server listens: its port also serves the live channel's `@connections` API.
  const liveEndpoint = `http://127.0.0.1:${apiPort}`;
  process.env.SES_ENDPOINT = ses.endpoint;
  process.env.SNS_ENDPOINT = sns.endpoint;
  process.env.LIVE_CONNECTIONS_ENDPOINT = liveEndpoint;
  Object.assign(process.env, {
    TEAMS_APP_ID: teams.appId,
    TEAMS_APP_PASSWORD: teams.appPassword,
    TEAMS_JWKS_URL: teams.jwksUrl,
    TEAMS_TOKEN_ENDPOINT: teams.tokenEndpoint,
  });
  if (
    config.SES_ENDPOINT !== ses.endpoint ||
    config.SNS_ENDPOINT !== sns.endpoint ||
    config.LIVE_CONNECTIONS_ENDPOINT !== liveEndpoint ||
    config.TEAMS_JWKS_URL !== teams.jwksUrl ||
    config.TEAMS_APP_ID !== teams.appId
  ) {
    throw new Error('Configuration was read before the local services started: mail, SMS, live pushes and Teams would not reach the stand-ins.');
  }
  const smtp: RunningSmtpServer = await startSmtpServer({
    port: options.smtpPort,
    acceptsRecipient,
    onMessage: async (raw, envelope) => {
      await receiveEmail(raw, { recipients: envelope.to, sender: envelope.from, archive });
    },
  });
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    smtpPort: smtp.port,
    ses,
    sns,
    teams,
    runSchedule,
    close: async () => {
      server.closeAllConnections();
      await Promise.allSettled([new Promise((r) => server.close(r)), smtp.close(), ses.close(), sns.close(), teams.close()]);
    },
  };
}
