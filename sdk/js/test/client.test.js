// What Client.request puts on the wire. No gateway is imitated here: the
// injected fetch only records the request and then fails, so nothing about
// responses is made up. (The end-to-end test against the real gateway lives
// elsewhere.)

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  Client, hmacSign, sm2Verify, open, requestStringToSign, requestAAD, base64Encode, base64Decode,
  publicKeyFromPrivate, toHex, XietongError
} from '../src/index.js'

class Sent extends Error {}

function recorder () {
  const calls = []
  const fetch = async (url, init) => {
    calls.push({ url: new URL(url), init })
    throw new Sent('recorded')
  }
  return { calls, fetch }
}

const fixed = {
  now: () => 1763884800 * 1000 + 999, // seconds are truncated, not rounded
  nonce: () => 'n0nce-2026-11-23-0001'
}

test('the worked example of §5, sent by the Client', async () => {
  const { calls, fetch } = recorder()
  const c = new Client({
    baseURL: 'https://gw.example.gov.cn/',
    keyId: 'ak_exampleexampleexam',
    hmacSecret: 'S3cr3t-example-secret-of-43-characters-xyz0',
    fetch,
    ...fixed
  })
  await assert.rejects(c.request('get', '/gw/person/v1/info', {
    query: { aac002: '11010519491231002X', fields: 'name,phone' }
  }), Sent)
  const { url, init } = calls[0]
  assert.equal(init.method, 'GET')
  assert.equal(url.pathname, '/gw/person/v1/info')
  assert.equal(url.search, '?aac002=11010519491231002X&fields=name%2Cphone')
  assert.equal(init.body, undefined)
  assert.equal(init.headers['X-XT-Key-Id'], 'ak_exampleexampleexam')
  assert.equal(init.headers['X-XT-Timestamp'], '1763884800')
  assert.equal(init.headers['X-XT-Nonce'], 'n0nce-2026-11-23-0001')
  assert.equal(init.headers['X-XT-Signature'], 'raU1yoqL0rWVoihk4WE9bajjiq2QyLLFHt9i0dLYcCE=')
  assert.equal(init.headers['X-XT-Encryption'], undefined)

  // A raw query string is sent (and signed) as given.
  await assert.rejects(c.request('GET', '/gw/person/v1/info', { query: 'fields=name,phone&aac002=11010519491231002X' }), Sent)
  assert.equal(calls[1].init.headers['X-XT-Signature'], 'raU1yoqL0rWVoihk4WE9bajjiq2QyLLFHt9i0dLYcCE=')
})

test('a ready query string with Chinese text is sealed in the form it would be sent in clear', async () => {
  const { calls, fetch } = recorder()
  const opts = { baseURL: 'http://127.0.0.1:9', keyId: 'ak_x', hmacSecret: 's', fetch, ...fixed }
  const plain = new Client(opts)
  const sealed = new Client({ ...opts, dataKeyId: 'dk_x', dataKey: new Uint8Array(16) })
  await assert.rejects(plain.request('GET', '/gw/a', { query: 'name=张三&q=a b' }), Sent)
  await assert.rejects(sealed.request('GET', '/gw/a', { query: 'name=张三&q=a b' }), Sent)
  assert.equal(calls[0].url.search, '?name=%E5%BC%A0%E4%B8%89&q=a%20b')
  const xtq = calls[1].url.searchParams.get('xt_q')
  const sq = base64Decode(xtq.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - xtq.length % 4) % 4))
  const aad = requestAAD('ak_x', '1763884800', 'n0nce-2026-11-23-0001')
  assert.equal(new TextDecoder().decode(open('SM4-GCM', new Uint8Array(16), sq, aad)), 'name=%E5%BC%A0%E4%B8%89&q=a%20b')
})

test('SM2-SM3 with SM4-GCM: signature over the ciphertext, xt_q and body open with the request AAD', async () => {
  const priv = 'c581e193fe24720d3f50b0ca4921c48f7444303f8b4f4866264d95d06544aa70'
  const pub = publicKeyFromPrivate(priv)
  const dataKey = '0123456789abcdeffedcba9876543210'
  const { calls, fetch } = recorder()
  const c = new Client({
    baseURL: 'http://127.0.0.1:9',
    keyId: 'ak_exampleexampleexam',
    sm2Key: priv,
    dataKeyId: 'dk_exampleexampleexam',
    dataKey,
    fetch,
    ...fixed
  })
  const body = { 姓名: '张三', aac002: '11010519491231002X' }
  await assert.rejects(c.request('POST', '/gw/person/v1/search', { query: { name: '张三', page: 1 }, body }), Sent)
  const { url, init } = calls[0]
  const h = init.headers
  assert.equal(h['X-XT-Encryption'], 'SM4-GCM;dk_exampleexampleexam')
  assert.equal(h['Content-Type'], 'text/plain')
  assert.equal(h['X-XT-Content-Type'], 'application/json')
  // Only xt_q, base64url without padding.
  assert.deepEqual([...url.searchParams.keys()], ['xt_q'])
  const xtq = url.searchParams.get('xt_q')
  assert.match(xtq, /^[A-Za-z0-9_-]+$/)
  const aad = requestAAD('ak_exampleexampleexam', '1763884800', 'n0nce-2026-11-23-0001')
  const sealedQuery = base64Decode(xtq.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - xtq.length % 4) % 4))
  assert.equal(new TextDecoder().decode(open('SM4-GCM', dataKey, sealedQuery, aad)), 'name=%E5%BC%A0%E4%B8%89&page=1')
  // The body is base64 text of the sealed JSON.
  const text = new TextDecoder().decode(init.body)
  assert.match(text, /^[A-Za-z0-9+/]+=*$/)
  assert.deepEqual(JSON.parse(new TextDecoder().decode(open('SM4-GCM', dataKey, base64Decode(text), aad))), body)
  // The SM2 signature covers the sent query and the base64 text.
  const toSign = requestStringToSign({
    method: 'POST',
    path: '/gw/person/v1/search',
    rawQuery: 'xt_q=' + xtq,
    keyId: 'ak_exampleexampleexam',
    timestamp: '1763884800',
    nonce: 'n0nce-2026-11-23-0001',
    encryption: 'SM4-GCM;dk_exampleexampleexam',
    body: init.body
  })
  const sig = base64Decode(h['X-XT-Signature'])
  assert.equal(sm2Verify(pub, toSign, sig), true)
  assert.equal(sm2Verify(pub, toSign.replace('SM4-GCM', 'SM4-CBC'), sig), false)
})

