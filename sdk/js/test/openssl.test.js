// Interoperability with the OpenSSL 3 CLI (`openssl` must be on PATH).
// A fresh SM2 key pair is made with `openssl genpkey -algorithm SM2` in a
// temporary directory for each run.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  sm2Sign, sm2Verify, openEnvelope, seal, open, hmacSign, toHex, fromHex, base64Encode,
  privateKeyFromPem, publicKeyFromPem, publicKeyFromPrivate, requestStringToSign, XietongError
} from '../src/index.js'

let dir, keyPem, pubPem, priv, pub

function openssl (...args) {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
}

function file (name) {
  return join(dir, name)
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'xt-sdk-js-'))
  openssl('genpkey', '-algorithm', 'SM2', '-out', file('key.pem'))
  openssl('pkey', '-in', file('key.pem'), '-pubout', '-out', file('pub.pem'))
  keyPem = readFileSync(file('key.pem'), 'utf8')
  pubPem = readFileSync(file('pub.pem'), 'utf8')
  priv = privateKeyFromPem(keyPem)
  pub = publicKeyFromPem(pubPem)
})

after(() => rmSync(dir, { recursive: true, force: true }))

// The request of §5 with a Chinese query and body, as an SDK user would sign it.
const message = requestStringToSign({
  method: 'POST',
  path: '/gw/person/v1/search',
  rawQuery: 'name=张三&page=1',
  keyId: 'ak_exampleexampleexam',
  timestamp: '1763884800',
  nonce: 'n0nce-2026-11-23-0003',
  body: '{"姓名":"张三","备注":"协同"}'
})

test('PEM keys read as OpenSSL sees them', () => {
  // `openssl pkey -text` prints priv: and pub: as colon-separated hex.
  const text = openssl('pkey', '-in', file('key.pem'), '-noout', '-text').toString()
  const grab = (label) => text.split(label + ':')[1].split(/\n[A-Za-z]/)[0].replace(/[\s:]/g, '')
  assert.equal(priv, grab('priv').replace(/^00(?=.{64}$)/, '').padStart(64, '0'))
  assert.equal(pub, grab('pub'))
  assert.equal(publicKeyFromPrivate(priv), pub)
  // The same key in SEC 1 form.
  const sec1 = openssl('ec', '-in', file('key.pem')).toString()
  assert.equal(privateKeyFromPem(sec1), priv)
  assert.throws(() => privateKeyFromPem(pubPem), XietongError)
  assert.throws(() => publicKeyFromPem(keyPem), XietongError)
})

test('an SDK SM2 signature verifies with openssl (distid 1234567812345678)', () => {
  writeFileSync(file('msg.bin'), message)
  for (let i = 0; i < 3; i++) {
    const sig = sm2Sign(priv, message)
    writeFileSync(file('sig.der'), sig)
    const out = openssl('dgst', '-sm3', '-verify', file('pub.pem'), '-signature', file('sig.der'),
      '-sigopt', 'distid:1234567812345678', file('msg.bin')).toString()
    assert.match(out, /Verified OK/)
  }
  // And fails for another signer ID: so the SDK really puts the ID in ZA.
  assert.throws(() => openssl('dgst', '-sm3', '-verify', file('pub.pem'), '-signature', file('sig.der'),
    '-sigopt', 'distid:1234567812345679', file('msg.bin')))
})

test('an openssl SM2 signature verifies with the SDK', () => {
  writeFileSync(file('msg2.bin'), message)
  openssl('dgst', '-sm3', '-sign', file('key.pem'), '-sigopt', 'distid:1234567812345678',
    '-out', file('sig2.der'), file('msg2.bin'))
  const sig = readFileSync(file('sig2.der'))
  assert.equal(sm2Verify(pub, message, sig), true)
  assert.ok(message.includes('1763884800'))
  assert.equal(sm2Verify(pub, message.replace('1763884800', '1763884801'), sig), false)
  const bad = Uint8Array.from(sig)
  bad[bad.length - 1] ^= 1
  assert.equal(sm2Verify(pub, message, bad), false)
  assert.equal(sm2Verify(pub, message, new Uint8Array(0)), false)
  // openssl's default distid in 3.0 is empty: such a signature must not verify.
  openssl('dgst', '-sm3', '-sign', file('key.pem'), '-out', file('sig3.der'), file('msg2.bin'))
  assert.equal(sm2Verify(pub, message, readFileSync(file('sig3.der'))), false)
})

