import type { CallFilters } from '@/api/types'
import { normalizeSubject } from '../rules'

/** The call-log page's filter form; the time range is local Dates until it is sent. */
export interface CallFilterForm {
  consumer: string
  api: string
  status: string
  code: string
  client_ip: string
  range: [Date, Date] | null
  subject: string
}

export function emptyCallFilters(): CallFilterForm {
  return { consumer: '', api: '', status: '', code: '', client_ip: '', range: null, subject: '' }
}

/** The query the API takes: RFC 3339 UTC times, trimmed strings, the subject upper-cased. */
export function toCallFilters(form: CallFilterForm): CallFilters {
  const [from, to] = form.range ?? [null, null]
  const opt = (v: string) => v.trim() || undefined
  return {
    consumer: opt(form.consumer),
    api: opt(form.api),
    status: opt(form.status),
    code: opt(form.code),
    client_ip: opt(form.client_ip),
    from: from ? from.toISOString() : undefined,
    to: to ? to.toISOString() : undefined,
    subject: normalizeSubject(form.subject) || undefined,
  }
}

/** Microseconds → milliseconds as shown: one decimal under 10 ms, whole numbers above. */
export function latencyMs(us: number): string {
  const ms = us / 1000
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms))
}
