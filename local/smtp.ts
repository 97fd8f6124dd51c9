import { SMTPServer, type SMTPServerError } from 'smtp-server';

/**
 * The local stand-in for SES inbound mail: a plain SMTP server (`SMTP_PORT`) that refuses unknown
 * recipients during RCPT TO, as a real mail host does, and hands each accepted message over raw,
 * just as the SES receipt rule hands the Lambda the stored message.
 */
export interface SmtpServerOptions {
  port: number;
  host?: string;
  acceptsRecipient: (address: string) => Promise<boolean>;
  onMessage: (raw: Buffer, envelope: { from: string; to: string[] }) => Promise<void>;
}

export interface RunningSmtpServer {
  port: number;
  close: () => Promise<void>;
}

// SES receives messages up to 40 MB; locally 10 MB is plenty and bounds what is held in memory.
const maxMessageBytes = 10 * 1024 * 1024;

export async function startSmtpServer(options: SmtpServerOptions): Promise<RunningSmtpServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      options.acceptsRecipient(address.address.toLowerCase()).then(
        (accepted) => callback(accepted ? null : smtpError(550, `No mailbox here by the name ${address.address}`)),
        (err: Error) => callback(temporaryFailure(err)),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `Messages are limited to ${maxMessageBytes} bytes`));
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        };
        options.onMessage(Buffer.concat(chunks), envelope).then(
          () => callback(),
          (err: Error) => callback(temporaryFailure(err)),
        );
      });
    },
  });
  // A dropped client connection is the client's problem, not a reason to stop serving.
  server.on('error', (err: Error) => console.error(`SMTP: ${err.message}`));

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      resolve((server.server.address() as { port: number }).port);
    });
  });
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * An unexpected failure is the sender's cue to try again later (451), as a real mail host answers;
 * what went wrong is logged here and never told to the sender.
 */
function temporaryFailure(err: Error): SMTPServerError {
  console.error(`SMTP: ${err.stack ?? err.message}`);
  return smtpError(451, 'Temporary failure, please try again later');
}

function smtpError(responseCode: number, message: string): SMTPServerError {
  return Object.assign(new Error(message), { responseCode });
}
