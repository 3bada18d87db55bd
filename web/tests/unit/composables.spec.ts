import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { mount, flushPromises } from '@vue/test-utils'
import { ApiError } from '@/api/client'
import type { Page } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { usePagedList, type PageParams } from '@/composables/usePagedList'
import { i18n } from '@/i18n'

interface Row {
  id: number
}

function page(items: Row[], total: number, p = 1): Page<Row> {
  return { items, total, page: p, page_size: 20 }
}

function withList<F extends object>(fetcher: (p: PageParams & F) => Promise<Page<Row>>, filters: F, immediate = true) {
  let list!: ReturnType<typeof usePagedList<Row, F>>
  const C = defineComponent({
    setup() {
      list = usePagedList<Row, F>(fetcher, { filters, immediate })
      return () => h('div')
    },
  })
  mount(C)
  return () => list
}

describe('usePagedList', () => {
  it('loads on mount with page 1 and the filters', async () => {
    const fetcher = vi.fn(async () => page([{ id: 1 }], 1))
    const list = withList(fetcher, { q: '' })
    await flushPromises()
    expect(fetcher).toHaveBeenCalledWith({ q: '', page: 1, page_size: 20 })
    expect(list().items.value).toEqual([{ id: 1 }])
    expect(list().total.value).toBe(1)
    expect(list().loading.value).toBe(false)
  })

  it('search goes back to page 1 with the current filters; reset restores them', async () => {
    const fetcher = vi.fn(async () => page([], 0))
    const list = withList(fetcher, { q: '' }, false)
    await list().setPage(3)
    expect(fetcher).toHaveBeenLastCalledWith({ q: '', page: 3, page_size: 20 })
    list().filters.q = 'zhang'
    await list().search()
    expect(fetcher).toHaveBeenLastCalledWith({ q: 'zhang', page: 1, page_size: 20 })
    await list().reset()
    expect(list().filters.q).toBe('')
    expect(fetcher).toHaveBeenLastCalledWith({ q: '', page: 1, page_size: 20 })
  })

  it('changing the page size goes back to page 1', async () => {
    const fetcher = vi.fn(async () => page([], 0))
    const list = withList(fetcher, {}, false)
    await list().setPage(4)
    await list().setPageSize(50)
    expect(fetcher).toHaveBeenLastCalledWith({ page: 1, page_size: 50 })
  })

  it('keeps only the answer of the latest request', async () => {
    const resolvers: ((p: Page<Row>) => void)[] = []
    const fetcher = vi.fn(() => new Promise<Page<Row>>((r) => resolvers.push(r)))
    const list = withList(fetcher, {}, false)
    const first = list().load()
    const second = list().load()
    resolvers[1]?.(page([{ id: 2 }], 1))
    resolvers[0]?.(page([{ id: 1 }], 1))
    await Promise.all([first, second])
    expect(list().items.value).toEqual([{ id: 2 }])
  })

  it('empties the list on an error', async () => {
    let fail = false
    const fetcher = vi.fn(async () => {
      if (fail) throw new ApiError(500, { code: 'internal' })
      return page([{ id: 1 }], 1)
    })
    const list = withList(fetcher, {}, false)
    await list().load()
    fail = true
    await list().load()
    expect(list().items.value).toEqual([])
    expect(list().total.value).toBe(0)
  })

  it('steps back a page after deleting the last row of a page', async () => {
    const fetcher = vi.fn(async () => page([{ id: 21 }], 21, 2))
    const list = withList(fetcher, {}, false)
    await list().setPage(2)
    await list().reloadAfterDelete()
    expect(fetcher).toHaveBeenLastCalledWith({ page: 1, page_size: 20 })
  })
})

describe('useFieldErrors', () => {
  it('marks the fields of a validation problem, with aliases and translated codes', async () => {
    i18n.setLang('zh-CN')
    const fe = useFieldErrors({ password: 'new_password' })
    const err = new ApiError(422, {
      code: 'validation_failed',
      errors: [
        { field: 'username', code: 'duplicate' },
        { field: 'password', code: 'too_short' },
        { field: 'email', code: 'weird_code' },
      ],
    })
    expect(fe.apply(err)).toBe(true)
    expect(fe.errors.username).toBe('已存在')
    expect(fe.errors.new_password).toBe('长度不足')
    expect(fe.errors.email).toBe('填写有误（weird_code）')
    fe.clear()
    expect(Object.keys(fe.errors)).toEqual([])
  })

  it('prefers a message the server sends, in the current language', async () => {
    i18n.setLang('en')
    const fe = useFieldErrors()
    fe.apply(new ApiError(422, { errors: [{ field: 'code', code: 'x', detail: '编码重复', detail_en: 'Code taken' }] }))
    expect(fe.errors.code).toBe('Code taken')
    i18n.setLang('zh-CN')
    await nextTick()
  })

  it('uses the server English message in English and our translation in Chinese', () => {
    const err = new ApiError(422, { errors: [{ field: 'result', code: 'enum', message: 'ok|denied|failed' }, { field: 'x', code: 'odd', message: 'odd value' }] })
    i18n.setLang('en')
    const fe = useFieldErrors()
    fe.apply(err)
    expect(fe.errors.result).toBe('ok|denied|failed')
    i18n.setLang('zh-CN')
    fe.apply(err)
    expect(fe.errors.result).toBe('取值不在允许范围内')
    expect(fe.errors.x).toBe('odd value')
  })

  it('joins several errors on one field', () => {
    const fe = useFieldErrors()
    fe.apply(new ApiError(422, { errors: [{ field: 'new_password', code: 'too_short' }, { field: 'new_password', code: 'contains_username' }] }))
    expect(fe.errors.new_password).toBe('长度不足; 不能包含用户名')
  })

  it('returns false for errors without fields', () => {
    const fe = useFieldErrors()
    expect(fe.apply(new ApiError(409, { code: 'conflict' }))).toBe(false)
    expect(fe.apply(new Error('x'))).toBe(false)
  })
})
