// Starts the Sign-In emulator until Ctrl-C: npx tsx scripts/signin-emulator.ts [--port N] [--auto-approve]
// (npm run signin-emulator -- ...). Point the SDKs at it with AWS_ENDPOINT_URL_SIGNIN.
import { parseArgs } from 'node:util';
import { startSigninEmulator } from '../emulators/signin/index.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'auto-approve': { type: 'boolean' } } });
const emulator = await startSigninEmulator({ port: Number(values.port), autoApprove: values['auto-approve'] ?? false });
process.stdout.write(`Sign-In emulator listening on ${emulator.url}\nexport AWS_ENDPOINT_URL_SIGNIN=${emulator.url}\n# Ctrl-C stops it.\n`);
const stop = (): void => {
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
