// What the gateway's control plane accepts, checked in the browser before sending, so a mistake
// is marked at once. The server checks the same (internal/consumer/service.go,
// internal/calllog/search.go, internal/ident) and its 422 errors[] are shown under the fields too.

/** The sensitive categories a response field can be put in (consumer.Categories), in the server's order. */
export const SENSITIVE_CATEGORIES = [
  'name',
  'phone',
  'id_number',
  'bank_card',
  'address',
  'secret',
  'health',
  'location',
  'biometric',
  'minor',
  'special_identity',
] as const
export type SensitiveCategory = (typeof SENSITIVE_CATEGORIES)[number]

export function isSensitiveCategory(v: string): v is SensitiveCategory {
  return (SENSITIVE_CATEGORIES as readonly string[]).includes(v)
}

/** A JSON path in a response: a.b[].c, or [].c for the elements of a top-level array (fieldPathRe). */
const FIELD_PATH_RE = /^(\[\]\.)?[A-Za-z0-9_]+(\[\])?(\.[A-Za-z0-9_]+(\[\])?)*$/

export function isFieldPath(v: string): boolean {
  return FIELD_PATH_RE.test(v)
}

/** A published path: /gw/ then letters, digits and . _ ~ / - (gwPathRe), without // or .. */
export function isGatewayPath(v: string): boolean {
  return /^\/gw\/[A-Za-z0-9._~/-]{1,200}$/.test(v) && !v.includes('//') && !v.includes('..')
}

/** The methods the gateway retries on an upstream failure (gateway.idempotent). */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'PUT' || method === 'DELETE'
}

function isIPv4(v: string): boolean {
  const parts = v.split('.')
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)
}

function isIPv6(v: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(v) || v.includes(':::')) return false
  const halves = v.split('::')
  if (halves.length > 2) return false
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const all = [...groups(halves[0] ?? ''), ...groups(halves[1] ?? '')]
  let count = 0
  for (const [i, g] of all.entries()) {
    if (i === all.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return false
      count += 2
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) {
      count += 1
    } else {
      return false
    }
  }
  return halves.length === 2 ? count < 8 : count === 8
}

/** An address or a CIDR prefix, IPv4 or IPv6 (as netip.ParseAddr / ParsePrefix take them). */
export function isIpOrCidr(v: string): boolean {
  const [addr = '', bits, extra] = v.split('/')
  if (extra !== undefined) return false
  const v4 = isIPv4(addr)
  if (!v4 && !isIPv6(addr)) return false
  if (bits === undefined) return true
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return false
  return Number(bits) <= (v4 ? 32 : 128)
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** 公民身份号码 (GB 11643): 18 characters, a real birth date, the MOD 11-2 check character. */
export function isCitizenId(v: string): boolean {
  if (!/^\d{17}[\dX]$/.test(v)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * (ID_WEIGHTS[i] ?? 0)
  if (v[17] !== ID_CHECK[sum % 11]) return false
  const y = Number(v.slice(6, 10))
  const m = Number(v.slice(10, 12))
  const d = Number(v.slice(12, 14))
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** 统一社会信用代码 (GB 32100): 18 characters of its alphabet with the MOD 31 check character. */
export function isUscc(v: string): boolean {
  if (v.length !== 18) return false
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const n = USCC_ALPHABET.indexOf(v.charAt(i))
    if (n < 0) return false
    sum += n * (USCC_WEIGHTS[i] ?? 0)
  }
  const check = (31 - (sum % 31)) % 31
  return USCC_ALPHABET.indexOf(v.charAt(17)) === check
}

/** The 查询对象 of a call-log search, upper-cased as the server indexes it; '' when empty. */
export function normalizeSubject(v: string): string {
  return v.trim().toUpperCase()
}

/** True when the call log can be searched by this subject. */
export function isSubject(v: string): boolean {
  const s = normalizeSubject(v)
  return isCitizenId(s) || isUscc(s)
}
