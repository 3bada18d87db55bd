// The data-services API module: each call's method, URL and body, and the problem members a
// trial run needs (pos, db_message) kept on the ApiError.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, http } from '@/api/client'
import { dataApiApi, dataSourceApi, dataSourceGroupApi } from '@/api/data'
import type { DataApiDef, DataSourceInput } from '@/api/types'
import { json, noContent, problem } from './helpers'

interface Sent {
  method: string
  url: string
  body: unknown
}

function record(answer: (method: string, url: string) => Response = (m) => (m === 'DELETE' ? noContent() : json({}))) {
  const sent: Sent[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET'
      sent.push({ method, url, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined })
      return answer(method, url)
    }),
  )
  return sent
}

afterEach(() => {
  vi.unstubAllGlobals()
  http.configure({ notify: () => undefined })
})

const input: DataSourceInput = {
  code: 'si',
  name: '社保库',
  kind: 'postgres',
  group_id: 2,
  host: 'db',
  port: 5432,
  database: 'si',
  username: 'ro',
  options: { sslmode: 'require' },
  pool: { max_open: 10, max_idle: 2, lifetime_seconds: 1800 },
  description: '',
}

const def: DataApiDef = {
  sql: 'select 1',
  params: [],
  paging: { enabled: false, default_size: 20, max_size: 100 },
  sortable: [],
  default_sort: '',
  fields: [],
  cache_seconds: 0,
  timeout_ms: 5000,
  max_rows: 1000,
}

describe('data sources API', () => {
  it('calls the contract routes with the right methods and bodies', async () => {
    const sent = record()
    await dataSourceApi.kinds()
    await dataSourceApi.list({ q: 'si', kind: 'postgres', group_id: 0, page: 2, page_size: 20 })
    await dataSourceApi.list({ group_id: '', page: 1, page_size: 20 })
    await dataSourceApi.get(7)
    await dataSourceApi.create(input)
    await dataSourceApi.update(7, input)
    await dataSourceApi.remove(7)
    await dataSourceApi.move([1, 2], 3)
    await dataSourceApi.move([4], null)
    await dataSourceApi.test(7)
    await dataSourceApi.testInput({ ...input, id: 7 })
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v1/datasources/kinds',
      'GET /api/v1/datasources?q=si&kind=postgres&group_id=0&page=2&page_size=20',
      'GET /api/v1/datasources?page=1&page_size=20',
      'GET /api/v1/datasources/7',
      'POST /api/v1/datasources',
      'PUT /api/v1/datasources/7',
      'DELETE /api/v1/datasources/7',
      'POST /api/v1/datasources/move',
      'POST /api/v1/datasources/move',
      'POST /api/v1/datasources/7/test',
      'POST /api/v1/datasources/test',
    ])
    expect(sent[4]?.body).toEqual(input)
    expect(sent[7]?.body).toEqual({ ids: [1, 2], group_id: 3 })
    expect(sent[8]?.body).toEqual({ ids: [4], group_id: null })
    expect(sent[9]?.body).toBeUndefined()
    expect(sent[10]?.body).toEqual({ ...input, id: 7 })
  })

  it('groups', async () => {
    const sent = record()
    await dataSourceGroupApi.list()
    await dataSourceGroupApi.create({ name: '省级', sort: 10 })
    await dataSourceGroupApi.update(3, { name: '市级', sort: 20 })
    await dataSourceGroupApi.remove(3)
    expect(sent.map((s) => [s.method, s.url, s.body])).toEqual([
      ['GET', '/api/v1/datasource-groups', undefined],
      ['POST', '/api/v1/datasource-groups', { name: '省级', sort: 10 }],
      ['PUT', '/api/v1/datasource-groups/3', { name: '市级', sort: 20 }],
      ['DELETE', '/api/v1/datasource-groups/3', undefined],
    ])
  })
})

describe('data APIs API', () => {
  it('calls the contract routes with the right methods and bodies', async () => {
    const sent = record()
    const body = { code: 'p', name: 'P', description: '', source_id: 1, method: 'GET' as const, path: '/data/p', draft: def }
    await dataApiApi.list({ q: 'p', status: 'pending', source_id: 1, page: 1, page_size: 20 })
    await dataApiApi.get(5)
    await dataApiApi.create(body)
    await dataApiApi.update(5, body)
    await dataApiApi.remove(5)
    await dataApiApi.try({ source_id: 1, draft: def, values: { aac002: 'x' }, page: 1, page_size: 10, sort: 'aac001' })
    await dataApiApi.submit(5, '新增接口')
    await dataApiApi.reviews({ page: 1, page_size: 20 })
    await dataApiApi.review(5, 2, 'approve', '同意')
    await dataApiApi.review(5, 3, 'reject', '口径不对')
    await dataApiApi.versions(5)
    await dataApiApi.rollback(5, 1)
    await dataApiApi.offline(5)
    await dataApiApi.stats(5)
    await dataApiApi.stats(5, 30)
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v1/data-apis?q=p&status=pending&source_id=1&page=1&page_size=20',
      'GET /api/v1/data-apis/5',
      'POST /api/v1/data-apis',
      'PUT /api/v1/data-apis/5',
      'DELETE /api/v1/data-apis/5',
      'POST /api/v1/data-apis/try',
      'POST /api/v1/data-apis/5/submit',
      'GET /api/v1/data-apis/reviews?page=1&page_size=20',
      'POST /api/v1/data-apis/5/review',
      'POST /api/v1/data-apis/5/review',
      'GET /api/v1/data-apis/5/versions',
      'POST /api/v1/data-apis/5/rollback',
      'POST /api/v1/data-apis/5/offline',
      'GET /api/v1/data-apis/5/stats?days=7',
      'GET /api/v1/data-apis/5/stats?days=30',
    ])
    expect(sent[2]?.body).toEqual(body)
    expect(sent[5]?.body).toEqual({ source_id: 1, draft: def, values: { aac002: 'x' }, page: 1, page_size: 10, sort: 'aac001' })
    expect(sent[6]?.body).toEqual({ comment: '新增接口' })
    expect(sent[8]?.body).toEqual({ version: 2, decision: 'approve', comment: '同意' })
    expect(sent[9]?.body).toEqual({ version: 3, decision: 'reject', comment: '口径不对' })
    expect(sent[11]?.body).toEqual({ version: 1 })
    expect(sent[12]?.body).toBeUndefined()
  })

  it('a trial run and a review fail quietly, keeping the extra problem members', async () => {
    const notify = vi.fn()
    http.configure({ notify })
    record(() => problem(422, 'dataapi_query_failed', { detail: '查询失败', db_message: 'ERROR: relation "ac01" does not exist', pos: 14 }))
    const err = await dataApiApi.try({ source_id: 1, draft: def, values: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).problem.db_message).toBe('ERROR: relation "ac01" does not exist')
    expect((err as ApiError).problem.pos).toBe(14)
    record(() => problem(403, 'dataapi_self_review', { detail: '不能审核自己提交的版本' }))
    await expect(dataApiApi.review(5, 1, 'approve', '')).rejects.toMatchObject({ code: 'dataapi_self_review' })
    expect(notify).not.toHaveBeenCalled()
    // Other calls still toast.
    record(() => problem(409, 'datasource_in_use', { detail: '数据源正被使用' }))
    await expect(dataSourceApi.remove(1)).rejects.toBeInstanceOf(ApiError)
    expect(notify).toHaveBeenCalledWith('数据源正被使用')
  })
})