test('an envelope made with openssl pkeyutl opens with openEnvelope', () => {
  for (const hex of ['00112233445566778899aabbccddeeff', '0123456789abcdeffedcba9876543210']) {
    writeFileSync(file('dk.bin'), fromHex(hex))
    openssl('pkeyutl', '-encrypt', '-pubin', '-inkey', file('pub.pem'), '-in', file('dk.bin'), '-out', file('env.der'))
    const b64 = base64Encode(readFileSync(file('env.der')))
    assert.equal(toHex(openEnvelope(priv, b64)), hex)
    assert.equal(toHex(openEnvelope(priv, '  ' + b64 + '\n')), hex)
  }
  // A tampered envelope fails (C3 no longer matches).
  const der = Uint8Array.from(readFileSync(file('env.der')))
  der[der.length - 1] ^= 0x55
  assert.throws(() => openEnvelope(priv, base64Encode(der)), XietongError)
  // An envelope holding something else than a 16-byte key is refused.
  writeFileSync(file('long.bin'), 'thirty-two bytes of key material')
  openssl('pkeyutl', '-encrypt', '-pubin', '-inkey', file('pub.pem'), '-in', file('long.bin'), '-out', file('env2.der'))
  assert.throws(() => openEnvelope(priv, base64Encode(readFileSync(file('env2.der')))), /32 bytes/)
})

test('SM4-CBC made by openssl enc opens with open(), and the other way round', () => {
  const key = '0123456789abcdeffedcba9876543210'
  const iv = '00000000000000000000000000000000'.replace(/0{4}$/, 'abcd')
  for (const text of ['', 'x', '0123456789abcdef', '{"姓名":"张三","phone":"13800001234","addr":"北京市朝阳区"}']) {
    writeFileSync(file('pt.bin'), text)
    openssl('enc', '-sm4-cbc', '-K', key, '-iv', iv, '-in', file('pt.bin'), '-out', file('ct.bin'))
    const sealed = new Uint8Array([...fromHex(iv), ...readFileSync(file('ct.bin'))])
    assert.equal(new TextDecoder().decode(open('SM4-CBC', key, sealed)), text)
    // SDK → openssl
    const mine = seal('SM4-CBC', fromHex(key), text)
    writeFileSync(file('ct2.bin'), mine.subarray(16))
    const back = openssl('enc', '-d', '-sm4-cbc', '-K', key, '-iv', toHex(mine.subarray(0, 16)), '-in', file('ct2.bin'))
    assert.equal(back.toString('utf8'), text)
  }
})

test('SM4 block (ECB, no padding) agrees with openssl', () => {
  const key = 'fedcba98765432100123456789abcdef'
  const pt = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'
  writeFileSync(file('ecb.bin'), fromHex(pt))
  const want = toHex(openssl('enc', '-sm4-ecb', '-nopad', '-K', key, '-in', file('ecb.bin')))
  // CBC with a zero IV over one block is ECB of that block.
  const first = seal('SM4-CBC', key, fromHex(pt).subarray(0, 16), undefined, { nonce: new Uint8Array(16) })
  assert.equal(toHex(first.subarray(16, 32)), want.slice(0, 32))
})

test('HMAC-SM3 agrees with openssl dgst -mac HMAC', () => {
  const cases = [
    ['S3cr3t-example-secret-of-43-characters-xyz0', '协同 XT1 中文消息\n'],
    ['k'.repeat(100), 'a key longer than the 64-byte block is hashed first'],
    ['short', '']
  ]
  for (const [key, msg] of cases) {
    writeFileSync(file('mac.bin'), msg)
    const want = toHex(openssl('dgst', '-sm3', '-mac', 'HMAC', '-macopt', 'key:' + key, '-binary', file('mac.bin')))
    assert.equal(toHex(hmacSign(key, msg)), want, key)
  }
})
