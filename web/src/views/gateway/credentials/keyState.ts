// How a key stands now. The server keeps status active|revoked; a rotated key stays "active"
// with an expires_at, so the console tells apart a key in its overlap and one that has ended.
import type { DataKey, GatewayKey } from '@/api/types'

const EXPIRING_MS = 7 * 24 * 3600 * 1000

export type KeyState = 'active' | 'expiring' | 'expired' | 'revoked'

export function keyState(key: Pick<GatewayKey | DataKey, 'status' | 'expires_at'>, now: Date = new Date()): KeyState {
  if (key.status === 'revoked') return 'revoked'
  if (!key.expires_at) return 'active'
  const at = new Date(key.expires_at)
  if (Number.isNaN(at.getTime())) return 'active'
  if (at.getTime() <= now.getTime()) return 'expired'
  // Within a week of its end: e.g. the old key in a rotation's overlap.
  return at.getTime() - now.getTime() <= EXPIRING_MS ? 'expiring' : 'active'
}

export const KEY_STATE_TAG: Record<KeyState, 'success' | 'warning' | 'info' | 'danger'> = {
  active: 'success',
  expiring: 'warning',
  expired: 'info',
  revoked: 'danger',
}

/** A key that can still be rotated or revoked. */
export function isLive(key: Pick<GatewayKey | DataKey, 'status' | 'expires_at'>, now: Date = new Date()): boolean {
  const s = keyState(key, now)
  return s === 'active' || s === 'expiring'
}

/** Whether the consumer has an SM2 key a data key can be enveloped to (service.IssueDataKey). */
export function hasLiveSm2(keys: readonly GatewayKey[] | null | undefined, now: Date = new Date()): boolean {
  return (keys ?? []).some((k) => k.kind === 'sm2' && isLive(k, now))
}
