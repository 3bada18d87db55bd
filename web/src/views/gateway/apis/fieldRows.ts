// The rows of the field-classification editor (字段分级): a JSON path and a sensitive category
// each. Rows the user left entirely empty are dropped; everything else must be valid.
import type { FieldClass } from '@/api/types'
import { isFieldPath, isSensitiveCategory } from '../rules'

export interface FieldRow {
  /** A stable key for v-for, so deleting a row keeps the others' inputs. */
  key: number
  path: string
  category: string
}

let nextKey = 1

export function newFieldRow(path = '', category = ''): FieldRow {
  return { key: nextKey++, path, category }
}

export function rowsFromFields(fields: readonly FieldClass[] | null | undefined): FieldRow[] {
  return (fields ?? []).map((f) => newFieldRow(f.path, f.category))
}

const isBlank = (r: FieldRow) => r.path.trim() === '' && r.category === ''

/** What the API takes: trimmed, without blank rows, in the editor's order. */
export function fieldsFromRows(rows: readonly FieldRow[]): FieldClass[] {
  return rows.filter((r) => !isBlank(r)).map((r) => ({ path: r.path.trim(), category: r.category }))
}

export type FieldRowProblem = 'pathFormat' | 'pathDuplicate' | 'categoryRequired'

export interface FieldRowErrors {
  path?: FieldRowProblem
  category?: FieldRowProblem
}

/** Per row (by index in `rows`), what is wrong; an empty object for a row that is fine. */
export function checkFieldRows(rows: readonly FieldRow[]): FieldRowErrors[] {
  const seen = new Map<string, number>()
  return rows.map((r) => {
    if (isBlank(r)) return {}
    const errors: FieldRowErrors = {}
    const path = r.path.trim()
    if (!isFieldPath(path)) errors.path = 'pathFormat'
    else if (seen.has(path)) errors.path = 'pathDuplicate'
    else seen.set(path, 1)
    if (!isSensitiveCategory(r.category)) errors.category = 'categoryRequired'
    return errors
  })
}

export function rowsValid(rows: readonly FieldRow[]): boolean {
  return checkFieldRows(rows).every((e) => !e.path && !e.category)
}

/**
 * The server names a row's problem `fields[i].path` / `fields[i].category`, where i counts the rows
 * that were sent (blank ones left out). This maps i back to the editor's row index.
 */
export function sentIndexToRow(rows: readonly FieldRow[], sentIndex: number): number {
  let n = -1
  for (const [i, r] of rows.entries()) {
    if (isBlank(r)) continue
    n++
    if (n === sentIndex) return i
  }
  return -1
}

/** Server field errors (`fields[2].path` → message) keyed by editor row index and part. */
export function serverRowErrors(rows: readonly FieldRow[], errors: Readonly<Record<string, string>>): Record<number, { path?: string; category?: string }> {
  const out: Record<number, { path?: string; category?: string }> = {}
  for (const [field, message] of Object.entries(errors)) {
    const m = /^fields\[(\d+)\]\.(path|category)$/.exec(field)
    if (!m) continue
    const row = sentIndexToRow(rows, Number(m[1]))
    if (row < 0) continue
    const part = m[2] as 'path' | 'category'
    out[row] = { ...out[row], [part]: message }
  }
  return out
}
