// Security admin (安全管理员) and audit admin (审计管理员) routes.
import { http, type Query } from './client'
import type { AccountListParams, AuditEvent, AuditFilters, AuditVerifyResult, Id, ListParams, Page, PasswordPolicy, User } from './types'

const seg = (id: Id) => encodeURIComponent(String(id))

export const securityApi = {
  policy: () => http.get<PasswordPolicy>('/security/policy'),
  updatePolicy: (body: PasswordPolicy) => http.put<PasswordPolicy>('/security/policy', body),
  accounts: (params: AccountListParams) =>
    // `locked=true` filters; leaving it out lists every account.
    http.get<Page<User>>('/security/accounts', { ...params, locked: params.locked ? true : undefined }),
  unlock: (id: Id) => http.post<void>(`/security/accounts/${seg(id)}/unlock`),
  forceLogout: (id: Id) => http.post<void>(`/security/accounts/${seg(id)}/logout`),
}

export type AuditExportFormat = 'csv' | 'xlsx'

export function auditQuery(filters: AuditFilters): Query {
  return {
    from: filters.from,
    to: filters.to,
    actor: filters.actor,
    action: filters.action,
    target: filters.target,
    result: filters.result,
  }
}

export const auditApi = {
  events: (filters: AuditFilters, params: ListParams) =>
    http.get<Page<AuditEvent>>('/audit/events', { ...auditQuery(filters), ...params }),
  export: (filters: AuditFilters, format: AuditExportFormat) =>
    http.download('/audit/events/export', { ...auditQuery(filters), format }, `audit-events.${format}`),
  verify: () => http.get<AuditVerifyResult>('/audit/verify'),
}