test('SM4-CBC, a text body, and a path the URL parser escapes', async () => {
  const { calls, fetch } = recorder()
  const secret = 'S3cr3t-example-secret-of-43-characters-xyz0'
  const c = new Client({
    baseURL: 'http://127.0.0.1:9/prefix',
    keyId: 'ak_x',
    hmacSecret: secret,
    dataKeyId: 'dk_x',
    dataKey: new Uint8Array(16).fill(1),
    mode: 'SM4-CBC',
    fetch,
    ...fixed
  })
  await assert.rejects(c.request('put', '/gw/档案/v1', { body: '备注', contentType: 'text/plain; charset=utf-8' }), Sent)
  const { url, init } = calls[0]
  assert.equal(init.method, 'PUT')
  assert.equal(url.pathname, '/prefix/gw/%E6%A1%A3%E6%A1%88/v1')
  assert.equal(url.search, '')
  assert.equal(init.headers['X-XT-Content-Type'], 'text/plain; charset=utf-8')
  const text = new TextDecoder().decode(init.body)
  assert.equal(new TextDecoder().decode(open('SM4-CBC', new Uint8Array(16).fill(1), base64Decode(text))), '备注')
  const toSign = requestStringToSign({
    method: 'PUT',
    path: '/prefix/gw/%E6%A1%A3%E6%A1%88/v1',
    keyId: 'ak_x',
    timestamp: '1763884800',
    nonce: 'n0nce-2026-11-23-0001',
    encryption: 'SM4-CBC;dk_x',
    body: text
  })
  assert.equal(init.headers['X-XT-Signature'], base64Encode(hmacSign(secret, toSign)))
})

test('unencrypted JSON body and default nonce', async () => {
  const { calls, fetch } = recorder()
  const c = new Client({ baseURL: 'http://127.0.0.1:9', keyId: 'ak_x', hmacSecret: 's', fetch })
  await assert.rejects(c.request('POST', '/gw/a', { body: { a: '张' } }), Sent)
  await assert.rejects(c.request('POST', '/gw/a', { body: new Uint8Array([1, 2]) }), Sent)
  const [a, b] = calls
  assert.equal(new TextDecoder().decode(a.init.body), '{"a":"张"}')
  assert.equal(a.init.headers['Content-Type'], 'application/json')
  assert.equal(toHex(b.init.body), '0102')
  for (const { init } of calls) {
    assert.match(init.headers['X-XT-Nonce'], /^[A-Za-z0-9_-]{16,64}$/)
    assert.ok(Math.abs(Number(init.headers['X-XT-Timestamp']) - Date.now() / 1000) < 5)
  }
  assert.notEqual(a.init.headers['X-XT-Nonce'], b.init.headers['X-XT-Nonce'])
})

test('configuration mistakes are reported before anything is sent', async () => {
  const { calls, fetch } = recorder()
  assert.throws(() => new Client({ keyId: 'ak_x', hmacSecret: 's' }), XietongError)
  assert.throws(() => new Client({ baseURL: 'http://h', hmacSecret: 's' }), XietongError)
  assert.throws(() => new Client({ baseURL: 'http://h', keyId: 'ak_x', dataKey: new Uint8Array(16) }), XietongError)
  assert.throws(() => new Client({ baseURL: 'http://h', keyId: 'ak_x', dataKeyId: 'dk_x', dataKey: new Uint8Array(8) }), XietongError)
  assert.throws(() => new Client({ baseURL: 'http://h', keyId: 'ak_x', mode: 'SM4-ECB' }), XietongError)
  const c = new Client({ baseURL: 'http://h', keyId: 'ak_x', fetch })
  await assert.rejects(c.request('GET', '/gw/a'), /hmacSecret or sm2Key/)
  const d = new Client({ baseURL: 'http://h', keyId: 'ak_x', hmacSecret: 's', fetch })
  await assert.rejects(d.request('GET', '/gw/a', { body: 'x' }), /body with GET/)
  await assert.rejects(d.request('GET', '/gw/a', { query: 'a=%zz' }), /malformed query/)
  assert.equal(calls.length, 0)
})
