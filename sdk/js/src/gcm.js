// SM4-GCM (NIST SP 800-38D with SM4 as the 128-bit block cipher).
//
// sm-crypto offers SM4 in ECB and CBC only, so GCM is built here over its
// ECB encryption without padding. Only what the protocol uses is supported:
// a 12-byte nonce and a 16-byte tag, as Go's cipher.NewGCM does by default.
//
//   H   = E(K, 0^128)                         hash subkey
//   J0  = nonce ‖ 0x00000001                  pre-counter block
//   C   = P xor E(K, inc32(J0)), E(K, inc32²(J0)), …
//   S   = GHASH_H(A ‖ pad ‖ C ‖ pad ‖ [len(A)]64 ‖ [len(C)]64)   (lengths in bits)
//   tag = E(K, J0) xor S
//
// The counter blocks of a whole message are encrypted in one ECB call, so
// the SM4 key schedule runs once per message.

import smCrypto from 'sm-crypto'
import { bytesEqual } from './bytes.js'

const { sm4 } = smCrypto

export const GCM_NONCE_SIZE = 12
export const GCM_TAG_SIZE = 16

/** SM4 encryption of whole 16-byte blocks, each on its own (ECB, no padding). */
export function sm4EncryptBlocks (key, blocks) {
  if (blocks.length % 16 !== 0) throw new RangeError('xietong: SM4 input must be whole blocks')
  if (blocks.length === 0) return new Uint8Array(0)
  return Uint8Array.from(sm4.encrypt(blocks, key, { padding: 'none', output: 'array' }))
}

// Multiplication in GF(2^128) with GCM's bit order (bit 0 is the most
// significant bit of byte 0) and the polynomial x^128 + x^7 + x^2 + x + 1,
// i.e. R = 0xE1 ‖ 0^120. Operands and result are four big-endian uint32
// words. This is the plain right-shift algorithm of SP 800-38D §6.3
// (Algorithm 1), written with masks instead of branches.
function gfmul (x, y) {
  let z0 = 0; let z1 = 0; let z2 = 0; let z3 = 0
  let v0 = y[0]; let v1 = y[1]; let v2 = y[2]; let v3 = y[3]
  for (let i = 0; i < 128; i++) {
    // mask is all ones when bit i of X is set: no data-dependent branch.
    const mask = -((x[i >>> 5] >>> (31 - (i & 31))) & 1)
    z0 ^= v0 & mask; z1 ^= v1 & mask; z2 ^= v2 & mask; z3 ^= v3 & mask
    const lsb = -(v3 & 1)
    v3 = (v3 >>> 1) | (v2 << 31)
    v2 = (v2 >>> 1) | (v1 << 31)
    v1 = (v1 >>> 1) | (v0 << 31)
    v0 = (v0 >>> 1) ^ (0xe1000000 & lsb)
  }
  return [z0 >>> 0, z1 >>> 0, z2 >>> 0, z3 >>> 0]
}

function readWords (b, o) {
  return [
    ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0,
    ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0,
    ((b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11]) >>> 0,
    ((b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15]) >>> 0
  ]
}

function writeWords (w) {
  const out = new Uint8Array(16)
  for (let i = 0; i < 4; i++) {
    out[4 * i] = w[i] >>> 24
    out[4 * i + 1] = (w[i] >>> 16) & 0xff
    out[4 * i + 2] = (w[i] >>> 8) & 0xff
    out[4 * i + 3] = w[i] & 0xff
  }
  return out
}

/** GHASH_H over A and C, each zero-padded to whole blocks, then the length block. */
export function ghash (h, aad, ciphertext) {
  const hw = readWords(h, 0)
  let y = [0, 0, 0, 0]
  const absorb = (data) => {
    for (let o = 0; o < data.length; o += 16) {
      let blk = data
      let off = o
      if (o + 16 > data.length) { // last partial block, zero-padded
        blk = new Uint8Array(16)
        blk.set(data.subarray(o))
        off = 0
      }
      const w = readWords(blk, off)
      y = gfmul([y[0] ^ w[0], y[1] ^ w[1], y[2] ^ w[2], y[3] ^ w[3]], hw)
    }
  }
  absorb(aad)
  absorb(ciphertext)
  const lens = new Uint8Array(16)
  const dv = new DataView(lens.buffer)
  const aBits = aad.length * 8
  const cBits = ciphertext.length * 8
  dv.setUint32(0, Math.floor(aBits / 0x100000000))
  dv.setUint32(4, aBits >>> 0)
  dv.setUint32(8, Math.floor(cBits / 0x100000000))
  dv.setUint32(12, cBits >>> 0)
  absorb(lens)
  return writeWords(y)
}

// Encrypts the counter blocks J0, inc32(J0), …, inc32^n(J0) at once and
// returns [E(K, J0), keystream of n blocks].
function keystream (key, nonce, n) {
  const blocks = new Uint8Array(16 * (n + 1))
  for (let i = 0; i <= n; i++) {
    const o = 16 * i
    blocks.set(nonce, o)
    // inc32 from J0 (counter 1): block i holds counter 1 + i, mod 2^32.
    const ctr = (1 + i) >>> 0
    blocks[o + 12] = ctr >>> 24
    blocks[o + 13] = (ctr >>> 16) & 0xff
    blocks[o + 14] = (ctr >>> 8) & 0xff
    blocks[o + 15] = ctr & 0xff
  }
  const out = sm4EncryptBlocks(key, blocks)
  return [out.subarray(0, 16), out.subarray(16)]
}

function hashKey (key) {
  return sm4EncryptBlocks(key, new Uint8Array(16))
}

function xorInto (out, data, ks) {
  for (let i = 0; i < data.length; i++) out[i] = data[i] ^ ks[i]
}

/** Returns ciphertext ‖ tag (the nonce is not included). */
export function gcmEncrypt (key, nonce, plaintext, aad) {
  if (nonce.length !== GCM_NONCE_SIZE) throw new RangeError('xietong: SM4-GCM nonce must be 12 bytes')
  const n = Math.ceil(plaintext.length / 16)
  const [ej0, ks] = keystream(key, nonce, n)
  const out = new Uint8Array(plaintext.length + GCM_TAG_SIZE)
  xorInto(out, plaintext, ks)
  const ct = out.subarray(0, plaintext.length)
  const s = ghash(hashKey(key), aad, ct)
  for (let i = 0; i < 16; i++) out[plaintext.length + i] = s[i] ^ ej0[i]
  return out
}

/** Checks the tag of ciphertext ‖ tag, then decrypts; null when it does not verify. */
export function gcmDecrypt (key, nonce, sealed, aad) {
  if (nonce.length !== GCM_NONCE_SIZE || sealed.length < GCM_TAG_SIZE) return null
  const ct = sealed.subarray(0, sealed.length - GCM_TAG_SIZE)
  const tag = sealed.subarray(sealed.length - GCM_TAG_SIZE)
  const n = Math.ceil(ct.length / 16)
  const [ej0, ks] = keystream(key, nonce, n)
  const s = ghash(hashKey(key), aad, ct)
  const want = new Uint8Array(16)
  for (let i = 0; i < 16; i++) want[i] = s[i] ^ ej0[i]
  if (!bytesEqual(want, tag)) return null
  const out = new Uint8Array(ct.length)
  xorInto(out, ct, ks)
  return out
}
