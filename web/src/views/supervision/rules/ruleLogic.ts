// The rule library's model: the list filters, the user-defined rule's form and what it sends, the
// cities' parameter overrides (规则参数维护) and the values of a dry run.
import type { RuleInput, RuleParam, Severity, SupRule } from '@/api/supervision'

/** 险种 (AAE140) a rule may be for; a rule spanning several has "". */
export const INSURANCES = ['110', '120', '170', '210', '310', '410', '510'] as const
/** The 险种 filter's value for the rules with no single 险种 (label sv.insurance.other). */
export const SEVERAL = 'other'

/** 规则范围, as the server spells them; SCOPE_KEYS names their translations. */
export const SCOPES = ['通用', '单险专用', '本地专用', '部省通用'] as const
export const SCOPE_KEYS: Record<string, 'general' | 'single' | 'local' | 'national'> = {
  通用: 'general',
  单险专用: 'single',
  本地专用: 'local',
  部省通用: 'national',
}

export const SEVERITIES: Severity[] = ['high', 'medium', 'low']
export const SEVERITY_TAG: Record<Severity, 'danger' | 'warning' | 'info'> = { high: 'danger', medium: 'warning', low: 'info' }
export const severityTag = (s: string) => SEVERITY_TAG[s as Severity] ?? 'info'

export const PARAM_TYPES: RuleParam['type'][] = ['integer', 'number', 'string', 'date']

/** A rule code as the server takes it (httpx Checker.Code). */
export const RULE_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/

// ---- the list ----

export interface RuleFilters {
  q: string
  /** '' all, a 险种 code, or SEVERAL */
  insurance: string
  scope: string
  severity: Severity | ''
  enabled: '' | 'on' | 'off'
}

export function emptyRuleFilters(): RuleFilters {
  return { q: '', insurance: '', scope: '', severity: '', enabled: '' }
}

/**
 * The rules that pass the filters; q matches the code or the name, case-insensitively. An empty
 * filter (a cleared select may leave undefined) lets everything through.
 */
export function filterRules(list: readonly SupRule[], f: RuleFilters): SupRule[] {
  const q = (f.q ?? '').trim().toLowerCase()
  return list.filter(
    (r) =>
      (q === '' || r.code.toLowerCase().includes(q) || r.name.toLowerCase().includes(q)) &&
      (!f.insurance || (f.insurance === SEVERAL ? !r.insurance : r.insurance === f.insurance)) &&
      (!f.scope || r.scope === f.scope) &&
      (!f.severity || r.severity === f.severity) &&
      (!f.enabled || r.enabled === (f.enabled === 'on')),
  )
}

/** A user-defined rule without an active version cannot run, so it cannot be switched on. */
export function canSwitch(r: Pick<SupRule, 'builtin' | 'active_version'>): boolean {
  return r.builtin || (r.active_version ?? 0) > 0
}

// ---- the user-defined rule's form ----

let nextKey = 1

export interface ParamRow {
  key: number
  name: string
  type: RuleParam['type']
  default: string
  description: string
}

export interface RuleForm {
  code: string
  name: string
  insurance: string
  scope: string
  severity: Severity
  description: string
  legal_basis: string
  sql: string
  params: ParamRow[]
}

export function newParamRow(over: Partial<Omit<ParamRow, 'key'>> = {}): ParamRow {
  return { key: nextKey++, name: '', type: 'string', default: '', description: '', ...over }
}

export function emptyRuleForm(): RuleForm {
  return { code: '', name: '', insurance: '', scope: '本地专用', severity: 'medium', description: '', legal_basis: '', sql: '', params: [] }
}

export function ruleFormFrom(r: Pick<SupRule, 'code' | 'name' | 'insurance' | 'scope' | 'severity' | 'description' | 'legal_basis' | 'sql' | 'params'>): RuleForm {
  return {
    code: r.code,
    name: r.name,
    insurance: r.insurance ?? '',
    scope: r.scope,
    severity: r.severity,
    description: r.description ?? '',
    legal_basis: r.legal_basis ?? '',
    sql: r.sql ?? '',
    params: (r.params ?? []).map((p) => newParamRow({ name: p.name, type: p.type, default: p.default ?? '', description: p.description ?? '' })),
  }
}

/** What POST /custom-rules and a dry run of the unsaved rule take; rows without a name are left out. */
export function toRuleInput(f: RuleForm): RuleInput {
  return {
    code: f.code.trim(),
    name: f.name.trim(),
    insurance: f.insurance,
    scope: f.scope,
    severity: f.severity,
    description: f.description.trim(),
    legal_basis: f.legal_basis.trim(),
    sql: f.sql,
    params: f.params
      .filter((p) => p.name.trim() !== '')
      .map((p) => {
        const out: RuleParam = { name: p.name.trim(), type: p.type, description: p.description.trim() }
        if (p.default.trim() !== '') out.default = p.default.trim()
        return out
      }),
  }
}

/** Names as ${name} takes them; the prefix xt_ is the library's own. */
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
export type ParamNameProblem = 'paramNameFormat' | 'paramNameDuplicate' | 'paramNameReserved'

/** Local problems of the parameter rows' names, by row index. */
export function checkParamNames(rows: readonly Pick<ParamRow, 'name'>[]): Record<number, ParamNameProblem> {
  const out: Record<number, ParamNameProblem> = {}
  const seen = new Set<string>()
  rows.forEach((r, i) => {
    const name = r.name.trim()
    if (name === '') return
    if (!PARAM_NAME.test(name)) out[i] = 'paramNameFormat'
    else if (name.startsWith('xt_')) out[i] = 'paramNameReserved'
    else if (seen.has(name)) out[i] = 'paramNameDuplicate'
    seen.add(name)
  })
  return out
}

// ---- cities' overrides and dry-run values ----

export interface OverrideRow {
  city: string
  values: Record<string, string>
}

/** A rule's cities' overrides, by city code. */
export function overrideRows(r: Pick<SupRule, 'overrides'>): OverrideRow[] {
  return Object.entries(r.overrides ?? {})
    .map(([city, values]) => ({ city, values: { ...values } }))
    .sort((a, b) => a.city.localeCompare(b.city))
}

/** A 4-digit city code (地市), e.g. 5201. */
export const isCity = (s: string) => /^\d{4}$/.test(s.trim())

/** The body of PUT /rules/{code}/params: every declared parameter, "" for the ones left to the default. */
export function cityValues(params: readonly Pick<RuleParam, 'name'>[], values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of params) out[p.name] = (values[p.name] ?? '').trim()
  return out
}

/** A dry run's values: the declared parameters given a value (the others take their defaults). */
export function dryRunValues(params: readonly Pick<RuleParam, 'name'>[], values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of params) {
    const v = (values[p.name] ?? '').trim()
    if (v !== '') out[p.name] = v
  }
  return out
}

/** An amount in yuan with two decimals and thousands separators. */
export function formatAmount(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return ''
  return n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}
