// Byte helpers shared by the SDK. Everything that is hashed, signed or
// encrypted is a Uint8Array; strings are turned into UTF-8 bytes here, once.

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })

/** UTF-8 bytes of a string; a Uint8Array (or Buffer) is returned as a plain Uint8Array view. */
export function toBytes (v) {
  if (v === undefined || v === null) return new Uint8Array(0)
  if (typeof v === 'string') return encoder.encode(v)
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
  if (v instanceof ArrayBuffer) return new Uint8Array(v)
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
  if (Array.isArray(v)) return Uint8Array.from(v)
  throw new TypeError('xietong: expected a string or bytes')
}

/** Decodes UTF-8 bytes to a string. */
export function utf8Decode (b) {
  return decoder.decode(b)
}

export function concat (...parts) {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

const HEX = '0123456789abcdef'

export function toHex (b) {
  let s = ''
  for (let i = 0; i < b.length; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15]
  return s
}

export function fromHex (s) {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new TypeError('xietong: bad hex string')
  }
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16)
  return out
}

// Base64. Buffer is used when present (Node); atob/btoa otherwise.
const hasBuffer = typeof Buffer === 'function'

/** Standard alphabet, padded (what the signature header and sealed bodies use). */
export function base64Encode (b) {
  b = toBytes(b)
  if (hasBuffer) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')
  let s = ''
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i])
  return btoa(s)
}

/** URL alphabet without padding (what `xt_q` and nonces use). */
export function base64UrlEncode (b) {
  return base64Encode(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Strict standard base64 decoding, like Go's base64.StdEncoding.DecodeString:
 * CR and LF are ignored, anything else outside the alphabet, or wrong
 * padding, is an error (Buffer.from(s, 'base64') would silently skip it).
 */
export function base64Decode (s) {
  if (typeof s !== 'string') throw new TypeError('xietong: base64 text expected')
  s = s.replace(/[\r\n]/g, '')
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(={0,2})$/.test(s) || /=[^=]/.test(s)) {
    throw new TypeError('xietong: malformed base64')
  }
  let out
  if (hasBuffer) {
    out = new Uint8Array(Buffer.from(s, 'base64'))
  } else {
    const bin = atob(s)
    out = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  }
  return out
}

/** Constant-time comparison of two byte arrays. */
export function bytesEqual (a, b) {
  if (a.length !== b.length) return false
  let d = 0
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i]
  return d === 0
}

/** n bytes from the platform's CSPRNG (globalThis.crypto, present in Node ≥ 19 and browsers). */
export function randomBytes (n) {
  const out = new Uint8Array(n)
  globalThis.crypto.getRandomValues(out)
  return out
}
