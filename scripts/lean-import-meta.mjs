// Injected into the CommonJS lean bundle (scripts/build.mjs), where __filename is the bundle's own
// path: what import.meta.url means in the ES-module builds, so a module can require relative to
// itself in both (src/vault/native-keyring.ts). node:url is loaded by node's start-up already.
import { pathToFileURL } from 'node:url';

export const __awskeysImportMetaUrl = pathToFileURL(__filename).href;
