// Fund supervision (/api/v1/supervision/…): the rule library, task groups and runs, warnings and their
// lifecycle (派发 → 核查 → 审核 → 反馈), the agency's verification, samples and statistics.
import { http } from './client'
import type { Id, ListParams, Page } from './types'

const seg = (id: Id | string) => encodeURIComponent(String(id))

export type Severity = 'high' | 'medium' | 'low'

export interface RuleParam {
  name: string
  type: 'integer' | 'number' | 'string' | 'date'
  default?: string
  description: string
}

export interface SupRule {
  code: string
  name: string
  insurance: string
  scope: string
  description: string
  legal_basis: string
  sql: string
  params: RuleParam[] | null
  severity: Severity
  enabled: boolean
  builtin: boolean
  /** city → param → value */
  overrides: Record<string, Record<string, string>> | null
  active_version?: number
  latest_version?: number
}

export interface RuleInput {
  code: string
  name: string
  insurance: string
  scope: string
  description: string
  legal_basis: string
  sql: string
  params: RuleParam[]
  severity: Severity
}

export interface RuleVersion {
  version: number
  rule: SupRule
  active: boolean
  created_by: string
  created_at: string
}

export interface Hit {
  rule_code: string
  subject: string
  subject_name: string
  region: string
  insurance: string
  period: string
  amount: number
  evidence: string
}

export interface DryRunInput {
  code?: string
  version?: number
  rule?: RuleInput
  values?: Record<string, string>
  limit?: number
}

export interface TaskGroup {
  id: Id
  name: string
  rule_codes: string[]
  schedule: string
  enabled: boolean
  last_fired_at: string | null
  next_at: string | null
  created_by: string
  created_at: string
  updated_at: string
}

export interface TaskGroupInput {
  name: string
  rule_codes: string[]
  schedule: string
  enabled: boolean
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'warning'

export interface RuleResult {
  code: string
  name: string
  hits: number
  new: number
  reopened: number
  elapsed_ms: number
  error?: string
}

export interface Run {
  id: Id
  group_id: Id | null
  group_name: string
  trigger: 'manual' | 'schedule'
  rule_codes: string[]
  status: RunStatus
  total: number
  done: number
  hits: number
  new_warnings: number
  reopened: number
  cancelled: boolean
  error: string
  results: RuleResult[] | null
  created_by: string
  queued_at: string
  started_at: string | null
  finished_at: string | null
  duration_ms: number
}

export type WarningStatus = 'new' | 'dispatched' | 'verified' | 'reviewed' | 'closed'
export const WARNING_STATUSES: WarningStatus[] = ['new', 'dispatched', 'verified', 'reviewed', 'closed']
export const PROBLEM_CATEGORIES = ['none', 'fraud', 'overpayment', 'underpayment', 'data_error', 'procedure', 'other'] as const
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number]

export interface WarningEvent {
  id: Id
  action: string
  from_status: string
  to_status: string
  actor_name: string
  comment: string
  run_id: Id | null
  at: string
}

export interface EvidenceFile {
  id: Id
  warning_id: Id
  name: string
  content_type: string
  size: number
  sm3: string
  uploaded_by: string
  uploaded_at: string
}

export interface SupWarning {
  id: Id
  rule_code: string
  rule_name: string
  severity: Severity
  subject: string
  subject_name: string
  region: string
  city: string
  province: string
  insurance: string
  period: string
  amount: number
  evidence: string
  evidence_hash: string
  status: WarningStatus
  run_id: Id | null
  last_run_id: Id | null
  reopen_count: number
  agency_id: Id | null
  agency_name: string
  deadline: string | null
  dispatched_at: string | null
  overdue: boolean
  escalation: number
  escalation_name: string
  findings: string
  problem_category: string
  rectified: boolean
  verified_amount: number | null
  recovered: number
  file_ids: Id[] | null
  verified_at: string | null
  closed_at: string | null
  sample_id: Id | null
  recheck_status: '' | 'pending' | 'confirmed' | 'problem'
  recheck_comment: string
  created_at: string
  updated_at: string
  events?: WarningEvent[]
  files?: EvidenceFile[]
}

export interface WarningFilters {
  q?: string
  rule?: string
  status?: WarningStatus | ''
  region?: string
  agency_id?: Id | ''
  insurance?: string
  period_from?: string
  period_to?: string
  run_id?: Id | ''
  overdue?: boolean
  recheck?: string
}

export interface DispatchInput {
  agency_id: Id
  /** RFC 3339 */
  deadline: string
  comment: string
}

export interface VerifyInput {
  findings: string
  problem_category: ProblemCategory | ''
  rectified: boolean
  amount_involved: number
  amount_recovered: number
  file_ids: Id[]
  comment: string
}

export interface DecisionInput {
  decision: 'pass' | 'close' | 'send_back'
  comment: string
  deadline?: string | null
}

export interface AgencyOption {
  id: Id
  name: string
  kind: string
  region_code: string
  /** 3 the warning's county, 2 its city, 1 its province, 0 none */
  match: number
}

export interface Sample {
  id: Id
  quarter: string
  seed: number
  size: number
  population: number
  warning_ids: Id[]
  created_by: string
  created_at: string
}

export type StatsLevel = 'province' | 'city' | 'county'

export interface StatRow {
  region: string
  name: string
  found: number
  verified: number
  rectified: number
  amount_involved: number
  amount_recovered: number
}

