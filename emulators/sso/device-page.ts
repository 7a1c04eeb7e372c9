import type { DeviceAuthorization } from './state.js';

/** The page verificationUriComplete opens: lets a person at a browser allow or deny a code. */
export function devicePage(userCode: string, device: DeviceAuthorization | undefined): string {
  const code = escapeHtml(userCode);
  const status = device ? `Status: ${device.status}` : 'Unknown code';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>SSO emulator: authorize device</title></head>
<body>
<h1>Authorize request</h1>
<p>Code: <strong>${code}</strong></p>
<p>${escapeHtml(status)}</p>
<form method="post" action="/device"><input type="hidden" name="user_code" value="${code}">
<button name="decision" value="allow">Allow</button>
<button name="decision" value="deny">Deny</button>
</form>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
