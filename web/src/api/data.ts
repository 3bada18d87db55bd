// Data services (/api/v1/datasources…, /api/v1/data-apis…): data sources in groups, and data APIs
// (SQL templates over a source) written, tried, submitted, reviewed and published through the gateway.
import { http } from './client'
import type {
  DataApi,
  DataApiInput,
  DataApiListParams,
  DataApiReview,
  DataApiStats,
  DataApiTryInput,
  DataApiTryResult,
  DataApiVersion,
  DataSource,
  DataSourceGroup,
  DataSourceGroupInput,
  DataSourceInput,
  DataSourceKind,
  DataSourceListParams,
  DataSourceTestInput,
  Id,
  ListParams,
  Page,
  ProbeResult,
  ReviewDecision,
} from './types'

/** A database source as the data-API editor offers it. */
export interface DataApiSourceOption {
  id: Id
  code: string
  name: string
  kind: string
  kind_label: string
  kind_label_en: string
}

const seg = (id: Id) => encodeURIComponent(String(id))

export const dataSourceApi = {
  kinds: () => http.get<DataSourceKind[] | null>('/datasources/kinds'),
  /** `silent` for a page that only offers the sources as a filter. */
  list: (params: DataSourceListParams, silent = false) => http.get<Page<DataSource>>('/datasources', { ...params }, { silent }),
  get: (id: Id) => http.get<DataSource>(`/datasources/${seg(id)}`),
  create: (body: DataSourceInput) => http.post<DataSource>('/datasources', body),
  update: (id: Id, body: DataSourceInput) => http.put<DataSource>(`/datasources/${seg(id)}`, body),
  /** 409 datasource_in_use while data APIs use it. */
  remove: (id: Id) => http.del(`/datasources/${seg(id)}`),
  /** 分组迁移: group_id null takes the sources out of their groups. */
  move: (ids: Id[], groupId: Id | null) => http.post<void>('/datasources/move', { ids, group_id: groupId }),
  /** Probes a saved source with what is stored. */
  test: (id: Id) => http.post<ProbeResult>(`/datasources/${seg(id)}/test`),
  /** Probes the form as it is, before saving. */
  testInput: (body: DataSourceTestInput) => http.post<ProbeResult>('/datasources/test', body),
}

export const dataSourceGroupApi = {
  list: () => http.get<DataSourceGroup[] | null>('/datasource-groups'),
  create: (body: DataSourceGroupInput) => http.post<DataSourceGroup>('/datasource-groups', body),
  update: (id: Id, body: DataSourceGroupInput) => http.put<DataSourceGroup>(`/datasource-groups/${seg(id)}`, body),
  /** 409 datasource_group_not_empty while sources are in it. */
  remove: (id: Id) => http.del(`/datasource-groups/${seg(id)}`),
}

export const dataApiApi = {
  /** The database sources a data API can read, with their kind's labels (data.apis menu). */
  sourceOptions: () => http.get<DataApiSourceOption[]>('/data-apis/source-options'),
  list: (params: DataApiListParams) => http.get<Page<DataApi>>('/data-apis', { ...params }),
  get: (id: Id) => http.get<DataApi>(`/data-apis/${seg(id)}`),
  create: (body: DataApiInput) => http.post<DataApi>('/data-apis', body),
  update: (id: Id, body: DataApiInput) => http.put<DataApi>(`/data-apis/${seg(id)}`, body),
  /** 409 dataapi_published while it is published. */
  remove: (id: Id) => http.del(`/data-apis/${seg(id)}`),
  /** Quiet: the editor shows a refused template, a failed query and the parameters' errors in place. */
  try: (body: DataApiTryInput) => http.post<DataApiTryResult>('/data-apis/try', body, { silent: true }),
  submit: (id: Id, comment: string) => http.post<DataApi>(`/data-apis/${seg(id)}/submit`, { comment }),
  reviews: (params: ListParams) => http.get<Page<DataApiReview>>('/data-apis/reviews', { ...params }),
  /** Quiet: 403 dataapi_self_review is shown in the review dialog. */
  review: (id: Id, version: number, decision: ReviewDecision, comment: string) =>
    http.post<DataApi>(`/data-apis/${seg(id)}/review`, { version, decision, comment }, { silent: true }),
  versions: (id: Id) => http.get<DataApiVersion[] | null>(`/data-apis/${seg(id)}/versions`),
  rollback: (id: Id, version: number) => http.post<DataApi>(`/data-apis/${seg(id)}/rollback`, { version }),
  offline: (id: Id) => http.post<DataApi>(`/data-apis/${seg(id)}/offline`),
  stats: (id: Id, days = 7) => http.get<DataApiStats>(`/data-apis/${seg(id)}/stats`, { days }),
}
