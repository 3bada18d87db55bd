// The data-API editor's model: the definition (DataApiDef) as the form edits it, the parameter and
// result-field rows, and what is sent. Values that do not apply to a parameter's type are not sent.
import type { DataApi, DataApiDef, DataApiField, DataApiParam, DataApiStatus, DataApiTryResult, ParamType } from '@/api/types'

let nextKey = 1

export interface ParamRow {
  key: number
  name: string
  type: ParamType
  required: boolean
  default: string
  pattern: string
  enum: string[]
  min: number | null
  max: number | null
  description: string
}

export interface FieldRow {
  key: number
  name: string
  type: string
  description: string
  category: string
}

export function newParamRow(over: Partial<Omit<ParamRow, 'key'>> = {}): ParamRow {
  return { key: nextKey++, name: '', type: 'string', required: false, default: '', pattern: '', enum: [], min: null, max: null, description: '', ...over }
}

export function newFieldRow(over: Partial<Omit<FieldRow, 'key'>> = {}): FieldRow {
  return { key: nextKey++, name: '', type: 'string', description: '', category: '', ...over }
}

/** Which of a parameter's checks apply to its type. */
export function paramApplies(type: ParamType) {
  return {
    pattern: type === 'string',
    enum: type === 'string' || type === 'integer' || type === 'number',
    range: type === 'integer' || type === 'number',
  }
}

/** Parameter names as ${name} takes them. */
export const PARAM_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

export function paramRowsFrom(params: readonly DataApiParam[] | null | undefined): ParamRow[] {
  return (params ?? []).map((p) =>
    newParamRow({
      name: p.name,
      type: p.type,
      required: !!p.required,
      default: p.default ?? '',
      pattern: p.pattern ?? '',
      enum: [...(p.enum ?? [])],
      min: typeof p.min === 'number' ? p.min : null,
      max: typeof p.max === 'number' ? p.max : null,
      description: p.description ?? '',
    }),
  )
}

export function paramsFromRows(rows: readonly ParamRow[]): DataApiParam[] {
  return rows
    .filter((r) => r.name.trim() !== '')
    .map((r) => {
      const applies = paramApplies(r.type)
      const p: DataApiParam = { name: r.name.trim(), type: r.type, required: r.required }
      if (r.default.trim() !== '') p.default = r.default.trim()
      if (applies.pattern && r.pattern.trim() !== '') p.pattern = r.pattern.trim()
      if (applies.enum && r.enum.length) p.enum = [...r.enum]
      if (applies.range && typeof r.min === 'number') p.min = r.min
      if (applies.range && typeof r.max === 'number') p.max = r.max
      if (r.description.trim() !== '') p.description = r.description.trim()
      return p
    })
}

/** Local problems of each parameter row: a bad or repeated name, min above max. */
export function checkParamRows(rows: readonly ParamRow[]): Record<number, { name?: 'paramNameFormat' | 'paramNameDuplicate'; range?: 'paramRange' }> {
  const out: Record<number, { name?: 'paramNameFormat' | 'paramNameDuplicate'; range?: 'paramRange' }> = {}
  const seen = new Set<string>()
  rows.forEach((r, i) => {
    const name = r.name.trim()
    if (name !== '') {
      if (!PARAM_NAME_RE.test(name)) out[i] = { name: 'paramNameFormat' }
      else if (seen.has(name)) out[i] = { name: 'paramNameDuplicate' }
      seen.add(name)
    }
    if (paramApplies(r.type).range && typeof r.min === 'number' && typeof r.max === 'number' && r.min > r.max) out[i] = { ...out[i], range: 'paramRange' }
  })
  return out
}

export function fieldRowsFrom(fields: readonly DataApiField[] | null | undefined): FieldRow[] {
  return (fields ?? []).map((f) => newFieldRow({ name: f.name, type: f.type || 'string', description: f.description ?? '', category: f.category ?? '' }))
}

export function fieldsFromRows(rows: readonly FieldRow[]): DataApiField[] {
  return rows
    .filter((r) => r.name.trim() !== '')
    .map((r) => ({ name: r.name.trim(), type: r.type || 'string', description: r.description.trim(), category: r.category ?? '' }))
}

