// A task group's schedule as the server reads it (internal/supervision/runs.go ParseSchedule), counted
// in Asia/Shanghai: "" runs only by hand, "daily HH:MM", "weekly D HH:MM" (D 1 = Monday … 7 = Sunday)
// "monthly D HH:MM" (D 1–28) or "cron M H DOM MON DOW" (five standard cron fields, checked by the
// server). The dialog edits it as a kind, a day and a time, or the cron fields.
import { i18n } from '@/i18n'

export const SCHEDULE_KINDS = ['manual', 'daily', 'weekly', 'monthly', 'cron'] as const
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
export const MAX_MONTHDAY = 28
export const DEFAULT_TIME = '02:00'

export interface ScheduleForm {
  kind: ScheduleKind
  /** 1 = Monday … 7 = Sunday (weekly). */
  weekday: number
  /** 1–28 (monthly). */
  monthday: number
  /** HH:MM */
  time: string
  /** The five cron fields (cron). */
  cron: string
}

export function emptySchedule(): ScheduleForm {
  return { kind: 'manual', weekday: 1, monthday: 1, time: DEFAULT_TIME, cron: '0 2 * * 1-5' }
}

/** HH:MM with two digits each, 00:00–23:59. */
export function isTime(s: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(s)
}

function dayOf(text: string, max: number): number | null {
  if (!/^\d{1,2}$/.test(text)) return null
  const d = Number(text)
  return d >= 1 && d <= max ? d : null
}

/** The form of a schedule string; null when the server would refuse it. */
export function parseSchedule(s: string | null | undefined): ScheduleForm | null {
  const f = (s ?? '').trim().split(/\s+/).filter(Boolean)
  const out = emptySchedule()
  if (f.length === 0) return out
  const [kind, a, b] = f
  if (kind === 'cron' && f.length === 6) return { ...out, kind, cron: f.slice(1).join(' ') }
  if (kind === 'daily' && f.length === 2 && isTime(a!)) return { ...out, kind, time: a! }
  if ((kind === 'weekly' || kind === 'monthly') && f.length === 3 && isTime(b!)) {
    const day = dayOf(a!, kind === 'weekly' ? 7 : MAX_MONTHDAY)
    if (day === null) return null
    return kind === 'weekly' ? { ...out, kind, weekday: day, time: b! } : { ...out, kind, monthday: day, time: b! }
  }
  return null
}

/** The schedule string of the form ("" for manual). */
export function buildSchedule(f: ScheduleForm): string {
  const time = f.time.trim()
  switch (f.kind) {
    case 'daily':
      return `daily ${time}`
    case 'weekly':
      return `weekly ${f.weekday} ${time}`
    case 'monthly':
      return `monthly ${f.monthday} ${time}`
    case 'cron':
      return `cron ${f.cron.trim().split(/\s+/).join(' ')}`
    default:
      return ''
  }
}

/** The schedule in words (每天 02:00, 每周一 02:00…); an unreadable one as it is. */
export function describeSchedule(s: string | null | undefined): string {
  const f = parseSchedule(s)
  if (!f) return s ?? ''
  switch (f.kind) {
    case 'daily':
      return i18n.t('svr.scheduleText.daily', { time: f.time })
    case 'weekly':
      return i18n.t('svr.scheduleText.weekly', { day: weekdayName(f.weekday), time: f.time })
    case 'monthly':
      return i18n.t('svr.scheduleText.monthly', { day: f.monthday, time: f.time })
    case 'cron':
      return i18n.t('svr.scheduleText.cron', { expr: f.cron })
    default:
      return i18n.t('svr.scheduleText.manual')
  }
}

export function weekdayName(d: number): string {
  return i18n.tryT(`svr.weekdays.${d}`) ?? String(d)
}

/** Five whitespace-separated fields: the shape of a cron expression (the server checks the rest). */
export function isCronShape(s: string): boolean {
  return s.trim().split(/\s+/).filter(Boolean).length === 5
}
