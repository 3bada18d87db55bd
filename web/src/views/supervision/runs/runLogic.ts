// A run's state as the runs page shows it: which states are still going (and keep the list
// refreshing), the tag of each state, the progress and the duration.
import type { Run, RunStatus } from '@/api/supervision'
import { i18n } from '@/i18n'

export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'warning']

/** Queued or running: it can be cancelled and the page keeps refreshing. */
export function isActive(run: Pick<Run, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running'
}

export function anyActive(runs: readonly Pick<Run, 'status'>[]): boolean {
  return runs.some(isActive)
}

const RUN_TAG: Record<RunStatus, 'info' | 'primary' | 'success' | 'danger' | 'warning'> = {
  queued: 'info',
  running: 'primary',
  succeeded: 'success',
  failed: 'danger',
  warning: 'warning',
}

export const runTag = (s: string) => RUN_TAG[s as RunStatus] ?? 'info'

/** Rules done of the total, in percent (0 when the run has no rules yet). */
export function progress(run: Pick<Run, 'done' | 'total'>): number {
  if (!run.total || run.total <= 0) return 0
  return Math.min(100, Math.round((run.done / run.total) * 100))
}

/** 850 毫秒, 12.3 秒, 2 分 5 秒; '' when nothing was measured. */
export function formatDuration(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return i18n.t('svr.duration.ms', { n: Math.round(ms) })
  if (ms < 60_000) return i18n.t('svr.duration.s', { n: (ms / 1000).toFixed(1) })
  const s = Math.round(ms / 1000)
  return i18n.t('svr.duration.min', { m: Math.floor(s / 60), s: s % 60 })
}
