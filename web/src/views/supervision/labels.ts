// Pure helpers the supervision pages share: labels for codes, tag colours, money, the statistics'
// drill-down and the bodies of the lifecycle's decisions. Kept free of Vue so they are unit-tested.
import type { AgencyOption, DecisionInput, StatsLevel, SupWarning, WarningStatus } from '@/api/supervision'

type Translate = (key: string) => string | undefined

export const STATUS_TAG: Record<WarningStatus, 'info' | 'warning' | 'primary' | 'success' | 'danger'> = {
  new: 'danger',
  dispatched: 'warning',
  verified: 'primary',
  reviewed: 'primary',
  closed: 'success',
}

/** 险种 by its AAE140 code; a rule spanning several schemes has none. */
export function insuranceLabel(tryT: Translate, code: string): string {
  if (!code) return tryT('sv.insurance.other') ?? ''
  return tryT(`sv.insurance.${code}`) ?? code
}

/** A timeline action; escalations carry their level ("escalate:函询"). */
export function actionLabel(tryT: Translate, action: string): string {
  const [base, level] = action.split(':', 2)
  const label = tryT(`sv.action.${base}`) ?? base ?? action
  return level ? `${label}：${level}` : label
}

/** Yuan with two decimals and thousands separators. */
export function money(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return ''
  return v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

/** The default deadline of a dispatch: 15 days from now, at the end of that day (local time). */
export function defaultDeadline(now = new Date()): Date {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 15, 23, 59, 0)
  return d
}

/** The agency a dispatch proposes: the first organisation of the warning's own county, if any. */
export function proposedAgency(options: readonly AgencyOption[]): AgencyOption | null {
  return options.find((o) => o.match === 3 && o.kind === 'county') ?? options.find((o) => o.match === 3) ?? null
}

export type DecisionStep = 'review' | 'feedback'

/** What a decision dialog offers: review passes, feedback closes; both may send back. */
export function positiveDecision(step: DecisionStep): 'pass' | 'close' {
  return step === 'review' ? 'pass' : 'close'
}

/** The body of a review or feedback; a send-back needs a comment and may set a new deadline. */
export function decisionBody(decision: DecisionInput['decision'], comment: string, deadline: Date | null): DecisionInput {
  const body: DecisionInput = { decision, comment: comment.trim() }
  if (decision === 'send_back' && deadline) body.deadline = deadline.toISOString()
  return body
}

/** Which step a supervisor can take on a warning now (null: none from this page). */
export function nextStep(w: Pick<SupWarning, 'status'>): 'dispatch' | 'review' | 'feedback' | null {
  switch (w.status) {
    case 'new':
      return 'dispatch'
    case 'verified':
      return 'review'
    case 'reviewed':
      return 'feedback'
    default:
      return null
  }
}

const CHILD: Record<StatsLevel, StatsLevel | null> = { province: 'city', city: 'county', county: null }
const PARENT: Record<StatsLevel, StatsLevel | null> = { province: null, city: 'province', county: 'city' }
const DIGITS: Record<StatsLevel, number> = { province: 2, city: 4, county: 6 }

export interface StatsScope {
  level: StatsLevel
  /** The region the rows are under ('' for all). */
  region: string
}

/** Drilling into a row: its children one level down, under its code; null at the county level. */
export function drillDown(scope: StatsScope, rowRegion: string): StatsScope | null {
  const child = CHILD[scope.level]
  if (!child || rowRegion.length !== DIGITS[scope.level]) return null
  return { level: child, region: rowRegion }
}

/** Back up a level: the parent level, under the parent's parent region. */
export function drillUp(scope: StatsScope): StatsScope | null {
  const parent = PARENT[scope.level]
  if (!parent) return null
  const keep = DIGITS[parent] - 2
  return { level: parent, region: keep > 0 ? scope.region.slice(0, keep) : '' }
}
