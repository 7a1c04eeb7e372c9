/**
 * The command line of the SSO emulator, for trying awskeys by hand: starts it until Ctrl-C and
 * prints its URL and the env lines that point the SDKs (and botocore) at it.
 */
import { parseArgs } from 'node:util';
import { generateAccounts, hostileAccounts } from './accounts.js';
import { startSsoEmulator } from './index.js';

/** `npx tsx scripts/sso-emulator.ts [--port N] [--accounts N] [--auto-approve-after N] [--interval S]` */
export async function runEmulatorCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      accounts: { type: 'string' },
      'hostile-accounts': { type: 'string' },
      'rate-limit': { type: 'string' },
      'auto-approve-after': { type: 'string' },
      interval: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

  if (values.help) {
    process.stdout.write(
      'usage: npx tsx scripts/sso-emulator.ts [--port N] [--accounts N | --hostile-accounts N] [--rate-limit TPS]\n' +
        '                                      [--auto-approve-after N] [--interval S]\n',
    );
    process.exit(0);
  }

  const count = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) {
      process.stderr.write(`sso-emulator: --${name} must be a whole number, got ${raw}\n`);
      process.exit(2);
    }
    return n;
  };

  const accounts = count('accounts', values.accounts);
  const hostile = count('hostile-accounts', values['hostile-accounts']);
  const tps = count('rate-limit', values['rate-limit']);
  const emulator = await startSsoEmulator({
    port: count('port', values.port) ?? 0,
    ...(accounts !== undefined ? { accounts: generateAccounts(accounts) } : {}),
    ...(hostile !== undefined ? { accounts: hostileAccounts(hostile) } : {}),
    ...(tps ? { rateLimit: { requestsPerSecond: tps } } : {}),
    autoApproveAfterPolls: count('auto-approve-after', values['auto-approve-after']),
    ...(values.interval !== undefined ? { interval: count('interval', values.interval) ?? 1 } : {}),
  });

  const approval =
    values['auto-approve-after'] === undefined
      ? `open the verification URL and press Allow, or: curl -XPOST '${emulator.url}/_emulator/approve?user_code=CODE'`
      : `device codes are approved after ${values['auto-approve-after']} poll(s)`;
  process.stdout.write(
    [
      `SSO emulator listening on ${emulator.url}`,
      '# point the AWS SDKs (and awskeys, botocore, the aws CLI) at it:',
      `export AWS_ENDPOINT_URL_SSO=${emulator.url}`,
      `export AWS_ENDPOINT_URL_SSO_OIDC=${emulator.url}`,
      '# any start URL is accepted, e.g.:',
      '#   awskeys sso login --start-url https://example.awsapps.com/start --region us-east-1',
      `# ${approval}`,
      '# Ctrl-C stops it.',
      '',
    ].join('\n'),
  );

  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
