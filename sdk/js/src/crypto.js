// Signatures, SM4 sealing and the SM2 digital envelope (数字信封) of protocol
// XT1, mirroring sdk/go/crypto.go.

import smCrypto from 'sm-crypto'
import { toBytes, toHex, fromHex, concat, base64Decode, randomBytes } from './bytes.js'
import { SIGNER_ID, HEADER_ENCRYPTION } from './canonical.js'
import { gcmEncrypt, gcmDecrypt, GCM_NONCE_SIZE, GCM_TAG_SIZE } from './gcm.js'
import { DecryptError, XietongError } from './errors.js'
import { derRead } from './keys.js'

const { sm2, sm3, sm4 } = smCrypto

// Encryption modes.
export const MODE_GCM = 'SM4-GCM'
export const MODE_CBC = 'SM4-CBC'

const BLOCK = 16

/**
 * HMAC-SM3(secret, msg), 32 bytes. The secret is used as its UTF-8 bytes
 * (for the protocol: the 43-character text itself, not its base64url
 * decoding). Strings are UTF-8; bytes are taken as they are.
 */
export function hmacSign (secret, msg) {
  // sm-crypto reads a *string* key as hex, so always hand it bytes.
  const key = Array.from(toBytes(secret))
  if (key.length === 0) throw new XietongError('xietong: empty HMAC secret')
  return fromHex(sm3(toBytes(msg), { key }))
}

// ---- SM2 --------------------------------------------------------------

// Order of the SM2 curve.
const N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123n

// sm-crypto draws the signature nonce k from an RC4 stream seeded once per
// process. We hand doSignature a point made from node/web crypto instead
// (its `pointPool` option). The pool wants jsbn BigIntegers; jsbn is
// sm-crypto's own dependency, and its constructor is taken from a point
// sm-crypto makes, so that sm-crypto remains our only dependency.
let JsbnBigInteger = null
function jsbn (hex) {
  if (!JsbnBigInteger) JsbnBigInteger = sm2.getPoint().k.constructor
  return new JsbnBigInteger(hex, 16)
}

function freshPoint () {
  for (;;) {
    const k = BigInt('0x' + toHex(randomBytes(32)))
    if (k === 0n || k >= N) continue // rejection sampling: uniform in [1, n-1]
    const kHex = k.toString(16).padStart(64, '0')
    const kG = sm2.getPublicKeyFromPrivateKey(kHex) // '04' ‖ x ‖ y
    return { k: jsbn(kHex), x1: jsbn(kG.slice(2, 66)) }
  }
}

function checkPrivateKey (privHex) {
  if (typeof privHex !== 'string' || !/^[0-9a-fA-F]{1,64}$/.test(privHex)) {
    throw new XietongError('xietong: SM2 private key must be hex (use privateKeyFromPem)')
  }
  const d = BigInt('0x' + privHex)
  if (d === 0n || d >= N - 1n) throw new XietongError('xietong: SM2 private key out of range')
  return privHex.toLowerCase().padStart(64, '0')
}

/**
 * SM2 signature of msg (GB/T 32918.2) with SM3, ZA over signer ID
 * "1234567812345678", as ASN.1 DER bytes. `publicKey` (hex) may be given to
 * save deriving it from the private key on every call.
 */
export function sm2Sign (privHex, msg, { publicKey } = {}) {
  privHex = checkPrivateKey(privHex)
  const sigHex = sm2.doSignature(toBytes(msg), privHex, {
    der: true, // DER SEQUENCE { r, s }, not raw r ‖ s
    hash: true, // e = SM3(ZA ‖ M), not the message itself
    userId: SIGNER_ID,
    publicKey: publicKey || sm2.getPublicKeyFromPrivateKey(privHex),
    pointPool: [freshPoint()]
  })
  return fromHex(sigHex)
}

/** Checks a DER SM2-SM3 signature of msg with signer ID "1234567812345678". Never throws. */
export function sm2Verify (pubHex, msg, sigDer) {
  try {
    if (typeof pubHex !== 'string' || !sm2.verifyPublicKey(pubHex)) return false
    return sm2.doVerifySignature(toBytes(msg), toHex(toBytes(sigDer)), pubHex, {
      der: true, hash: true, userId: SIGNER_ID
    })
  } catch {
    return false
  }
}

// ---- SM4 --------------------------------------------------------------

function dataKey (key) {
  const k = typeof key === 'string' ? fromHex(key) : toBytes(key)
  if (k.length !== 16) throw new XietongError('xietong: an SM4 key is 16 bytes')
  return k
}

/**
 * Encrypts plaintext with the data key in the given mode (§2.3):
 * 'SM4-GCM' → 12-byte nonce ‖ ciphertext ‖ 16-byte tag, with aad;
 * 'SM4-CBC' → 16-byte IV ‖ ciphertext, PKCS#7 (aad is not used).
 * `opts.nonce` fixes the GCM nonce or CBC IV; it is for tests only: never
 * reuse a nonce with the same key.
 */
