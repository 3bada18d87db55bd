import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  seal, open, parseEncryption, openEnvelope, sm2CiphertextAsn1ToC1C3C2, sm2Sign, sm2Verify,
  privateKeyFromPem, publicKeyFromPem, publicKeyFromPrivate, toHex, fromHex, base64Decode,
  requestAAD, responseAAD, DecryptError, XietongError, MODE_GCM, MODE_CBC
} from '../src/index.js'
import { sm4EncryptBlocks } from '../src/gcm.js'

// Vectors made by sdk/go and gmsm; test/fixtures/README.md says how.
const go = JSON.parse(readFileSync(new URL('./fixtures/go-vectors.json', import.meta.url), 'utf8'))

test('SM4 test vector of GB/T 32907 appendix A', () => {
  const k = fromHex('0123456789abcdeffedcba9876543210')
  assert.equal(toHex(sm4EncryptBlocks(k, k)), '681edf34d206965e86b3e94f536e4246')
  // Several blocks in one call are each encrypted on their own (ECB).
  assert.equal(toHex(sm4EncryptBlocks(k, new Uint8Array([...k, ...k]))),
    '681edf34d206965e86b3e94f536e4246681edf34d206965e86b3e94f536e4246')
  assert.throws(() => sm4EncryptBlocks(k, new Uint8Array(15)))
})

test('AADs are the strings of §2.3 and §3', () => {
  assert.equal(new TextDecoder().decode(requestAAD('ak_x', '1763884800', 'n0nce')), 'ak_x\n1763884800\nn0nce')
  assert.equal(new TextDecoder().decode(responseAAD('ak_x', 'n0nce')), 'ak_x\nn0nce\nRESPONSE')
  const aad = go.gcm.find(v => v.name.includes('request AAD')).aad
  assert.equal(toHex(requestAAD('ak_exampleexampleexam', '1763884800', 'n0nce-2026-11-23-0001')), aad)
})

test('SM4-GCM: seal with a fixed nonce gives the bytes Go gives, and open reads them', () => {
  assert.ok(go.gcm.some(v => v.aad !== '' && (v.plaintext.length / 2) % 16 !== 0))
  for (const v of go.gcm) {
    const sealed = seal(MODE_GCM, fromHex(v.key), fromHex(v.plaintext), fromHex(v.aad), { nonce: fromHex(v.nonce) })
    assert.equal(toHex(sealed), v.sealed, v.name)
    assert.equal(toHex(open(MODE_GCM, v.key, fromHex(v.sealed), fromHex(v.aad))), v.plaintext, v.name)
  }
})

test('SM4-GCM: the published RFC 8998 vector', () => {
  const v = go.gcm.find(x => x.name === 'RFC 8998 A.1')
  // RFC 8998 appendix A.1: C = 17F399F0…233B8D, T = 83DE3541E4C2B58177E065A9BF7B62EC
  assert.equal(v.sealed.slice(24, 32), '17f399f0')
  assert.equal(v.sealed.slice(-32), '83de3541e4c2b58177e065a9bf7b62ec')
})

test('SM4-GCM refuses any change: ciphertext, tag, nonce, AAD, key, length', () => {
  const v = go.gcm.find(x => x.name.startsWith('Chinese'))
  const sealed = fromHex(v.sealed)
  const aad = fromHex(v.aad)
  for (const i of [0, 11, 12, 40, sealed.length - 17, sealed.length - 16, sealed.length - 1]) {
    const bad = Uint8Array.from(sealed)
    bad[i] ^= 0x01
    assert.throws(() => open(MODE_GCM, v.key, bad, aad), DecryptError, `byte ${i}`)
  }
  assert.throws(() => open(MODE_GCM, v.key, sealed, aad.subarray(1)), DecryptError)
  assert.throws(() => open(MODE_GCM, v.key, sealed, new Uint8Array(0)), DecryptError)
  assert.throws(() => open(MODE_GCM, 'fedcba98765432100123456789abcdef', sealed, aad), DecryptError)
  assert.throws(() => open(MODE_GCM, v.key, sealed.subarray(0, sealed.length - 1), aad), DecryptError)
  assert.throws(() => open(MODE_GCM, v.key, sealed.subarray(0, 27), aad), DecryptError)
})

test('SM4-CBC: fixed-IV vectors of Go, both ways', () => {
  for (const v of go.cbc) {
    assert.equal(toHex(seal(MODE_CBC, v.key, fromHex(v.plaintext), undefined, { nonce: fromHex(v.nonce) })), v.sealed, v.name)
    assert.equal(toHex(open(MODE_CBC, v.key, fromHex(v.sealed))), v.plaintext, v.name)
  }
})

