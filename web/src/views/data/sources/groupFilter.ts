// The list's group filter: '' is every group, 0 the sources in none (GET /datasources?group_id=0).
export const UNGROUPED_FILTER = 0

/** 未分组's count: the sources not counted in any group; null while the total is unknown. */
export function ungroupedCount(total: number | null, groupCounts: readonly number[]): number | null {
  if (total === null) return null
  return Math.max(0, total - groupCounts.reduce((a, b) => a + b, 0))
}
