// Injected into the CommonJS lean bundle (scripts/build.mjs), where __filename is the bundle's own
// path: what import.meta.url means in the ES-module builds, so a module can require relative to
// itself in both (src/vault/native-keyring.ts). Computed when read: making the URL at load time
// cost every run about a hundredth of node's start-up, for the vault's addon alone.
import { pathToFileURL } from 'node:url';

export const __awskeysImportMeta = {
  get url() {
    return pathToFileURL(__filename).href;
  },
};
