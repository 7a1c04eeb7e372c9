// Starts the SSO emulator until Ctrl-C: npx tsx scripts/sso-emulator.ts [--port N] [--accounts N] [--auto-approve-after N]
// (npm run sso-emulator -- ...). The code lives in test/support/sso-emulator/cli.ts.
import { runEmulatorCli } from '../test/support/sso-emulator/cli.js';

await runEmulatorCli(process.argv.slice(2));
