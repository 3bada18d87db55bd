// Reading SM2 keys from PEM into sm-crypto's hex form: a private key is the
// 64 hex digits of d, a public key "04" ‖ x ‖ y (130 hex digits).
//
// Accepted: "PRIVATE KEY" (PKCS#8, unencrypted — what OpenSSL 3's
// `genpkey -algorithm SM2` and xietong write), "EC PRIVATE KEY" / "SM2
// PRIVATE KEY" (SEC 1) and "PUBLIC KEY" (SPKI).

import smCrypto from 'sm-crypto'
import { toBytes, toHex, base64Decode, bytesEqual } from './bytes.js'
import { XietongError } from './errors.js'

const { sm2 } = smCrypto

// OIDs, DER-encoded contents.
const OID_EC_PUBLIC_KEY = Uint8Array.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]) // 1.2.840.10045.2.1
const OID_SM2 = Uint8Array.from([0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d]) // 1.2.156.10197.1.301

/**
 * Reads one DER TLV at offset o (not past `limit`): { tag, start, end } with
 * the value at [start, end). Definite lengths only.
 */
export function derRead (der, o, limit = der.length) {
  if (o + 2 > limit) throw new XietongError('xietong: truncated DER')
  const tag = der[o]
  let len = der[o + 1]
  let start = o + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || start + n > limit) throw new XietongError('xietong: bad DER length')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]
    start += n
  }
  const end = start + len
  if (end > limit) throw new XietongError('xietong: truncated DER')
  return { tag, start, end }
}

function children (der, e) {
  const out = []
  for (let o = e.start; o < e.end;) {
    const c = derRead(der, o, e.end)
    out.push(c)
    o = c.end
  }
  return out
}

function value (der, e) {
  return der.subarray(e.start, e.end)
}

/** Decodes the first PEM block of the given type(s); returns its DER bytes and type. */
export function pemDecode (pem, types) {
  const text = typeof pem === 'string' ? pem : new TextDecoder().decode(toBytes(pem))
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g
  let m
  while ((m = re.exec(text))) {
    if (!types.includes(m[1])) continue
    if (/^\s*Proc-Type:/m.test(m[2])) throw new XietongError('xietong: encrypted PEM keys are not supported')
    return { type: m[1], der: base64Decode(m[2].replace(/\s+/g, '')) }
  }
  throw new XietongError(`xietong: no PEM ${types.map(t => `"${t}"`).join(' or ')} block`)
}

function checkCurve (der, algSeq) {
  const alg = children(der, algSeq)
  if (alg.length < 2 || alg[0].tag !== 0x06 || !bytesEqual(value(der, alg[0]), OID_EC_PUBLIC_KEY) ||
      alg[1].tag !== 0x06 || !bytesEqual(value(der, alg[1]), OID_SM2)) {
    throw new XietongError('xietong: not an SM2 key')
  }
}

function publicFromBitString (der, bit) {
  const v = value(der, bit)
  // BIT STRING with no unused bits, holding an uncompressed point 04 ‖ x ‖ y.
  if (v.length !== 66 || v[0] !== 0 || v[1] !== 0x04) {
    throw new XietongError('xietong: want an uncompressed SM2 public key')
  }
  const hex = toHex(v.subarray(1))
  if (!sm2.verifyPublicKey(hex)) throw new XietongError('xietong: public key is not a point on SM2')
  return hex
}

// ECPrivateKey (SEC 1): SEQUENCE { INTEGER 1, OCTET STRING d, [0] params OPTIONAL, [1] BIT STRING pub OPTIONAL }
function fromEcPrivateKey (der, seqEl) {
  const f = children(der, seqEl)
  if (f.length < 2 || f[0].tag !== 0x02 || f[1].tag !== 0x04) throw new XietongError('xietong: bad EC private key')
  let params = null
  let pub = null
  for (const x of f.slice(2)) {
    if (x.tag === 0xa0) params = x
    if (x.tag === 0xa1) pub = x
  }
  if (params) {
    const oid = children(der, params)[0]
    if (!oid || oid.tag !== 0x06 || !bytesEqual(value(der, oid), OID_SM2)) throw new XietongError('xietong: not an SM2 key')
  }
  let d = toHex(value(der, f[1]))
  while (d.length > 64 && d.startsWith('00')) d = d.slice(2)
  d = d.padStart(64, '0')
  if (d.length !== 64 || /^0+$/.test(d)) throw new XietongError('xietong: bad SM2 private key')
  const derived = sm2.getPublicKeyFromPrivateKey(d)
  if (pub) {
    const bit = children(der, pub)[0]
    if (!bit || bit.tag !== 0x03) throw new XietongError('xietong: bad EC private key')
    if (publicFromBitString(der, bit) !== derived) throw new XietongError('xietong: private and public key do not match')
  }
  return d
}

/**
 * The SM2 private key of a PEM "PRIVATE KEY" (PKCS#8) or "EC PRIVATE KEY" /
 * "SM2 PRIVATE KEY" (SEC 1), as 64 hex digits.
 */
export function privateKeyFromPem (pem) {
  const { type, der } = pemDecode(pem, ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY'])
  const top = derRead(der, 0)
  if (top.tag !== 0x30 || top.end !== der.length) throw new XietongError('xietong: bad private key DER')
  if (type !== 'PRIVATE KEY') return fromEcPrivateKey(der, top)
  // PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING ECPrivateKey, … }
  const f = children(der, top)
  if (f.length < 3 || f[0].tag !== 0x02 || f[1].tag !== 0x30 || f[2].tag !== 0x04) {
    throw new XietongError('xietong: bad PKCS#8 private key')
  }
  checkCurve(der, f[1])
  const inner = der.subarray(f[2].start, f[2].end)
  const seq = derRead(inner, 0)
  if (seq.tag !== 0x30 || seq.end !== inner.length) throw new XietongError('xietong: bad PKCS#8 private key')
  return fromEcPrivateKey(inner, seq)
}

/** The SM2 public key of a PEM "PUBLIC KEY" (SPKI), as "04" ‖ x ‖ y in hex. */
export function publicKeyFromPem (pem) {
  const { der } = pemDecode(pem, ['PUBLIC KEY'])
  const top = derRead(der, 0)
  if (top.tag !== 0x30 || top.end !== der.length) throw new XietongError('xietong: bad public key DER')
  const f = children(der, top)
  if (f.length !== 2 || f[0].tag !== 0x30 || f[1].tag !== 0x03) throw new XietongError('xietong: bad SPKI public key')
  checkCurve(der, f[0])
  return publicFromBitString(der, f[1])
}

/** The public key ("04" ‖ x ‖ y hex) of a private key (hex). */
export function publicKeyFromPrivate (privHex) {
  return sm2.getPublicKeyFromPrivateKey(privHex)
}
