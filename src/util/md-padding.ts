/**
 * A string's UTF-8 bytes padded as SHA-1 and SHA-256 pad their input (FIPS 180-4 5.1.1): the
 * message, 0x80, zeros, and the 64-bit big-endian bit length, filling whole 64-byte blocks.
 */
export function paddedBlocks(text: string): DataView {
  const bytes = new TextEncoder().encode(text);
  const blocks = Math.ceil((bytes.length + 9) / 64);
  const data = new Uint8Array(blocks * 64);
  data.set(bytes);
  data[bytes.length] = 0x80;
  const view = new DataView(data.buffer);
  const bits = bytes.length * 8;
  view.setUint32(data.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(data.length - 4, bits >>> 0);
  return view;
}