export function seal (mode, key, plaintext, aad, opts = {}) {
  const k = dataKey(key)
  const pt = toBytes(plaintext)
  switch (mode) {
    case MODE_GCM: {
      const nonce = opts.nonce ? toBytes(opts.nonce) : randomBytes(GCM_NONCE_SIZE)
      if (nonce.length !== GCM_NONCE_SIZE) throw new XietongError('xietong: SM4-GCM nonce must be 12 bytes')
      return concat(nonce, gcmEncrypt(k, nonce, pt, toBytes(aad)))
    }
    case MODE_CBC: {
      const iv = opts.nonce ? toBytes(opts.nonce) : randomBytes(BLOCK)
      if (iv.length !== BLOCK) throw new XietongError('xietong: SM4-CBC IV must be 16 bytes')
      const pad = BLOCK - (pt.length % BLOCK)
      const padded = new Uint8Array(pt.length + pad)
      padded.set(pt)
      padded.fill(pad, pt.length)
      // Padding is done here, so sm-crypto is told 'none'.
      const ct = sm4.encrypt(padded, k, { mode: 'cbc', iv: Array.from(iv), padding: 'none', output: 'array' })
      return concat(iv, Uint8Array.from(ct))
    }
  }
  throw new XietongError(`xietong: unknown encryption mode "${mode}"`)
}

/** Decrypts what seal made; throws DecryptError without saying why. */
export function open (mode, key, sealed, aad) {
  const k = dataKey(key)
  const s = toBytes(sealed)
  switch (mode) {
    case MODE_GCM: {
      if (s.length < GCM_NONCE_SIZE + GCM_TAG_SIZE) throw new DecryptError()
      const pt = gcmDecrypt(k, s.subarray(0, GCM_NONCE_SIZE), s.subarray(GCM_NONCE_SIZE), toBytes(aad))
      if (!pt) throw new DecryptError()
      return pt
    }
    case MODE_CBC: {
      if (s.length < 2 * BLOCK || s.length % BLOCK !== 0) throw new DecryptError()
      let out
      try {
        out = Uint8Array.from(sm4.decrypt(s.subarray(BLOCK), k, {
          mode: 'cbc', iv: Array.from(s.subarray(0, BLOCK)), padding: 'none', output: 'array'
        }))
      } catch {
        throw new DecryptError()
      }
      // PKCS#7, checked here (sm-crypto accepts a pad byte of 0).
      const pad = out[out.length - 1]
      if (pad === 0 || pad > BLOCK || pad > out.length) throw new DecryptError()
      for (let i = out.length - pad; i < out.length; i++) if (out[i] !== pad) throw new DecryptError()
      return out.subarray(0, out.length - pad)
    }
  }
  throw new XietongError(`xietong: unknown encryption mode "${mode}"`)
}

/** Splits an X-XT-Encryption value ("SM4-GCM;dk_…") into mode and data key id. */
export function parseEncryption (v) {
  const i = typeof v === 'string' ? v.indexOf(';') : -1
  const mode = i < 0 ? '' : v.slice(0, i)
  const keyId = i < 0 ? '' : v.slice(i + 1)
  if (i < 0 || (mode !== MODE_GCM && mode !== MODE_CBC) || !keyId.startsWith('dk_') || keyId.length > 64) {
    throw new XietongError(`xietong: bad ${HEADER_ENCRYPTION} "${v}"`)
  }
  return { mode, keyId }
}

// ---- the digital envelope (数字信封) ------------------------------------

/**
 * Converts an ASN.1 SM2 ciphertext (GM/T 0009: SEQUENCE { INTEGER x,
 * INTEGER y, OCTET STRING C3, OCTET STRING C2 }) to the C1C3C2 hex without
 * the 04 prefix that sm-crypto's doDecrypt reads.
 */
export function sm2CiphertextAsn1ToC1C3C2 (der) {
  const seq = derRead(der, 0)
  if (seq.tag !== 0x30 || seq.end !== der.length) throw new XietongError('xietong: envelope is not an ASN.1 SM2 ciphertext')
  const parts = []
  for (let o = seq.start; o < seq.end;) {
    const e = derRead(der, o, seq.end)
    parts.push(e)
    o = e.end
  }
  if (parts.length !== 4 || parts[0].tag !== 0x02 || parts[1].tag !== 0x02 ||
      parts[2].tag !== 0x04 || parts[3].tag !== 0x04) {
    throw new XietongError('xietong: envelope is not an ASN.1 SM2 ciphertext')
  }
  const coord = (e) => {
    let v = der.subarray(e.start, e.end)
    if (v.length === 0 || (v[0] & 0x80)) throw new XietongError('xietong: envelope point out of range')
    while (v.length > 0 && v[0] === 0) v = v.subarray(1) // INTEGER sign byte
    if (v.length > 32) throw new XietongError('xietong: envelope point out of range')
    return toHex(v).padStart(64, '0')
  }
  const c3 = der.subarray(parts[2].start, parts[2].end)
  if (c3.length !== 32) throw new XietongError('xietong: envelope C3 is not an SM3 hash')
  return coord(parts[0]) + coord(parts[1]) + toHex(c3) + toHex(der.subarray(parts[3].start, parts[3].end))
}

/**
 * SM2-decrypts a data key delivered as base64 of an ASN.1 SM2
 * ciphertext to the consumer's key, and returns the 16-byte SM4 key.
 */
export function openEnvelope (privHex, b64) {
  privHex = checkPrivateKey(privHex)
  let der
  try {
    der = base64Decode(String(b64).trim())
  } catch (e) {
    throw new XietongError('xietong: envelope: ' + e.message)
  }
  const c1c3c2 = sm2CiphertextAsn1ToC1C3C2(der)
  let key
  try {
    key = sm2.doDecrypt(c1c3c2, privHex, 1, { output: 'array' }) // 1 = C1C3C2
  } catch {
    key = []
  }
  // sm-crypto returns an empty array when C3 does not match.
  if (!key || key.length === 0) throw new XietongError('xietong: envelope: SM2 decryption failed')
  if (key.length !== 16) throw new XietongError(`xietong: envelope holds ${key.length} bytes, want a 16-byte SM4 key`)
  return Uint8Array.from(key)
}
