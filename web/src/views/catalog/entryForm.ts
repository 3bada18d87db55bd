// The entry editor's model: the form, its field and chain rows, the body it sends, and how
// entries show (status tags, what a user may do with one).
import type {
  CatalogEntry,
  CatalogEntryInput,
  CatalogField,
  ChainLevel,
  EntryStatus,
  Id,
  LevelKind,
  OpenAttr,
  ShareAttr,
  UpdateFrequency,
} from '@/api/types'
import type { TagType } from '@/views/sharing/requestLogic'

export interface FieldRow {
  key: number
  name: string
  label: string
  type: string
  description: string
  category: string
  path: string
}

export interface LevelRow {
  key: number
  kind: LevelKind
  org_id: Id | null
  name: string
}

export interface EntryForm {
  code: string
  name: string
  description: string
  keywords: string
  org_id: Id | null
  category_id: Id | null
  source_system: string
  industry: string
  domain: string
  update_frequency: UpdateFrequency | ''
  share_attr: ShareAttr
  open_attr: OpenAttr
}

let nextKey = 1
const key = () => nextKey++

export function emptyEntryForm(orgId: Id | null = null): EntryForm {
  return {
    code: '',
    name: '',
    description: '',
    keywords: '',
    org_id: orgId,
    category_id: null,
    source_system: '',
    industry: '',
    domain: '',
    update_frequency: '',
    share_attr: 'conditional',
    open_attr: 'closed',
  }
}

/** What the editor shows of an entry: its pending change when it has one, else the entry itself. */
export function entryFormFrom(e: CatalogEntry): { form: EntryForm; fields: FieldRow[]; chain: LevelRow[] } {
  const src: CatalogEntryInput = e.pending ?? e
  return {
    form: {
      code: src.code,
      name: src.name,
      description: src.description ?? '',
      keywords: src.keywords ?? '',
      org_id: src.org_id,
      category_id: src.category_id ?? null,
      source_system: src.source_system ?? '',
      industry: src.industry ?? '',
      domain: src.domain ?? '',
      update_frequency: src.update_frequency ?? '',
      share_attr: src.share_attr,
      open_attr: src.open_attr,
    },
    fields: fieldRowsFrom(src.fields),
    chain: levelRowsFrom(src.chain),
  }
}

export function newFieldRow(): FieldRow {
  return { key: key(), name: '', label: '', type: 'string', description: '', category: '', path: '' }
}

export function fieldRowsFrom(fields: readonly CatalogField[] | null | undefined): FieldRow[] {
  return (fields ?? []).map((f) => ({ key: key(), ...f, type: f.type ?? '', description: f.description ?? '', category: f.category ?? '', path: f.path ?? '' }))
}

export function newLevelRow(kind: LevelKind = 'org'): LevelRow {
  return { key: key(), kind, org_id: null, name: '' }
}

export function levelRowsFrom(chain: readonly ChainLevel[] | null | undefined): LevelRow[] {
  return (chain ?? []).map((l) => ({ key: key(), kind: l.kind, org_id: l.org_id ?? null, name: l.name }))
}

/** Levels whose organisation is fixed on the entry (the others follow the applicant or the owner). */
export function levelNeedsOrg(kind: LevelKind): boolean {
  return kind === 'centre' || kind === 'org'
}

/** The body of POST/PUT /catalog/entries. Empty field rows are dropped; an empty chain means the default three levels. */
export function toEntryInput(form: EntryForm, fields: readonly FieldRow[], chain: readonly LevelRow[]): CatalogEntryInput {
  return {
    code: form.code.trim(),
    name: form.name.trim(),
    description: form.description.trim(),
    keywords: form.keywords.trim(),
    org_id: form.org_id,
    category_id: form.category_id ?? null,
    source_system: form.source_system.trim(),
    industry: form.industry.trim(),
    domain: form.domain.trim(),
    update_frequency: form.update_frequency,
    share_attr: form.share_attr,
    open_attr: form.open_attr,
    fields: fields
      .filter((f) => f.name.trim() !== '' || f.label.trim() !== '')
      .map((f) => ({
        name: f.name.trim(),
        label: f.label.trim(),
        type: f.type.trim(),
        description: f.description.trim(),
        category: f.category,
        path: f.path.trim(),
      })),
    chain: chain.map((l) => {
      const out: ChainLevel = { kind: l.kind, name: l.name.trim() }
      if (levelNeedsOrg(l.kind) && l.org_id !== null && l.org_id !== '') out.org_id = Number(l.org_id)
      return out
    }),
  }
}

const STATUS_TAG: Record<EntryStatus, TagType> = { draft: 'info', submitted: 'warning', published: 'success', offline: 'danger' }
export const entryStatusTag = (s: EntryStatus | string): TagType => STATUS_TAG[s as EntryStatus] ?? 'info'

const SHARE_TAG: Record<ShareAttr, TagType> = { unconditional: 'success', conditional: 'warning', none: 'danger' }
export const shareTag = (s: ShareAttr | string): TagType => SHARE_TAG[s as ShareAttr] ?? 'info'

/** A draft (never published) can be deleted. */
export const canDeleteEntry = (e: Pick<CatalogEntry, 'status' | 'version'>) => e.status === 'draft' && e.version === 0

/** A draft, an offline entry or a published entry with a saved change can be submitted. */
export const canSubmitEntry = (e: Pick<CatalogEntry, 'status' | 'pending'>) =>
  e.status === 'draft' || e.status === 'offline' || (e.status === 'published' && e.pending !== null)

/** The same field rows on both sides, for the change review: one line per field. */
export function fieldLines(fields: readonly CatalogField[] | null | undefined): string[] {
  return (fields ?? []).map((f) => `${f.label}（${f.name}）${f.category ? ` [${f.category}]` : ''} ${f.path}`)
}

/** A published entry and its pending change, attribute by attribute: [label key, current, pending]. */
export function changedAttributes(e: CatalogEntry): { attr: string; current: string; pending: string; changed: boolean }[] {
  const p = e.pending
  if (!p) return []
  const attrs: (keyof CatalogEntryInput)[] = [
    'code',
    'name',
    'description',
    'keywords',
    'org_id',
    'category_id',
    'source_system',
    'industry',
    'domain',
    'update_frequency',
    'share_attr',
    'open_attr',
  ]
  const show = (v: unknown) => (v === null || v === undefined ? '' : String(v))
  const rows = attrs.map((a) => ({ attr: a, current: show(e[a]), pending: show(p[a]) }))
  rows.push({ attr: 'fields', current: fieldLines(e.fields).join('\n'), pending: fieldLines(p.fields).join('\n') })
  const chain = (c: readonly ChainLevel[] | null | undefined) => (c ?? []).map((l) => `${l.name}（${l.kind}${l.org_id ? ` #${l.org_id}` : ''}）`).join(' → ')
  rows.push({ attr: 'chain', current: chain(e.chain), pending: chain(p.chain) })
  return rows.map((r) => ({ ...r, changed: r.current !== r.pending }))
}
