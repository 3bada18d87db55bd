// The grant dialog's form and what it sends. Times are local Dates in the pickers and RFC 3339 on
// the wire; empty lists mean "all fields", "every address", "every method".
import type { GatewayMethod, Grant, GrantInput, GrantStatus, Id } from '@/api/types'

export interface GrantForm {
  consumer_id: Id | null
  api_id: Id | null
  fields: string[]
  plaintext_categories: string[]
  rate_per_sec: number
  burst: number
  quota_day: number
  quota_month: number
  valid_from: Date | null
  valid_to: Date | null
  ip_allowlist: string[]
  methods: GatewayMethod[]
  status: GrantStatus
}

export function emptyGrantForm(): GrantForm {
  return {
    consumer_id: null,
    api_id: null,
    fields: [],
    plaintext_categories: [],
    rate_per_sec: 0,
    burst: 0,
    quota_day: 0,
    quota_month: 0,
    valid_from: null,
    valid_to: null,
    ip_allowlist: [],
    methods: [],
    status: 'active',
  }
}

const toDate = (v: string | null | undefined): Date | null => {
  if (!v) return null
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

export function grantFormFrom(g: Grant): GrantForm {
  return {
    consumer_id: g.consumer_id,
    api_id: g.api_id,
    fields: [...(g.fields ?? [])],
    plaintext_categories: [...(g.plaintext_categories ?? [])],
    rate_per_sec: g.rate_per_sec ?? 0,
    burst: g.burst ?? 0,
    quota_day: g.quota_day ?? 0,
    quota_month: g.quota_month ?? 0,
    valid_from: toDate(g.valid_from),
    valid_to: toDate(g.valid_to),
    ip_allowlist: [...(g.ip_allowlist ?? [])],
    methods: [...(g.methods ?? [])],
    status: g.status,
  }
}

const num = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

export function toGrantInput(form: GrantForm): GrantInput {
  return {
    consumer_id: form.consumer_id,
    api_id: form.api_id,
    fields: form.fields.map((f) => f.trim()).filter(Boolean),
    plaintext_categories: [...form.plaintext_categories],
    rate_per_sec: num(form.rate_per_sec),
    burst: Math.trunc(num(form.burst)),
    quota_day: Math.trunc(num(form.quota_day)),
    quota_month: Math.trunc(num(form.quota_month)),
    valid_from: form.valid_from ? form.valid_from.toISOString() : null,
    valid_to: form.valid_to ? form.valid_to.toISOString() : null,
    ip_allowlist: form.ip_allowlist.map((s) => s.trim()).filter(Boolean),
    methods: [...form.methods],
    status: form.status,
  }
}

/** True when the validity range is open on a side or ends after it starts. */
export function validityOrdered(from: Date | null, to: Date | null): boolean {
  return !from || !to || to.getTime() > from.getTime()
}

/**
 * The server names list items by index (`fields[2]`, `ip_allowlist[0]`, `methods[1]`,
 * `plaintext_categories[0]`); the form shows them under the list.
 */
export function grantFieldAlias(field: string): string {
  return field.replace(/\[\d+\]$/, '')
}