test('SM4-CBC refuses bad lengths and bad padding', () => {
  const key = fromHex('0123456789abcdeffedcba9876543210')
  assert.throws(() => open(MODE_CBC, key, new Uint8Array(16)), DecryptError)
  assert.throws(() => open(MODE_CBC, key, new Uint8Array(33)), DecryptError)
  // Build IV ‖ E(block) for chosen last plaintext blocks with wrong padding.
  for (const lastByte of [0, 17, 2]) {
    const block = new Uint8Array(16).fill(7)
    block[15] = lastByte // 0 and 17 are never valid; 2 needs block[14] == 2 and it is 7
    const iv = new Uint8Array(16)
    const ct = sm4EncryptBlocks(key, block) // with a zero IV, CBC of one block is ECB
    assert.throws(() => open(MODE_CBC, key, new Uint8Array([...iv, ...ct])), DecryptError, String(lastByte))
  }
})

test('seal/open round trips, random nonces differ', () => {
  const key = new Uint8Array(16).fill(7)
  for (const mode of [MODE_GCM, MODE_CBC]) {
    for (const n of [0, 1, 5, 15, 16, 17, 100, 4096 + 3]) {
      const pt = new Uint8Array(n).map((_, i) => i * 31)
      const s = seal(mode, key, pt, 'aad')
      assert.equal(s.length, mode === MODE_GCM ? 12 + n + 16 : 16 + (Math.floor(n / 16) + 1) * 16)
      assert.deepEqual(open(mode, key, s, 'aad'), pt)
    }
    assert.notEqual(toHex(seal(mode, key, 'x', 'aad')), toHex(seal(mode, key, 'x', 'aad')))
    assert.equal(new TextDecoder().decode(open(mode, key, seal(mode, key, '协同', 'a'), 'a')), '协同')
  }
  assert.throws(() => seal('SM4-ECB', key, 'x'), XietongError)
  assert.throws(() => seal(MODE_GCM, new Uint8Array(15), 'x'), XietongError)
  assert.throws(() => seal(MODE_GCM, key, 'x', '', { nonce: new Uint8Array(16) }), XietongError)
})

test('parseEncryption', () => {
  assert.deepEqual(parseEncryption('SM4-GCM;dk_abc'), { mode: 'SM4-GCM', keyId: 'dk_abc' })
  assert.deepEqual(parseEncryption('SM4-CBC;dk_abc'), { mode: 'SM4-CBC', keyId: 'dk_abc' })
  for (const bad of ['SM4-ECB;dk_x', 'SM4-GCM', 'SM4-GCM;ak_x', 'SM4-GCM;dk_' + 'x'.repeat(62), '', 'sm4-gcm;dk_x']) {
    assert.throws(() => parseEncryption(bad), XietongError, bad)
  }
})

test('a key pair, a signature and an envelope made by Go (gmsm, sdk/go)', () => {
  const priv = privateKeyFromPem(go.sm2_private_pem)
  assert.equal(priv, go.sm2_private_hex)
  const pub = publicKeyFromPem(go.sm2_public_pem)
  assert.equal(publicKeyFromPrivate(priv), pub)
  const sig = base64Decode(go.sm2_signature_b64)
  assert.equal(sm2Verify(pub, go.sm2_message, sig), true)
  assert.equal(sm2Verify(pub, go.sm2_message + ' ', sig), false)
  assert.equal(sm2Verify(pub, new TextEncoder().encode(go.sm2_message), sig), true)
  const mine = sm2Sign(priv, go.sm2_message)
  assert.equal(sm2Verify(pub, go.sm2_message, mine), true)
  assert.equal(toHex(openEnvelope(priv, go.envelope_b64)), go.envelope_key)
  // The envelope does not open with another key.
  const other = '1'.repeat(64)
  assert.throws(() => openEnvelope(other, go.envelope_b64), XietongError)
})

test('ASN.1 SM2 ciphertext to C1C3C2: short and padded INTEGERs', () => {
  const tlv = (tag, bytes) => [tag, bytes.length, ...bytes]
  const x = [0x00, 0x81, ...new Array(31).fill(0x11)] // sign byte, 32 bytes
  const y = new Array(30).fill(0x22) // 30 bytes: leading zero bytes dropped by DER
  const c3 = new Array(32).fill(0x33)
  const c2 = [0x44, 0x55]
  const body = [...tlv(0x02, x), ...tlv(0x02, y), ...tlv(0x04, c3), ...tlv(0x04, c2)]
  const der = Uint8Array.from([0x30, body.length, ...body])
  const hex = sm2CiphertextAsn1ToC1C3C2(der)
  assert.equal(hex, '81' + '11'.repeat(31) + '0000' + '22'.repeat(30) + '33'.repeat(32) + '4455')
  assert.throws(() => sm2CiphertextAsn1ToC1C3C2(der.subarray(0, der.length - 1)), XietongError)
  assert.throws(() => sm2CiphertextAsn1ToC1C3C2(Uint8Array.from([0x30, 0x00])), XietongError)
})

test('bad keys are refused early', () => {
  assert.throws(() => sm2Sign('-----BEGIN PRIVATE KEY-----', 'x'), XietongError)
  assert.throws(() => sm2Sign('0', 'x'), XietongError)
  assert.equal(sm2Verify('04' + '00'.repeat(64), 'x', new Uint8Array(70)), false)
  assert.equal(sm2Verify('not a key', 'x', new Uint8Array(70)), false)
})
