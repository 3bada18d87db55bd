// Strings to sign of protocol XT1 (docs/gateway-protocol.md §2.2 and §3),
// mirroring sdk/go/canonical.go.

import smCrypto from 'sm-crypto'
import { toBytes } from './bytes.js'
import { BadQueryError } from './errors.js'

const { sm3 } = smCrypto

// Headers of the protocol.
export const HEADER_KEY_ID = 'X-XT-Key-Id'
export const HEADER_TIMESTAMP = 'X-XT-Timestamp'
export const HEADER_NONCE = 'X-XT-Nonce'
export const HEADER_ENCRYPTION = 'X-XT-Encryption'
export const HEADER_CONTENT_TYPE = 'X-XT-Content-Type'
export const HEADER_SIGNATURE = 'X-XT-Signature'
export const HEADER_SIGNATURE_METHOD = 'X-XT-Signature-Method'
export const HEADER_REQUEST_NONCE = 'X-XT-Request-Nonce'
export const HEADER_PLATFORM_KEY_ID = 'X-XT-Platform-Key-Id'

// Signature methods.
export const METHOD_HMAC = 'HMAC-SM3'
export const METHOD_SM2 = 'SM2-SM3'

/** The SM2 signer ID used in ZA on both sides. */
export const SIGNER_ID = '1234567812345678'

/** The query parameter that carries the sealed query string. */
export const ENCRYPTED_QUERY_PARAM = 'xt_q'

/**
 * Lower-case hex SM3 of the body exactly as sent (a string counts as its
 * UTF-8 bytes; no body is SM3 of the empty string).
 */
export function bodyHash (body) {
  return sm3(toBytes(body))
}

function isHex (c) {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

function hexVal (c) {
  if (c <= 0x39) return c - 0x30
  if (c <= 0x46) return c - 0x41 + 10
  return c - 0x61 + 10
}

// Percent-decoding of one query component, on bytes, as Go's
// url.QueryUnescape: "%XX" is a byte, "+" a space, a "%" not followed by two
// hex digits is an error. The result is bytes, not a string: a decoded
// component need not be valid UTF-8 and must survive unchanged.
function unescape (bytes) {
  const out = new Uint8Array(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]
    if (c === 0x25) { // '%'
      if (i + 2 >= bytes.length || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) throw new BadQueryError()
      out[n++] = (hexVal(bytes[i + 1]) << 4) | hexVal(bytes[i + 2])
      i += 2
    } else if (c === 0x2b) { // '+'
      out[n++] = 0x20
    } else {
      out[n++] = c
    }
  }
  return out.subarray(0, n)
}

const UPPER_HEX = '0123456789ABCDEF'

function unreserved (c) {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e
}

// Percent-encodes every byte outside A–Z a–z 0–9 - . _ ~ with upper-case hex.
function encode (bytes) {
  let s = ''
  for (const c of bytes) {
    if (unreserved(c)) s += String.fromCharCode(c)
    else s += '%' + UPPER_HEX[c >> 4] + UPPER_HEX[c & 15]
  }
  return s
}

/**
 * Sorts and re-encodes a raw query string as §2.2 says. Throws BadQueryError
 * for a query that cannot be percent-decoded. Characters that are not ASCII
 * count as their UTF-8 bytes.
 */
export function canonicalQuery (raw) {
  if (raw === undefined || raw === null || raw === '') return ''
  const pairs = []
  for (const part of raw.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const k = eq < 0 ? part : part.slice(0, eq)
    const v = eq < 0 ? '' : part.slice(eq + 1)
    pairs.push([encode(unescape(toBytes(k))), encode(unescape(toBytes(v)))])
  }
  // The encoded forms are ASCII, so comparing JS strings is byte order.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  return pairs.map(([k, v]) => k + '=' + v).join('&')
}

// Go's url.QueryEscape: unreserved bytes stay, a space becomes "+", every
// other byte is %XX.
function queryEscape (s) {
  let out = ''
  for (const c of toBytes(s)) {
    if (unreserved(c)) out += String.fromCharCode(c)
    else if (c === 0x20) out += '+'
    else out += '%' + UPPER_HEX[c >> 4] + UPPER_HEX[c & 15]
  }
  return out
}

function compareUtf8 (a, b) {
  const x = toBytes(a)
  const y = toBytes(b)
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i]
  return x.length - y.length
}

/**
 * Encodes query parameters the way Go's url.Values.Encode does: keys sorted
 * (byte order), each value in its given order, "k=v" joined with "&".
 * `params` is a plain object whose values are a string, number, boolean or
 * an array of those (undefined and null are left out), or a URLSearchParams
 * or Map.
 */
export function encodeQuery (params) {
  if (!params) return ''
  const m = new Map()
  const add = (k, v) => {
    if (v === undefined || v === null) return
    if (!m.has(k)) m.set(k, [])
    m.get(k).push(String(v))
  }
  const entries = (params instanceof URLSearchParams || params instanceof Map)
    ? params.entries()
    : Object.entries(params)
  for (const [k, v] of entries) {
    if (Array.isArray(v)) v.forEach(x => add(k, x))
    else add(k, v)
  }
  const keys = [...m.keys()].sort(compareUtf8)
  const parts = []
  for (const k of keys) for (const v of m.get(k)) parts.push(queryEscape(k) + '=' + queryEscape(v))
  return parts.join('&')
}

/**
 * The XT1-REQUEST string to sign of §2.2.
 * @param {{method: string, path: string, rawQuery?: string, keyId: string,
 *          timestamp: string|number, nonce: string, encryption?: string,
 *          body?: Uint8Array|string}} r
 */
export function requestStringToSign (r) {
  const q = canonicalQuery(r.rawQuery ?? '')
  return 'XT1-REQUEST\n' + r.method + '\n' + r.path + '\n' + q + '\n' + r.keyId + '\n' +
    String(r.timestamp) + '\n' + r.nonce + '\n' + (r.encryption ?? '') + '\n' + bodyHash(r.body) + '\n'
}

/**
 * The XT1-RESPONSE string to sign of §3.
 * @param {{status: number, requestNonce: string, timestamp: string, nonce: string,
 *          encryption?: string, body?: Uint8Array|string}} r
 */
export function responseStringToSign (r) {
  const status = Number.isInteger(r.status) && r.status > 0 ? String(r.status) : '0'
  return 'XT1-RESPONSE\n' + status + '\n' + r.requestNonce + '\n' + (r.timestamp ?? '') + '\n' + (r.nonce ?? '') + '\n' +
    (r.encryption ?? '') + '\n' + bodyHash(r.body) + '\n'
}

/** GCM additional data of a request's sealed parts: "<KEY ID>\n<TIMESTAMP>\n<NONCE>". */
export function requestAAD (keyId, timestamp, nonce) {
  return toBytes(keyId + '\n' + String(timestamp) + '\n' + nonce)
}

/** GCM additional data of a response body: "<KEY ID>\n<REQUEST NONCE>\nRESPONSE". */
export function responseAAD (keyId, requestNonce) {
  return toBytes(keyId + '\n' + requestNonce + '\nRESPONSE')
}
