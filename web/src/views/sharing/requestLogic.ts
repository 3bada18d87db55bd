// What the sharing pages work out from a request: who may decide it now, the chain as steps, the
// timeline as rows, the apply form's field choices and body. Kept apart from the components so the
// unit tests can check it directly.
import type {
  ApplyInput,
  CatalogEntry,
  CatalogResource,
  Decision,
  DecisionInput,
  Id,
  RequestStatus,
  SharingEvent,
  SharingRequest,
} from '@/api/types'
import { sameId } from '@/utils/tree'

export type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary'

const STATUS_TAG: Record<RequestStatus, TagType> = {
  pending: 'warning',
  returned: 'warning',
  approved: 'success',
  rejected: 'danger',
  revoked: 'info',
  expired: 'info',
  withdrawn: 'info',
}

export function requestStatusTag(status: RequestStatus | string): TagType {
  return STATUS_TAG[status as RequestStatus] ?? 'info'
}

/** Who looks at the request: the signed-in user's id and organisation. */
export interface Viewer {
  id: Id | null | undefined
  org_id: Id | null | undefined
}

/**
 * Whether the viewer's department decides the request now: it is pending, its current level is the
 * viewer's organisation, and it is not the viewer's own (the server refuses the rest anyway).
 */
export function isMyTurn(r: SharingRequest, viewer: Viewer): boolean {
  if (r.status !== 'pending') return false
  const level = r.chain?.[r.level]
  if (!level || !sameId(level.org_id, viewer.org_id)) return false
  return !sameId(r.applicant_id, viewer.id)
}

/** Reject and return need a reason; approve may go without. */
export function commentRequired(decision: Decision): boolean {
  return decision !== 'approve'
}

/** The decide body: the level the approver was shown, so a stale page cannot decide another. */
export function decisionBody(r: Pick<SharingRequest, 'level'>, decision: Decision, comment: string): DecisionInput {
  return { level: r.level, decision, comment: comment.trim() }
}

export type StepState = 'done' | 'current' | 'wait' | 'rejected' | 'returned'

export interface ChainStep {
  index: number
  name: string
  orgName: string
  state: StepState
  /** Who decided it, when it has been decided in the current round. */
  actor: string
  at: string
}

/**
 * The chain as steps. Levels before the current one are done; the current one is in progress
 * (pending), or ended the request (rejected / returned); everything is done once approved. After a
 * resubmission the earlier round's decisions are not shown on the steps (the timeline keeps them).
 */
export function chainSteps(r: SharingRequest): ChainStep[] {
  const events = r.events ?? []
  // Decisions since the last submission or resubmission.
  let start = 0
  events.forEach((e, i) => {
    if (e.action === 'submit' || e.action === 'resubmit') start = i + 1
  })
  const round = events.slice(start)
  return (r.chain ?? []).map((l, i) => {
    const decided = [...round].reverse().find((e) => e.level === i && ['approve', 'reject', 'return'].includes(e.action))
    let state: StepState = 'wait'
    if (r.status === 'approved' || i < r.level) state = 'done'
    else if (i === r.level) {
      if (r.status === 'pending') state = 'current'
      else if (r.status === 'rejected') state = 'rejected'
      else if (r.status === 'returned') state = 'returned'
      else if (decided?.action === 'approve') state = 'done'
    }
    return { index: i, name: l.name, orgName: l.org_name, state, actor: decided?.actor_name ?? '', at: decided?.at ?? '' }
  })
}

/** el-steps' active index: the current level, or past the end once approved. */
export function activeStep(r: SharingRequest): number {
  return r.status === 'approved' ? (r.chain?.length ?? 0) : r.level
}

export interface TimelineRow {
  action: string
  /** The chain level's name, '' for steps outside the chain (submit, grant, revoke…). */
  levelName: string
  actor: string
  at: string
  comment: string
}

export function timelineRows(events: readonly SharingEvent[] | null | undefined, chain: SharingRequest['chain']): TimelineRow[] {
  return (events ?? []).map((e) => ({
    action: e.action,
    levelName: e.level >= 0 ? (chain?.[e.level]?.name ?? '') : '',
    actor: e.actor_name,
    at: e.at,
    comment: e.comment,
  }))
}

// ---- applying ----

/** The resources a request can name: mounted APIs (a table or a file cannot be granted through the gateway). */
export function apiResources(entry: Pick<CatalogEntry, 'resources'> | null | undefined): CatalogResource[] {
  return (entry?.resources ?? []).filter((r) => r.status === 'mounted' && r.api_id !== null && r.api_id !== undefined)
}

export interface FieldChoice {
  name: string
  label: string
  category: string
  /** On the negative list: cannot be chosen. */
  blocked: boolean
}

export function fieldChoices(entry: Pick<CatalogEntry, 'fields' | 'negative_fields'> | null | undefined): FieldChoice[] {
  const negative = new Set(entry?.negative_fields ?? [])
  return (entry?.fields ?? []).map((f) => ({ name: f.name, label: f.label, category: f.category, blocked: negative.has(f.name) }))
}

export interface ApplyForm {
  resource_id: Id | null
  consumer_id: Id | null
  fields: string[]
  purpose: string
  legal_basis: string
  period_days: number
  expected_daily: number
}

export const DEFAULT_PERIOD_DAYS = 30

export function emptyApplyForm(entry?: Pick<CatalogEntry, 'resources'> | null): ApplyForm {
  const apis = apiResources(entry)
  return {
    resource_id: apis.length === 1 ? (apis[0] as CatalogResource).id : null,
    consumer_id: null,
    fields: [],
    purpose: '',
    legal_basis: '',
    period_days: DEFAULT_PERIOD_DAYS,
    expected_daily: 0,
  }
}

/** The body of POST /sharing/requests (and of a resubmission): blocked fields never go out. */
export function applyBody(form: ApplyForm, choices: readonly FieldChoice[]): ApplyInput {
  const blocked = new Set(choices.filter((c) => c.blocked).map((c) => c.name))
  const order = choices.map((c) => c.name)
  const fields = form.fields.filter((f) => !blocked.has(f)).sort((a, b) => order.indexOf(a) - order.indexOf(b))
  return {
    resource_id: form.resource_id,
    consumer_id: form.consumer_id,
    fields,
    purpose: form.purpose.trim(),
    legal_basis: form.legal_basis.trim(),
    period_days: Math.round(form.period_days),
    expected_daily: Math.round(form.expected_daily),
  }
}

/** A request's form for a resubmission: what was asked, as it was asked. */
export function applyFormFrom(r: SharingRequest): ApplyForm {
  return {
    resource_id: r.resource_id,
    consumer_id: r.consumer_id,
    fields: [...(r.fields ?? [])],
    purpose: r.purpose,
    legal_basis: r.legal_basis,
    period_days: r.period_days,
    expected_daily: r.expected_daily,
  }
}
