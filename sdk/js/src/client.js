// The gateway client, mirroring sdk/go/client.go (Client.Do).

import {
  HEADER_KEY_ID, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_ENCRYPTION, HEADER_CONTENT_TYPE,
  HEADER_SIGNATURE, HEADER_SIGNATURE_METHOD, HEADER_REQUEST_NONCE,
  METHOD_HMAC, METHOD_SM2, ENCRYPTED_QUERY_PARAM,
  encodeQuery, requestStringToSign, responseStringToSign, requestAAD, responseAAD
} from './canonical.js'
import {
  MODE_GCM, MODE_CBC, hmacSign, sm2Sign, sm2Verify, seal, open, parseEncryption
} from './crypto.js'
import { privateKeyFromPem, publicKeyFromPem, publicKeyFromPrivate } from './keys.js'
import { toBytes, fromHex, utf8Decode, base64Encode, base64UrlEncode, base64Decode, bytesEqual, randomBytes } from './bytes.js'
import { XietongError, DecryptError, BadResponseSignatureError } from './errors.js'

/** A fresh request nonce: 18 random bytes, base64url (24 characters of A–Z a–z 0–9 - _). */
export function randomNonce () {
  return base64UrlEncode(randomBytes(18))
}

function isPem (v) {
  return typeof v === 'string' && v.includes('-----BEGIN ')
}

/** A verified and decrypted response. */
export class Result {
  constructor (status, headers, body) {
    /** HTTP status. */
    this.status = status
    /** The response headers (a fetch Headers object). */
    this.headers = headers
    /** The body as bytes: the plaintext when the response was encrypted. */
    this.body = body
  }

  get ok () {
    return this.status >= 200 && this.status < 300
  }

  /** The body as UTF-8 text. */
  text () {
    return utf8Decode(this.body)
  }

  /** The body parsed as JSON. */
  json () {
    return JSON.parse(this.text())
  }

  /**
   * For a refused call (status ≥ 400), the problem document of §4
   * ({ code, detail, detail_en, … }); null otherwise or when the body is not one.
   */
  problem () {
    if (this.status < 400) return null
    try {
      const p = this.json()
      return p && typeof p === 'object' && typeof p.code === 'string' ? p : null
    } catch {
      return null
    }
  }
}

/**
 * Calls the gateway. Give keyId and one of hmacSecret or sm2Key; give
 * dataKeyId and dataKey to encrypt; give platformKey to verify SM2-signed
 * responses.
 */
export class Client {
  /**
   * @param {object} o
   * @param {string} o.baseURL        the gateway's address, e.g. "https://gw.example.gov.cn"
   * @param {string} o.keyId          "ak_…"
   * @param {string} [o.hmacSecret]   the 43-character secret (HMAC-SM3)
   * @param {string} [o.sm2Key]       SM2 private key: 64 hex digits or PEM (SM2-SM3)
   * @param {string} [o.platformKey]  platform public key: "04…" hex or PEM SPKI
   * @param {string} [o.dataKeyId]    "dk_…"
   * @param {Uint8Array|string} [o.dataKey] the 16-byte SM4 key (bytes or 32 hex digits), e.g. from openEnvelope
   * @param {string} [o.mode]         'SM4-GCM' (default with a data key) or 'SM4-CBC'
   * @param {Function} [o.fetch]      replaces globalThis.fetch
   * @param {Function} [o.now]        replaces Date.now (milliseconds, or a Date)
   * @param {Function} [o.nonce]      replaces randomNonce
   */
  constructor (o = {}) {
    this.baseURL = (o.baseURL || '').replace(/\/+$/, '')
    this.keyId = o.keyId
    this.hmacSecret = o.hmacSecret || ''
    this.sm2Key = o.sm2Key ? (isPem(o.sm2Key) ? privateKeyFromPem(o.sm2Key) : o.sm2Key) : null
    this.sm2PublicKey = this.sm2Key ? publicKeyFromPrivate(this.sm2Key) : null
    this.platformKey = o.platformKey ? (isPem(o.platformKey) ? publicKeyFromPem(o.platformKey) : o.platformKey) : null
    this.dataKeyId = o.dataKeyId || ''
    this.dataKey = o.dataKey ? (typeof o.dataKey === 'string' ? fromHex(o.dataKey) : toBytes(o.dataKey)) : null
    this.mode = o.mode || ''
    this.fetch = o.fetch || null
    this.now = o.now || Date.now
    this.nonce = o.nonce || randomNonce
    if (!this.baseURL) throw new XietongError('xietong: baseURL is required')
    if (!this.keyId) throw new XietongError('xietong: keyId is required')
    if (this.dataKey && this.dataKey.length !== 16) throw new XietongError('xietong: the data key is 16 bytes')
    if (this.dataKey && !this.dataKeyId) throw new XietongError('xietong: dataKeyId is required with dataKey')
    if (this.mode && this.mode !== MODE_GCM && this.mode !== MODE_CBC) {
      throw new XietongError(`xietong: unknown encryption mode "${this.mode}"`)
    }
  }

