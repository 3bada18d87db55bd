// Paging + search state for a list route ({items,total,page,page_size}).
import { onMounted, reactive, ref, shallowRef, toRaw, type Ref } from 'vue'
import type { Page } from '@/api/types'

export interface PageParams {
  page: number
  page_size: number
}

export interface PagedListOptions<F extends object> {
  /** Initial filter values; `reset()` goes back to them. */
  filters: F
  pageSize?: number
  /** Load on mount (default true). */
  immediate?: boolean
}

export function usePagedList<T, F extends object = Record<string, never>>(
  fetcher: (params: PageParams & F) => Promise<Page<T>>,
  options: PagedListOptions<F>,
) {
  const initial = { ...options.filters }
  // Filters are flat values (strings, ids, booleans), so F is already unwrapped.
  const filters = reactive({ ...initial }) as F
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(options.pageSize ?? 20)
  const loading = ref(false)
  let generation = 0

  async function load(): Promise<void> {
    const mine = ++generation
    loading.value = true
    try {
      const params = { ...(toRaw(filters) as F), page: page.value, page_size: pageSize.value }
      const res = await fetcher(params)
      if (mine !== generation) return // a newer request has been sent; drop this answer
      items.value = res.items ?? []
      total.value = res.total ?? 0
    } catch {
      // The API client has already told the user.
      if (mine === generation) {
        items.value = []
        total.value = 0
      }
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  function search(): Promise<void> {
    page.value = 1
    return load()
  }

  function reset(): Promise<void> {
    Object.assign(filters, { ...initial })
    return search()
  }

  function setPage(p: number): Promise<void> {
    page.value = p
    return load()
  }

  function setPageSize(size: number): Promise<void> {
    pageSize.value = size
    page.value = 1
    return load()
  }

  /** After deleting `count` rows: step back a page when the current one would be empty. */
  function reloadAfterDelete(count = 1): Promise<void> {
    if (page.value > 1 && items.value.length <= count) page.value -= 1
    return load()
  }

  if (options.immediate ?? true) onMounted(load)

  return {
    items: items as Ref<T[]>,
    total,
    page,
    pageSize,
    loading,
    filters,
    load,
    search,
    reset,
    setPage,
    setPageSize,
    reloadAfterDelete,
  }
}

export type PagedList<T, F extends object> = ReturnType<typeof usePagedList<T, F>>
