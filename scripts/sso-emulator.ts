// Starts the SSO emulator until Ctrl-C: npx tsx scripts/sso-emulator.ts [--port N] [--accounts N] [--auto-approve-after N]
// (npm run sso-emulator -- ...). The code lives in emulators/sso/cli.ts.
import { runEmulatorCli } from '../emulators/sso/cli.js';

await runEmulatorCli(process.argv.slice(2));
