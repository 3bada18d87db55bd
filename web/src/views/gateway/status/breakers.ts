// The circuit breaker states GET /gateway/status reports (gobreaker's State.String()).
export const BREAKER_STATES = ['closed', 'half-open', 'open'] as const
export type BreakerStateName = (typeof BREAKER_STATES)[number]

const TAG: Record<BreakerStateName, 'success' | 'warning' | 'danger'> = {
  closed: 'success',
  'half-open': 'warning',
  open: 'danger',
}

export function breakerTag(state: string): 'success' | 'warning' | 'danger' | 'info' {
  return (BREAKER_STATES as readonly string[]).includes(state) ? TAG[state as BreakerStateName] : 'info'
}

/** "used / limit", with the word for unlimited when the limit is 0. */
export function usage(used: number, limit: number, unlimited: string): string {
  return `${used} / ${limit > 0 ? limit : unlimited}`
}
