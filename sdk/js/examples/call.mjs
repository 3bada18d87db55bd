#!/usr/bin/env node
// Calls one API through the xietong gateway and prints the status and body.
//
//   XIETONG_GATEWAY             the gateway's address, e.g. https://gw.example.gov.cn
//   XIETONG_KEY_ID              ak_…
//   XIETONG_SECRET              the 43-character HMAC secret (HMAC-SM3), or
//   XIETONG_SM2_KEY_FILE        the consumer's SM2 private key, PEM (SM2-SM3; also opens the envelope)
//   XIETONG_PLATFORM_KEY_FILE   the platform public key, PEM (to verify SM2-SM3 responses)
//   XIETONG_DATA_KEY_ID         dk_… (optional: encrypt with SM4)
//   XIETONG_DATA_KEY_ENVELOPE   the data key's digital envelope (数字信封): base64 text, or a file holding it
//   XIETONG_MODE                SM4-GCM (default) or SM4-CBC
//   XIETONG_METHOD              GET (default), POST, …
//   XIETONG_PATH                e.g. /gw/person/v1/info
//   XIETONG_QUERY               e.g. aac002=11010519491231002X&fields=name,phone
//   XIETONG_BODY                optional request body (JSON text)
//
// With both XIETONG_SECRET and XIETONG_SM2_KEY_FILE, requests are signed with
// HMAC-SM3 and the SM2 key only opens the envelope.
//
//   node examples/call.mjs

import { readFileSync, existsSync } from 'node:fs'
import { Client, openEnvelope, privateKeyFromPem, XietongError } from 'xietong-sdk'

const env = process.env

function need (name) {
  if (!env[name]) {
    console.error(`set ${name}`)
    process.exit(2)
  }
  return env[name]
}

const sm2Key = env.XIETONG_SM2_KEY_FILE ? privateKeyFromPem(readFileSync(env.XIETONG_SM2_KEY_FILE, 'utf8')) : undefined
if (!env.XIETONG_SECRET && !sm2Key) {
  console.error('set XIETONG_SECRET or XIETONG_SM2_KEY_FILE')
  process.exit(2)
}

let dataKey
if (env.XIETONG_DATA_KEY_ID) {
  if (!sm2Key) {
    console.error('the data key envelope is opened with the SM2 key: set XIETONG_SM2_KEY_FILE')
    process.exit(2)
  }
  let envelope = need('XIETONG_DATA_KEY_ENVELOPE')
  if (existsSync(envelope)) envelope = readFileSync(envelope, 'utf8')
  dataKey = openEnvelope(sm2Key, envelope)
}

const client = new Client({
  baseURL: need('XIETONG_GATEWAY'),
  keyId: need('XIETONG_KEY_ID'),
  hmacSecret: env.XIETONG_SECRET,
  sm2Key: env.XIETONG_SECRET ? undefined : sm2Key,
  platformKey: env.XIETONG_PLATFORM_KEY_FILE ? readFileSync(env.XIETONG_PLATFORM_KEY_FILE, 'utf8') : undefined,
  dataKeyId: env.XIETONG_DATA_KEY_ID,
  dataKey,
  mode: env.XIETONG_MODE
})

try {
  const res = await client.request(env.XIETONG_METHOD || 'GET', need('XIETONG_PATH'), {
    query: env.XIETONG_QUERY || '',
    body: env.XIETONG_BODY
  })
  console.log(`status ${res.status}`)
  console.log(res.text())
  const p = res.problem()
  if (p) console.error(`refused: ${p.code}: ${p.detail_en || p.detail || ''}`)
  process.exit(res.ok ? 0 : 1)
} catch (e) {
  if (e instanceof XietongError) {
    console.error(`${e.code}: ${e.message}`)
    if (e.result) {
      console.error(`status ${e.result.status} (not trusted)`)
      console.error(e.result.text())
    }
  } else {
    console.error(e)
  }
  process.exit(1)
}
