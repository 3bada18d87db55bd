// Errors of the SDK. Each has a stable `code`. Errors about a response
// carry the raw, unverified or undecrypted `result` when there is one.

export class XietongError extends Error {
  constructor (message, code = 'XT_ERROR', options) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** A query string that cannot be percent-decoded (Go: ErrBadQuery). */
export class BadQueryError extends XietongError {
  constructor (message = 'xietong: malformed query string') {
    super(message, 'XT_BAD_QUERY')
  }
}

/** Decryption failed; why is hidden on purpose (Go: ErrDecrypt). */
export class DecryptError extends XietongError {
  constructor (message = 'xietong: decryption failed', result) {
    super(message, 'XT_DECRYPT')
    if (result) this.result = result
  }
}

/** The response was not signed by the gateway, or answers another request (Go: ErrBadResponseSignature). */
export class BadResponseSignatureError extends XietongError {
  constructor (message = 'xietong: response signature does not verify', result) {
    super(message, 'XT_BAD_RESPONSE_SIGNATURE')
    if (result) this.result = result
  }
}
