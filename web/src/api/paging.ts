import type { Page } from './types'

/** The largest page_size the API accepts. */
export const MAX_PAGE_SIZE = 200

/**
 * Fetches every item of a list route, MAX_PAGE_SIZE at a time, for selects
 * that need the whole list (business roles, URL resources, systems).
 * `limit` bounds the number of pages so a misbehaving server cannot loop us.
 */
export async function fetchAll<T>(
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  limit = 50,
): Promise<T[]> {
  const items: T[] = []
  for (let page = 1; page <= limit; page++) {
    const res = await fetchPage(page, MAX_PAGE_SIZE)
    const batch = res.items ?? []
    items.push(...batch)
    if (batch.length === 0 || items.length >= res.total || batch.length < MAX_PAGE_SIZE) break
  }
  return items
}
