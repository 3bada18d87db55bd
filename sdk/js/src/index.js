// xietong-sdk: the JavaScript client of the xietong (协同) gateway protocol XT1.
// See README.md and docs/gateway-protocol.md in the xietong repository.

export {
  HEADER_KEY_ID, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_ENCRYPTION, HEADER_CONTENT_TYPE,
  HEADER_SIGNATURE, HEADER_SIGNATURE_METHOD, HEADER_REQUEST_NONCE, HEADER_PLATFORM_KEY_ID,
  METHOD_HMAC, METHOD_SM2, SIGNER_ID, ENCRYPTED_QUERY_PARAM,
  canonicalQuery, encodeQuery, bodyHash, requestStringToSign, responseStringToSign,
  requestAAD, responseAAD
} from './canonical.js'
export {
  MODE_GCM, MODE_CBC, hmacSign, sm2Sign, sm2Verify, seal, open, parseEncryption,
  openEnvelope, sm2CiphertextAsn1ToC1C3C2
} from './crypto.js'
export { privateKeyFromPem, publicKeyFromPem, publicKeyFromPrivate } from './keys.js'
export { Client, Result, randomNonce } from './client.js'
export { XietongError, BadQueryError, DecryptError, BadResponseSignatureError } from './errors.js'
export { toHex, fromHex, base64Encode, base64Decode, base64UrlEncode } from './bytes.js'