/** A column's type guessed from the first non-null value of a trial run. */
export function guessType(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'date'
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return 'datetime'
  }
  return 'string'
}

/**
 * The field rows after 从试运行结果填充: one per column in the result's order, keeping what was
 * already said of a column (type, description, category); rows of columns the query no longer
 * returns are dropped.
 */
export function fieldRowsFromTry(rows: readonly FieldRow[], result: Pick<DataApiTryResult, 'columns' | 'rows'>): FieldRow[] {
  const byName = new Map(rows.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r]))
  return (result.columns ?? []).map((col) => {
    const old = byName.get(col)
    if (old) return old
    const sample = (result.rows ?? []).map((r) => r[col]).find((v) => v !== null && v !== undefined)
    return newFieldRow({ name: col, type: guessType(sample) })
  })
}

/** The definition parts the editor keeps in one reactive object (params and fields are rows). */
export type DefForm = Omit<DataApiDef, 'params' | 'fields' | 'sortable'> & { sortable: string[] }

export function emptyDefForm(): DefForm {
  return {
    sql: '',
    paging: { enabled: true, default_size: 20, max_size: 100 },
    sortable: [],
    default_sort: '',
    cache_seconds: 0,
    timeout_ms: 5000,
    max_rows: 1000,
  }
}

export function defFormFrom(def: DataApiDef | null | undefined): DefForm {
  const e = emptyDefForm()
  if (!def) return e
  return {
    sql: def.sql ?? '',
    paging: { ...e.paging, ...(def.paging ?? {}) },
    sortable: [...(def.sortable ?? [])],
    default_sort: def.default_sort ?? '',
    cache_seconds: def.cache_seconds ?? 0,
    timeout_ms: def.timeout_ms ?? e.timeout_ms,
    max_rows: def.max_rows ?? e.max_rows,
  }
}

const int = (v: number | null | undefined, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : fallback)

/** The draft as POST/PUT /data-apis and POST /data-apis/try take it. */
export function toDef(form: DefForm, params: readonly ParamRow[], fields: readonly FieldRow[]): DataApiDef {
  return {
    sql: form.sql,
    params: paramsFromRows(params),
    paging: { enabled: form.paging.enabled, default_size: int(form.paging.default_size), max_size: int(form.paging.max_size) },
    sortable: form.sortable.map((s) => s.trim()).filter(Boolean),
    default_sort: form.default_sort.trim(),
    fields: fieldsFromRows(fields),
    cache_seconds: int(form.cache_seconds),
    timeout_ms: int(form.timeout_ms),
    max_rows: int(form.max_rows),
  }
}

/** The sample values of a trial run: one per declared parameter, empty ones left out. */
export function tryValues(params: readonly DataApiParam[], values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of params) {
    const v = values[p.name]
    if (v !== undefined && v.trim() !== '') out[p.name] = v.trim()
  }
  return out
}

/**
 * A field error of a trial run, mapped to the parameter it is about: the server may name it
 * `values.x`, `values[x]`, `params.x` or just `x`. Undefined when it names no parameter.
 */
export function paramOfTryError(field: string, names: readonly string[]): string | undefined {
  const m = /^(?:values|params)(?:\.([^.[\]]+)|\[["']?([^\]"']+)["']?\])$/.exec(field)
  const name = m ? (m[1] ?? m[2]) : field
  return name !== undefined && names.includes(name) ? name : undefined
}

/**
 * Server field errors of a save keyed by editor row: `draft.params[2].name` (or `params[2].name`)
 * → rows[2].name. Row indexes count the rows sent (rows without a name are not sent).
 */
export function serverRowErrors(
  list: 'params' | 'fields',
  rows: readonly { name: string }[],
  errors: Readonly<Record<string, string>>,
): Record<number, Record<string, string>> {
  const sent: number[] = []
  rows.forEach((r, i) => {
    if (r.name.trim() !== '') sent.push(i)
  })
  const out: Record<number, Record<string, string>> = {}
  const re = new RegExp(`^(?:draft\\.)?${list}\\[(\\d+)\\](?:\\.(\\w+))?$`)
  for (const [field, message] of Object.entries(errors)) {
    const m = re.exec(field)
    if (!m) continue
    const row = sent[Number(m[1])]
    if (row === undefined) continue
    const part = m[2] ?? 'name'
    out[row] = { ...out[row], [part]: message }
  }
  return out
}

