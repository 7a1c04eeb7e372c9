import { paddedBlocks } from './md-padding.js';

/**
 * SHA-1 of a string's UTF-8 bytes, as lowercase hex: the AWS CLI names its cache files this way.
 * In plain JavaScript because loading node:crypto costs about a tenth of node's start-up time
 * (docs/env.md, "Speed"), which `awskeys env` on a role-cache hit would pay to hash some 80 bytes. A file name, not security:
 * sha1.test.ts checks it against node:crypto.
 */
export function sha1HexUtf8(text: string): string {
  const view = paddedBlocks(text);

  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  // Written for V8's interpreter, which runs it (once per process, on a role-cache hit): no array
  // made and taken apart per round, no call per rotation; `| 0` keeps every value a 32-bit integer.
  const w = new Int32Array(80);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0);
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      const fk =
        i < 20
          ? ((b & c) | (~b & d)) + 0x5a827999
          : i < 40
            ? (b ^ c ^ d) + 0x6ed9eba1
            : i < 60
              ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
              : (b ^ c ^ d) + 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + fk + e + (w[i] ?? 0)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return hex8(h0) + hex8(h1) + hex8(h2) + hex8(h3) + hex8(h4);
}

function hex8(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
