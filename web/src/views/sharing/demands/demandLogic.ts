// Supply and demand (数据供需): which step comes next for a demand, and whose turn it is.
import type { Demand, DemandAction, DemandStatus, Id } from '@/api/types'
import { sameId } from '@/utils/tree'
import type { TagType } from '../requestLogic'

/** The steps possible in each status, and which organisation takes them ('centre' is the information centre). */
const NEXT: Record<DemandStatus, { action: DemandAction; by: 'centre' | 'owner' | 'requester' }[]> = {
  registered: [
    { action: 'approve', by: 'centre' },
    { action: 'reject', by: 'centre' },
  ],
  centre_approved: [
    { action: 'review', by: 'owner' },
    { action: 'reject', by: 'owner' },
  ],
  owner_reviewed: [{ action: 'supply', by: 'owner' }],
  supplied: [{ action: 'accept', by: 'requester' }],
  accepted: [],
  rejected: [],
}

/**
 * The step buttons to show. The centre's organisation is not known to the console (the server's
 * centre_org setting), so its steps are offered to whoever may process demands; the server refuses
 * another department with demand_not_your_turn.
 */
export function demandActions(d: Demand, orgId: Id | null | undefined): DemandAction[] {
  return NEXT[d.status]
    .filter((s) => s.by === 'centre' || (s.by === 'owner' ? sameId(d.owner_org_id, orgId) : sameId(d.requester_org_id, orgId)))
    .map((s) => s.action)
}

const TAG: Record<DemandStatus, TagType> = {
  registered: 'info',
  centre_approved: 'primary',
  owner_reviewed: 'primary',
  supplied: 'warning',
  accepted: 'success',
  rejected: 'danger',
}
export const demandStatusTag = (s: DemandStatus | string): TagType => TAG[s as DemandStatus] ?? 'info'
