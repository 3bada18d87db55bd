// The gateway's result codes (docs/gateway-protocol.md §4, and the few the gateway adds for its
// own failures) with their meaning in the current language. A successful call has no code.
import { i18n } from '@/i18n'

export interface GatewayCode {
  code: string
  status: number
}

/** The codes a call-log row can carry, in the order of the protocol's table. */
export const GATEWAY_CODES: readonly GatewayCode[] = [
  { code: 'gw_bad_request', status: 400 },
  { code: 'gw_bad_encryption', status: 400 },
  { code: 'gw_stale_timestamp', status: 401 },
  { code: 'gw_unknown_key', status: 401 },
  { code: 'gw_revoked_key', status: 401 },
  { code: 'gw_bad_signature', status: 401 },
  { code: 'gw_replayed_nonce', status: 401 },
  { code: 'gw_not_granted', status: 403 },
  { code: 'gw_grant_expired', status: 403 },
  { code: 'gw_ip_denied', status: 403 },
  { code: 'gw_method_denied', status: 403 },
  { code: 'gw_no_such_api', status: 404 },
  { code: 'gw_rate_limited', status: 429 },
  { code: 'gw_quota_exhausted', status: 429 },
  { code: 'gw_upstream_error', status: 502 },
  { code: 'gw_upstream_unavailable', status: 503 },
  { code: 'gw_upstream_timeout', status: 504 },
  { code: 'gw_client_closed', status: 499 },
  { code: 'gw_state_unavailable', status: 503 },
  { code: 'gw_log_unavailable', status: 503 },
  { code: 'gw_internal', status: 500 },
]

/** The meaning of a code: 成功 for none, the translation of a known one, else the code itself. */
export function codeMeaning(code: string | null | undefined): string {
  if (!code) return i18n.t('gw.codes.ok')
  return i18n.tryT(`gw.codes.${code}`) ?? code
}

/** The el-tag colour of an HTTP status in the call log. */
export function statusTagType(status: number): 'success' | 'warning' | 'danger' | 'info' {
  if (status >= 200 && status < 300) return 'success'
  if (status >= 500) return 'danger'
  if (status >= 400) return 'warning'
  return 'info'
}
