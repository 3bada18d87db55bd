// The data asset catalog (/api/v1/catalog/…): the classification tree, entries with their
// publish approval, mounted resources and their approval, the negative list; and the portal
// (/api/v1/portal/…) every department browses.
import { http } from './client'
import type {
  ApiOption,
  CatalogCategory,
  CatalogCategoryInput,
  CatalogEntry,
  CatalogEntryInput,
  CatalogEntryListParams,
  CatalogEvent,
  CatalogResource,
  CatalogReviews,
  Id,
  NegativeInput,
  NegativeItem,
  Page,
  PortalOverview,
  ResourceInput,
  ReviewDecision,
} from './types'

const seg = (id: Id) => encodeURIComponent(String(id))

export const catalogApi = {
  categories: () => http.get<CatalogCategory[] | null>('/catalog/categories'),
  createCategory: (body: CatalogCategoryInput) => http.post<CatalogCategory>('/catalog/categories', body),
  updateCategory: (id: Id, body: CatalogCategoryInput) => http.put<CatalogCategory>(`/catalog/categories/${seg(id)}`, body),
  /** 409 in_use while it holds categories or entries. */
  removeCategory: (id: Id) => http.del(`/catalog/categories/${seg(id)}`),
  /** Every status; `silent` for pages that only offer the entries as a choice. */
  list: (params: CatalogEntryListParams, silent = false) => http.get<Page<CatalogEntry>>('/catalog/entries', { ...params }, { silent }),
  get: (id: Id) => http.get<CatalogEntry>(`/catalog/entries/${seg(id)}`),
  events: (id: Id) => http.get<CatalogEvent[] | null>(`/catalog/entries/${seg(id)}/events`),
  apiOptions: () => http.get<ApiOption[] | null>('/catalog/api-options'),
  create: (body: CatalogEntryInput) => http.post<CatalogEntry>('/catalog/entries', body),
  /** A draft is edited in place; a published entry's edit becomes its `pending` change. */
  update: (id: Id, body: CatalogEntryInput) => http.put<CatalogEntry>(`/catalog/entries/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/catalog/entries/${seg(id)}`),
  submit: (id: Id, comment = '') => http.post<CatalogEntry>(`/catalog/entries/${seg(id)}/submit`, { comment }),
  mount: (id: Id, body: ResourceInput) => http.post<CatalogResource>(`/catalog/entries/${seg(id)}/resources`, body),
  reviews: () => http.get<CatalogReviews>('/catalog/reviews'),
  /** Quiet: 403 catalog_self_approval is shown in the review dialog. */
  review: (id: Id, decision: ReviewDecision, comment: string) =>
    http.post<CatalogEntry>(`/catalog/entries/${seg(id)}/review`, { decision, comment }, { silent: true }),
  offline: (id: Id) => http.post<CatalogEntry>(`/catalog/entries/${seg(id)}/offline`),
  reviewResource: (id: Id, decision: ReviewDecision, comment: string) =>
    http.post<CatalogResource>(`/catalog/resources/${seg(id)}/review`, { decision, comment }, { silent: true }),
  negatives: () => http.get<NegativeItem[] | null>('/catalog/negative-list'),
  addNegative: (body: NegativeInput) => http.post<NegativeItem>('/catalog/negative-list', body),
  removeNegative: (id: Id) => http.del(`/catalog/negative-list/${seg(id)}`),
}

export const portalApi = {
  overview: () => http.get<PortalOverview>('/portal/overview'),
  categories: () => http.get<CatalogCategory[] | null>('/portal/categories'),
  /** Published entries: q (every word must appear), category_id (with its subtree), org_id, share_attr, kind, sort=newest. */
  search: (params: CatalogEntryListParams) => http.get<Page<CatalogEntry>>('/portal/entries', { ...params }),
  /** A published entry with its mounted resources and negative-listed fields. */
  get: (id: Id, silent = false) => http.get<CatalogEntry>(`/portal/entries/${seg(id)}`, undefined, { silent }),
}