export interface StatsFilters {
  level: StatsLevel
  region?: string
  period_from?: string
  period_to?: string
  rule?: string
  insurance?: string
}

export interface StatsAnswer {
  level: StatsLevel
  rows: StatRow[]
  total: StatRow
}

/** Drops empty filters and turns booleans into 1, as the server reads them. */
function query<T extends object>(f: T): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(f)) {
    if (v === '' || v === undefined || v === null || v === false) continue
    out[k] = v === true ? 1 : (v as string | number)
  }
  return out
}

export const supervisionApi = {
  // 规则库
  rules: () => http.get<SupRule[]>('/supervision/rules'),
  rule: (code: string) => http.get<SupRule>(`/supervision/rules/${seg(code)}`),
  versions: (code: string) => http.get<RuleVersion[]>(`/supervision/rules/${seg(code)}/versions`),
  /** Quiet: the rule editor shows the template's and the warehouse's errors in place. */
  dryRun: (body: DryRunInput) => http.post<Hit[]>('/supervision/rules/dry-run', body, { silent: true }),
  setEnabled: (code: string, enabled: boolean) => http.put<SupRule>(`/supervision/rules/${seg(code)}/enabled`, { enabled }),
  setParams: (code: string, city: string, values: Record<string, string>) =>
    http.put<SupRule>(`/supervision/rules/${seg(code)}/params`, { city, values }, { silent: true }),
  saveRule: (body: RuleInput) => http.post<RuleVersion>('/supervision/custom-rules', body, { silent: true }),
  activate: (code: string, version: number) => http.post<SupRule>(`/supervision/rules/${seg(code)}/versions/${version}/activate`),

  // 调度管理
  groups: () => http.get<TaskGroup[]>('/supervision/groups'),
  group: (id: Id) => http.get<TaskGroup>(`/supervision/groups/${seg(id)}`),
  createGroup: (body: TaskGroupInput) => http.post<TaskGroup>('/supervision/groups', body, { silent: true }),
  updateGroup: (id: Id, body: TaskGroupInput) => http.put<TaskGroup>(`/supervision/groups/${seg(id)}`, body, { silent: true }),
  deleteGroup: (id: Id) => http.del(`/supervision/groups/${seg(id)}`),
  runs: (params: ListParams & { group_id?: Id | ''; status?: RunStatus | '' }) => http.get<Page<Run>>('/supervision/runs', query(params)),
  run: (id: Id) => http.get<Run>(`/supervision/runs/${seg(id)}`),
  startRun: (body: { group_id?: Id; rule_codes?: string[] }) => http.post<Run>('/supervision/runs', body),
  cancelRun: (id: Id) => http.post<Run>(`/supervision/runs/${seg(id)}/cancel`),

  // 预警处置
  warnings: (params: ListParams & WarningFilters) => http.get<Page<SupWarning>>('/supervision/warnings', query(params)),
  exportWarnings: (filters: WarningFilters) => http.download('/supervision/warnings/export', query(filters), 'warnings.xlsx'),
  warning: (id: Id) => http.get<SupWarning>(`/supervision/warnings/${seg(id)}`),
  fileUrl: (id: Id) => `/api/v1/supervision/files/${seg(id)}`,
  agencyOptions: (region: string, q = '') => http.get<AgencyOption[]>('/supervision/agency-options', query({ region, q })),
  /** Quiet: the dialogs show supervision_bad_state and field errors in place. */
  dispatch: (id: Id, body: DispatchInput) => http.post<SupWarning>(`/supervision/warnings/${seg(id)}/dispatch`, body, { silent: true }),
  review: (id: Id, body: DecisionInput) => http.post<SupWarning>(`/supervision/warnings/${seg(id)}/review`, body, { silent: true }),
  feedback: (id: Id, body: DecisionInput) => http.post<SupWarning>(`/supervision/warnings/${seg(id)}/feedback`, body, { silent: true }),
  samples: () => http.get<Sample[]>('/supervision/samples'),
  drawSample: (body: { quarter: string; size: number }) => http.post<Sample>('/supervision/samples', body, { silent: true }),
  recheck: (id: Id, body: { outcome: 'confirmed' | 'problem'; comment: string }) =>
    http.post<SupWarning>(`/supervision/warnings/${seg(id)}/recheck`, body, { silent: true }),

  // 核查任务 (the agency's side)
  agencyWarnings: (params: ListParams & WarningFilters) => http.get<Page<SupWarning>>('/supervision/agency/warnings', query(params)),
  agencyWarning: (id: Id) => http.get<SupWarning>(`/supervision/agency/warnings/${seg(id)}`),
  agencyFileUrl: (id: Id) => `/api/v1/supervision/agency/files/${seg(id)}`,
  upload: (id: Id, file: File) => http.upload<EvidenceFile>(`/supervision/agency/warnings/${seg(id)}/files`, 'file', file, { silent: true }),
  verify: (id: Id, body: VerifyInput) => http.post<SupWarning>(`/supervision/agency/warnings/${seg(id)}/verify`, body, { silent: true }),

  // 监管统计
  stats: (f: StatsFilters) => http.get<StatsAnswer>('/supervision/stats', query(f)),
  exportStats: (f: StatsFilters) => http.download('/supervision/stats/export', query(f), 'supervision-stats.xlsx'),
}
