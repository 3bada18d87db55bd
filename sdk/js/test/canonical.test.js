import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  canonicalQuery, encodeQuery, bodyHash, requestStringToSign, responseStringToSign,
  hmacSign, toHex, base64Encode, BadQueryError
} from '../src/index.js'

const go = JSON.parse(readFileSync(new URL('./fixtures/go-vectors.json', import.meta.url), 'utf8'))

// docs/gateway-protocol.md §5, byte for byte.
test('worked example of §5: string to sign and HMAC-SM3', () => {
  const s = requestStringToSign({
    method: 'GET',
    path: '/gw/person/v1/info',
    rawQuery: 'aac002=11010519491231002X&fields=name,phone',
    keyId: 'ak_exampleexampleexam',
    timestamp: '1763884800',
    nonce: 'n0nce-2026-11-23-0001'
  })
  assert.equal(s,
    'XT1-REQUEST\n' +
    'GET\n' +
    '/gw/person/v1/info\n' +
    'aac002=11010519491231002X&fields=name%2Cphone\n' +
    'ak_exampleexampleexam\n' +
    '1763884800\n' +
    'n0nce-2026-11-23-0001\n' +
    '\n' +
    '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b\n')
  const mac = hmacSign('S3cr3t-example-secret-of-43-characters-xyz0', s)
  assert.equal(toHex(mac), 'ada535ca8a8bd2b595a22864e1613d6da8e38aad90c8b2c51edf62d1d2d87021')
  assert.equal(base64Encode(mac), 'raU1yoqL0rWVoihk4WE9bajjiq2QyLLFHt9i0dLYcCE=')
})

test('body hash of nothing', () => {
  const empty = '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b'
  assert.equal(bodyHash(), empty)
  assert.equal(bodyHash(new Uint8Array(0)), empty)
  assert.equal(bodyHash(''), empty)
  // SM3("abc"), GB/T 32905 example 1.
  assert.equal(bodyHash('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0')
})

test('canonical query: the table of sdk/go TestCanonicalQuery', () => {
  const cases = {
    '': '',
    'b=2&a=1': 'a=1&b=2',
    'a=2&a=1&&': 'a=1&a=2',
    'name=%E5%BC%A0+%E4%B8%89': 'name=%E5%BC%A0%20%E4%B8%89',
    'x=a%2fb&flag': 'flag=&x=a%2Fb',
    'k=~-._': 'k=~-._',
    'q=1%2B1%3D2': 'q=1%2B1%3D2',
    'z=%7e': 'z=~'
  }
  for (const [input, want] of Object.entries(cases)) {
    assert.equal(canonicalQuery(input), want, JSON.stringify(input))
  }
  assert.throws(() => canonicalQuery('a=%zz'), BadQueryError)
})

test('canonical query: Chinese text and other corners', () => {
  const cases = {
    // raw (not percent-encoded) Chinese counts as its UTF-8 bytes
    'name=张三': 'name=%E5%BC%A0%E4%B8%89',
    'city=北京&name=%E5%BC%A0%E4%B8%89': 'city=%E5%8C%97%E4%BA%AC&name=%E5%BC%A0%E4%B8%89',
    // sorted by encoded name, then by encoded value (byte order: "%" < digits < letters)
    '姓名=张三&a=1': '%E5%A7%93%E5%90%8D=%E5%BC%A0%E4%B8%89&a=1',
    'a=b&a=%41&a=': 'a=&a=A&a=b',
    'B=1&a=1&_=1&~=1&-=1': '-=1&B=1&_=1&a=1&~=1',
    // split at the first "=" only
    'a==b=c': 'a=%3Db%3Dc',
    '=v': '=v',
    // decoded bytes need not be UTF-8, and survive unchanged
    'x=%ff%FE': 'x=%FF%FE',
    '%E5%BC%A0=%20+': '%E5%BC%A0=%20%20',
    'a=1&&&b': 'a=1&b=',
    '&': '',
    'emoji=😀': 'emoji=%F0%9F%98%80'
  }
  for (const [input, want] of Object.entries(cases)) {
    assert.equal(canonicalQuery(input), want, JSON.stringify(input))
  }
  for (const bad of ['x=%', 'x=%4', '%g0=1', 'a=1&b=%E5%BC%A']) {
    assert.throws(() => canonicalQuery(bad), BadQueryError, bad)
  }
})

test('canonical query is a fixed point', () => {
  for (const s of ['name=%E5%BC%A0+x', '&&=&', 'b=2&a=1&a=%7E', 'q=张 三&x=+']) {
    const c = canonicalQuery(s)
    assert.equal(canonicalQuery(c), c)
  }
})

test('encodeQuery is Go url.Values.Encode', () => {
  assert.equal(encodeQuery({ b: '2', a: ['1', 'x y'], c: undefined }), 'a=1&a=x+y&b=2')
  assert.equal(encodeQuery({ name: '张三', q: '1+1=2/~' }), 'name=%E5%BC%A0%E4%B8%89&q=1%2B1%3D2%2F~')
  assert.equal(encodeQuery(new URLSearchParams('z=1&y=2')), 'y=2&z=1')
  assert.equal(encodeQuery({}), '')
  assert.equal(encodeQuery(undefined), '')
})

test('strings to sign and HMAC-SM3 agree with sdk/go (Chinese query, body, encryption)', () => {
  const f = go.strings
  const s = requestStringToSign(f.request)
  assert.equal(s, f.request_to_sign)
  assert.equal(toHex(hmacSign(f.secret, s)), f.request_hmac)
  const r = responseStringToSign(f.response)
  assert.equal(r, f.response_to_sign)
  assert.equal(toHex(hmacSign(f.secret, r)), f.response_hmac)
  // bytes and strings are the same thing once UTF-8 encoded
  assert.equal(requestStringToSign({ ...f.request, body: new TextEncoder().encode(f.request.body) }), f.request_to_sign)
})
