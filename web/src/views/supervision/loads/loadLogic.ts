// A load as the page shows it: which states still change (and keep the list refreshing), the tag of
// each state, the progress (by bytes when the size is known, else rows read), sizes, durations and
// the bad rows' reasons.
import type { BadRow, LoadJob, LoadStatus } from '@/api/loads'
import { i18n } from '@/i18n'

/** Queued or running: it can be cancelled and the page keeps refreshing. */
export function isActive(job: Pick<LoadJob, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running'
}

export function anyActive(jobs: readonly Pick<LoadJob, 'status'>[]): boolean {
  return jobs.some(isActive)
}

const TAG: Record<LoadStatus, 'info' | 'primary' | 'success' | 'danger' | 'warning'> = {
  queued: 'info',
  running: 'primary',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
}

export const statusTag = (s: string) => TAG[s as LoadStatus] ?? 'info'

/** Bytes read of the size in percent; null when the size is unknown (a data-source table). */
export function percent(job: Pick<LoadJob, 'bytes' | 'total_bytes' | 'status'>): number | null {
  if (job.status === 'succeeded') return 100
  if (!job.total_bytes || job.total_bytes <= 0) return null
  return Math.min(100, Math.floor((job.bytes / job.total_bytes) * 100))
}

/** 512 B, 1.5 KB, 20.0 MB, 2.00 GB. */
export function formatBytes(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}

/** 850 毫秒, 12.3 秒, 2 分 5 秒; '' when nothing was measured. */
export function formatDuration(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return i18n.t('ld.durations.ms', { n: Math.round(ms) })
  if (ms < 60_000) return i18n.t('ld.durations.s', { n: (ms / 1000).toFixed(1) })
  const s = Math.round(ms / 1000)
  return i18n.t('ld.durations.min', { m: Math.floor(s / 60), s: s % 60 })
}

/** The reason in the current language: ours for a known code, else the loader's own words. */
export function reasonLabel(row: Pick<BadRow, 'reason' | 'zh' | 'en'>): string {
  return i18n.tryT(`ld.reasons.${row.reason}`) || (i18n.lang.value === 'en' ? row.en : row.zh) || row.reason
}

/** Where the rows came from: the file's name, or source · table. */
export function sourceLabel(job: Pick<LoadJob, 'kind' | 'file_name' | 'datasource_name' | 'source_table'>): string {
  return job.kind === 'file' ? job.file_name : `${job.datasource_name} · ${job.source_table}`
}

/** A file the server would refuse anyway: the message, or '' when it may be sent. */
export function fileProblem(file: File | null, types: readonly string[], maxBytes: number): string {
  if (!file) return i18n.t('ld.fileRequired')
  const dot = file.name.lastIndexOf('.')
  const ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : ''
  if (types.length && !types.includes(ext)) return i18n.t('ld.fileType', { types: types.join(' ') })
  if (maxBytes > 0 && file.size > maxBytes) return i18n.t('ld.fileTooLarge', { size: formatBytes(maxBytes) })
  return ''
}

/** The loader's rule for a source's names: letters, digits, _ and $, up to `parts` dotted parts. */
export function isIdentifier(name: string, parts: number): boolean {
  const ps = name.split('.')
  return ps.length <= parts && ps.every((p) => /^[A-Za-z_][A-Za-z0-9_$]{0,127}$/.test(p))
}