  /**
   * Sends method path?query with body, signed and (with a data key)
   * encrypted, and returns the verified and decrypted Result — for refused
   * calls too (check result.status / result.problem()). Throws
   * BadResponseSignatureError or DecryptError (with .result holding the raw
   * response) when the response cannot be trusted or opened.
   *
   * @param {string} method
   * @param {string} path     e.g. "/gw/person/v1/info", percent-encoded as it should go on the wire
   * @param {object} [opts]
   * @param {object|URLSearchParams|Map|string} [opts.query]  parameters (encoded like Go's url.Values.Encode), or a ready query string without "?"
   * @param {Uint8Array|ArrayBuffer|string|object} [opts.body]  bytes, text (UTF-8) or a value sent as JSON
   * @param {string} [opts.contentType]  media type of the plaintext body (default application/json)
   * @param {AbortSignal} [opts.signal]
   */
  async request (method, path, opts = {}) {
    method = String(method).toUpperCase()
    const ms = Number(this.now())
    if (!Number.isFinite(ms)) throw new XietongError('xietong: now() must give milliseconds or a Date')
    const ts = String(Math.floor(ms / 1000))
    const nonce = this.nonce()
    // A ready query string is first put in the form the URL parser sends
    // (non-ASCII and spaces percent-encoded), so that a sealed xt_q carries
    // the same query the gateway would have seen in clear.
    let rawQuery = typeof opts.query === 'string' ? wireForm(opts.query) : encodeQuery(opts.query)
    let body = bodyBytes(opts.body)
    const contentType = opts.contentType || 'application/json'

    let encryption = ''
    let mode = this.mode
    if (this.dataKey) {
      if (!mode) mode = MODE_GCM
      encryption = mode + ';' + this.dataKeyId
      const aad = requestAAD(this.keyId, ts, nonce)
      if (rawQuery !== '') {
        rawQuery = ENCRYPTED_QUERY_PARAM + '=' + base64UrlEncode(seal(mode, this.dataKey, toBytes(rawQuery), aad))
      }
      if (body.length > 0) {
        body = toBytes(base64Encode(seal(mode, this.dataKey, body, aad)))
      }
    }

    // Sign what goes on the wire: the URL parser may percent-encode the
    // path or the query (e.g. non-ASCII characters), so take both from it.
    const url = new URL(this.baseURL + path + (rawQuery !== '' ? '?' + rawQuery : ''))
    const wireQuery = url.search.startsWith('?') ? url.search.slice(1) : ''
    const toSign = requestStringToSign({
      method,
      path: url.pathname,
      rawQuery: wireQuery,
      keyId: this.keyId,
      timestamp: ts,
      nonce,
      encryption,
      body
    })
    let sig
    if (this.sm2Key) sig = sm2Sign(this.sm2Key, toSign, { publicKey: this.sm2PublicKey })
    else if (this.hmacSecret) sig = hmacSign(this.hmacSecret, toSign)
    else throw new XietongError('xietong: set hmacSecret or sm2Key')

    const headers = {
      [HEADER_KEY_ID]: this.keyId,
      [HEADER_TIMESTAMP]: ts,
      [HEADER_NONCE]: nonce,
      [HEADER_SIGNATURE]: base64Encode(sig)
    }
    if (encryption) {
      headers[HEADER_ENCRYPTION] = encryption
      if (body.length > 0) {
        headers['Content-Type'] = 'text/plain'
        headers[HEADER_CONTENT_TYPE] = contentType
      }
    } else if (body.length > 0) {
      headers['Content-Type'] = contentType
    }
    if (body.length > 0 && (method === 'GET' || method === 'HEAD')) {
      throw new XietongError(`xietong: fetch cannot send a body with ${method}`)
    }

    const doFetch = this.fetch || globalThis.fetch
    const res = await doFetch(url.href, {
      method,
      headers,
      body: body.length > 0 ? body : undefined,
      redirect: 'manual', // a redirect would be a new, unsigned request
      signal: opts.signal
    })
    const raw = new Uint8Array(await res.arrayBuffer())
    const out = new Result(res.status, res.headers, raw)
    this.verify(res.status, res.headers, nonce, raw, out)

    const enc = res.headers.get(HEADER_ENCRYPTION)
    if (enc) {
      const { mode: m } = parseEncryption(enc)
      if (!this.dataKey) throw new DecryptError('xietong: encrypted response but no data key', out)
      let sealed
      try {
        sealed = base64Decode(utf8Decode(raw))
      } catch {
        throw new DecryptError(undefined, out)
      }
      try {
        return new Result(res.status, res.headers, open(m, this.dataKey, sealed, responseAAD(this.keyId, nonce)))
      } catch (e) {
        if (e instanceof DecryptError) throw new DecryptError(undefined, out)
        throw e
      }
    }
    return out
  }

