// Warehouse loads (数据装载, /api/v1/warehouse/…): a CSV, Excel or Parquet file or a data-source table
// loaded into a warehouse table in the background, with progress, bad rows and cancel.
import { http, type Query } from './client'
import type { Id, ListParams, Page } from './types'

const seg = (id: Id) => encodeURIComponent(String(id))

export type LoadKind = 'file' | 'datasource'
export type LoadStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
export const LOAD_STATUSES: LoadStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled']
export type LoadMode = 'append' | 'replace'
export const LOAD_MODES: LoadMode[] = ['append', 'replace']
export type LoadEncoding = 'auto' | 'utf-8' | 'gbk' | 'gb18030'
export const LOAD_ENCODINGS: LoadEncoding[] = ['auto', 'utf-8', 'gbk', 'gb18030']
/** The loader's stable reasons for a bad row. */
export const BAD_REASONS = ['encoding', 'columns', 'required', 'number', 'date', 'period', 'id', 'uscc', 'too_long', 'duplicate', 'malformed'] as const

export interface LoadJob {
  id: Id
  kind: LoadKind
  table: string
  mode: LoadMode
  encoding: string
  sheet: string
  file_name: string
  file_size: number
  datasource_id: Id | null
  datasource_name: string
  source_table: string
  watermark_column: string
  watermark_after: string
  status: LoadStatus
  read: number
  loaded: number
  bad: number
  bytes: number
  /** 0 when unknown (data-source tables). */
  total_bytes: number
  encoding_used: string
  ignored: string[] | null
  error: string
  created_by: string
  queued_at: string
  started_at: string | null
  finished_at: string | null
  duration_ms: number
}

export interface BadRow {
  /** 1-based; the header is line 1. */
  line: number
  /** '' when the row as a whole is bad (column count, malformed). */
  column: string
  value: string
  reason: string
  zh: string
  en: string
}

export interface LoadDetail extends LoadJob {
  /** The first 1000; `bad` counts them all. */
  bad_rows: BadRow[] | null
}

export interface WarehouseColumn {
  name: string
  type: string
  comment: string
  /** The file must have it. */
  required: boolean
  /** Computed at load; a source column of that name is ignored. */
  computed: boolean
}

export interface WarehouseTable {
  name: string
  comment: string
  key: string[] | null
  columns: WarehouseColumn[]
  rows: number
  /** A load of it is queued or running. */
  busy: boolean
}

export interface WarehouseTables {
  tables: WarehouseTable[]
  max_file_bytes: number
  file_types: string[]
}

export interface LoadSourceOption {
  id: Id
  code: string
  name: string
  kind: string
}

export interface FileLoadInput {
  table: string
  mode: LoadMode
  encoding: LoadEncoding
  sheet: string
}

export interface SourceLoadInput {
  datasource_id: Id
  source_table: string
  watermark: string
  table: string
  mode: LoadMode
}

export interface LoadFilters {
  status?: LoadStatus | ''
  table?: string
}

/**
 * The upload's form: the fields first, then the file, so that the server checks the fields (and
 * whether the table is free) before it receives a large file.
 */
export function fileLoadForm(input: FileLoadInput, file: File): FormData {
  const form = new FormData()
  form.append('table', input.table)
  form.append('mode', input.mode)
  form.append('encoding', input.encoding)
  if (input.sheet.trim()) form.append('sheet', input.sheet.trim())
  form.append('file', file, file.name)
  return form
}

function query(params: ListParams & LoadFilters): Query {
  return { page: params.page, page_size: params.page_size, status: params.status, table: params.table }
}

export const loadsApi = {
  jobs: (params: ListParams & LoadFilters) => http.get<Page<LoadJob>>('/warehouse/loads', query(params)),
  job: (id: Id) => http.get<LoadDetail>(`/warehouse/loads/${seg(id)}`),
  tables: () => http.get<WarehouseTables>('/warehouse/tables'),
  sources: () => http.get<LoadSourceOption[]>('/warehouse/sources'),
  /** Quiet: the dialog shows field errors and 409 load_table_busy in place. */
  startFile: (input: FileLoadInput, file: File) =>
    http.request<LoadJob>('POST', '/warehouse/loads/file', { form: fileLoadForm(input, file), silent: true }),
  startSource: (body: SourceLoadInput) => http.post<LoadJob>('/warehouse/loads/datasource', body, { silent: true }),
  cancel: (id: Id) => http.post<LoadJob>(`/warehouse/loads/${seg(id)}/cancel`),
  exportBadRows: (id: Id) => http.download(`/warehouse/loads/${seg(id)}/bad-rows.csv`, undefined, `load-${id}-bad-rows.csv`),
}
