import type { AuditFilters } from '@/api/types'

/** The results the server records (internal/audit: "ok", "denied", "failed"). */
export const AUDIT_RESULTS = ['ok', 'denied', 'failed'] as const
export type AuditResult = (typeof AUDIT_RESULTS)[number]

export function isAuditResult(v: string): v is AuditResult {
  return (AUDIT_RESULTS as readonly string[]).includes(v)
}

/** The audit page's filter form; the time range is local Dates until it is sent. */
export interface AuditFilterForm {
  range: [Date, Date] | null
  actor: string
  action: string
  target: string
  result: string
}

export function emptyAuditFilters(): AuditFilterForm {
  return { range: null, actor: '', action: '', target: '', result: '' }
}

/** The query the API takes: RFC 3339 UTC times, trimmed strings. */
export function toAuditFilters(form: AuditFilterForm): AuditFilters {
  const [from, to] = form.range ?? [null, null]
  return {
    from: from ? from.toISOString() : undefined,
    to: to ? to.toISOString() : undefined,
    actor: form.actor.trim() || undefined,
    action: form.action.trim() || undefined,
    target: form.target.trim() || undefined,
    result: form.result.trim() || undefined,
  }
}
