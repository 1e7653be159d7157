import { startSinks } from '../sinks/start-sinks';
import type { CliIo, Command } from './command';

const usage = `Usage: durable-recovery sinks [--port <n>]

Captures Teams Workflows webhook posts and e-mails on 127.0.0.1 so approvals work with no cloud, and
lists them on a page with clickable links. Point the app at it with
  TEAMS_WEBHOOK_URLS={"*":"<teams webhook>/<channel>"}  EMAIL_SINK_URL=<e-mail endpoint>
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM. See docs/approvals.md.

Options:
  --port   TCP port (default 7075; 0 picks a free one)`;

export const sinksCommand: Command = {
  name: 'sinks',
  summary: 'capture Teams cards and e-mails locally and list them with clickable links',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    let port = 7075;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--port') {
        const value = Number(args[++i]);
        if (!Number.isInteger(value) || value < 0 || value > 65535) {
          io.err('--port must be an integer from 0 to 65535\n');
          return 2;
        }
        port = value;
      } else {
        io.err(`unknown option '${args[i]}'\n\n${usage}\n`);
        return 2;
      }
    }
    let sinks;
    try {
      sinks = await startSinks({
        port,
        onMessage: (m) => io.out(`captured ${m.channel} #${m.id} → ${m.to.join(', ')}: ${m.title}\n`),
      });
    } catch (error) {
      io.err(`--port ${port}: cannot listen (${(error as Error).message})\n`);
      return 1;
    }
    io.out(
      `Sinks listening on ${sinks.url}\n  page:          ${sinks.url}/\n  teams webhook: ${sinks.teamsWebhookUrl}/<channel>\n  e-mail:        ${sinks.emailEndpoint}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sinks.stop();
    return 0;
  },
};