/** Problem field names of a save as the form shows them: `draft.sql` → `sql`. */
export function dataApiFieldAlias(field: string): string {
  return field.startsWith('draft.') ? field.slice('draft.'.length) : field
}

export const STATUS_TAG: Record<DataApiStatus, 'info' | 'warning' | 'success' | 'danger' | 'primary'> = {
  draft: 'info',
  pending: 'warning',
  published: 'success',
  rejected: 'danger',
  offline: 'info',
}

export const statusTag = (s: string) => STATUS_TAG[s as DataApiStatus] ?? 'info'

/** Published, or waiting for review: the gateway serves it or soon may; it cannot be deleted. */
export function canDelete(api: Pick<DataApi, 'status'>): boolean {
  return api.status !== 'published'
}

// ---- comparing two versions ----

/** A definition as plain lines, the same for equal definitions, for a side-by-side comparison. */
export function defText(def: DataApiDef | null | undefined, method = '', path = ''): string[] {
  if (!def) return []
  const lines: string[] = []
  if (method || path) lines.push(`${method} ${path}`.trim())
  lines.push('-- sql')
  lines.push(...(def.sql ?? '').replace(/\r\n/g, '\n').split('\n'))
  lines.push('-- params')
  for (const p of def.params ?? []) {
    const parts = [p.name, p.type, p.required ? 'required' : 'optional']
    if (p.default !== undefined && p.default !== '') parts.push(`default=${p.default}`)
    if (p.pattern) parts.push(`pattern=${p.pattern}`)
    if (p.enum?.length) parts.push(`enum=${p.enum.join('|')}`)
    if (typeof p.min === 'number') parts.push(`min=${p.min}`)
    if (typeof p.max === 'number') parts.push(`max=${p.max}`)
    if (p.description) parts.push(`# ${p.description}`)
    lines.push(parts.join(' '))
  }
  lines.push('-- fields')
  for (const f of def.fields ?? []) {
    lines.push([f.name, f.type, f.category ? `[${f.category}]` : '', f.description ? `# ${f.description}` : ''].filter(Boolean).join(' '))
  }
  lines.push('-- settings')
  const pg = def.paging
  lines.push(`paging=${pg?.enabled ? 'on' : 'off'} default_size=${pg?.default_size ?? 0} max_size=${pg?.max_size ?? 0}`)
  lines.push(`sortable=${(def.sortable ?? []).join(',')} default_sort=${def.default_sort ?? ''}`)
  lines.push(`cache_seconds=${def.cache_seconds} timeout_ms=${def.timeout_ms} max_rows=${def.max_rows}`)
  return lines
}

export interface DiffRow {
  left: string | null
  right: string | null
  kind: 'same' | 'removed' | 'added' | 'changed'
}

/** A line diff (longest common subsequence) as side-by-side rows; a removal next to an addition pairs up as a change. */
export function sideBySide(a: readonly string[], b: readonly string[]): DiffRow[] {
  const n = a.length
  const m = b.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const ops: DiffRow[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ left: a[i]!, right: b[j]!, kind: 'same' })
      i++
      j++
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ left: a[i]!, right: null, kind: 'removed' })
      i++
    } else {
      ops.push({ left: null, right: b[j]!, kind: 'added' })
      j++
    }
  }
  // Pair runs of removals with the additions that follow them.
  const out: DiffRow[] = []
  for (let k = 0; k < ops.length; ) {
    if (ops[k]!.kind !== 'removed') {
      out.push(ops[k]!)
      k++
      continue
    }
    const removed: string[] = []
    while (k < ops.length && ops[k]!.kind === 'removed') removed.push(ops[k++]!.left!)
    const added: string[] = []
    while (k < ops.length && ops[k]!.kind === 'added') added.push(ops[k++]!.right!)
    for (let x = 0; x < Math.max(removed.length, added.length); x++) {
      const l = removed[x] ?? null
      const r = added[x] ?? null
      out.push({ left: l, right: r, kind: l !== null && r !== null ? 'changed' : l !== null ? 'removed' : 'added' })
    }
  }
  return out
}