  /** Checks the response signature of §3; throws BadResponseSignatureError. */
  verify (status, headers, requestNonce, body, result) {
    const sigB64 = headers.get(HEADER_SIGNATURE)
    if (!sigB64) throw new BadResponseSignatureError(`xietong: response signature does not verify: unsigned ${status} response`, result)
    let sig
    try {
      sig = base64Decode(sigB64)
    } catch {
      throw new BadResponseSignatureError(undefined, result)
    }
    if (headers.get(HEADER_REQUEST_NONCE) !== requestNonce) {
      throw new BadResponseSignatureError('xietong: response signature does not verify: answers another request', result)
    }
    const msg = responseStringToSign({
      status,
      requestNonce,
      timestamp: headers.get(HEADER_TIMESTAMP) ?? '',
      nonce: headers.get(HEADER_NONCE) ?? '',
      encryption: headers.get(HEADER_ENCRYPTION) ?? '',
      body
    })
    switch (headers.get(HEADER_SIGNATURE_METHOD)) {
      case METHOD_HMAC:
        if (!this.hmacSecret || !bytesEqual(sig, hmacSign(this.hmacSecret, msg))) {
          throw new BadResponseSignatureError(undefined, result)
        }
        return
      case METHOD_SM2:
        if (!this.platformKey || !sm2Verify(this.platformKey, msg, sig)) {
          throw new BadResponseSignatureError(undefined, result)
        }
        return
    }
    throw new BadResponseSignatureError(undefined, result)
  }
}

function wireForm (query) {
  if (query === '') return ''
  const u = new URL('http://h/?' + query)
  return u.search.startsWith('?') ? u.search.slice(1) : ''
}

function bodyBytes (b) {
  if (b === undefined || b === null) return new Uint8Array(0)
  if (typeof b === 'string' || b instanceof Uint8Array || b instanceof ArrayBuffer || ArrayBuffer.isView(b)) {
    return toBytes(b)
  }
  return toBytes(JSON.stringify(b))
}
