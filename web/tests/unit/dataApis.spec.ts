// 数据API: the draft model (parameter and field rows → the JSON sent), the side-by-side diff, the
// editor (save, trial run with its errors, submit), the review flow, the list and its drawers, and
// the routes of the 数据服务 menu.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus, { ElMessageBox, ElSelect } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { DataApi, DataApiDef, DataApiReview, DataApiVersion, DataSourceKind, UserMenu } from '@/api/types'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import { routes } from '@/router/routes'
import { useSessionStore } from '@/stores/session'
import { toSidebar } from '@/utils/menuTree'
import DataApiEditor from '@/views/data/apis/DataApiEditor.vue'
import DataApisView from '@/views/data/apis/DataApisView.vue'
import {
  checkParamRows,
  dataApiFieldAlias,
  defText,
  fieldRowsFromTry,
  fieldsFromRows,
  newFieldRow,
  newParamRow,
  paramOfTryError,
  paramRowsFrom,
  paramsFromRows,
  serverRowErrors,
  sideBySide,
  tryValues,
} from '@/views/data/apis/draft'
import { json, noContent, problem } from './helpers'

// Whole pages are mounted here; give them room on a busy machine.
vi.setConfig({ testTimeout: 30_000 })

beforeEach(() => {
  i18n.setLang('zh-CN')
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.unstubAllGlobals()
  i18n.setLang('zh-CN')
  document.body.innerHTML = ''
})

const hook = (w: VueWrapper, name: string) => w.find(`[data-test="${name}"]`)

function pick(w: VueWrapper, name: string, value: unknown): void {
  const select = w.findAllComponents(ElSelect).find((s) => s.attributes('data-test') === name)
  if (!select) throw new Error(`no select ${name}`)
  select.vm.$emit('update:modelValue', value)
  select.vm.$emit('change', value)
}

const ID = '11010519491231002X'

const DEF: DataApiDef = {
  sql: 'SELECT aac001, aac002, aac003 FROM ac01 WHERE aac002 = ${aac002}',
  params: [{ name: 'aac002', type: 'id_card', required: true }],
  paging: { enabled: true, default_size: 20, max_size: 100 },
  sortable: [],
  default_sort: '',
  fields: [
    { name: 'aac001', type: 'integer', description: '个人编号', category: '' },
    { name: 'aac002', type: 'string', description: '公民身份号码', category: 'id_number' },
  ],
  cache_seconds: 0,
  timeout_ms: 5000,
  max_rows: 1000,
}

const API: DataApi = {
  id: 5,
  code: 'person.info',
  name: '参保人员信息',
  description: '',
  source_id: 7,
  source_name: '社保核心库',
  source_kind: 'postgres',
  method: 'GET',
  path: '/data/person/info',
  status: 'draft',
  draft: DEF,
  draft_changed: false,
  published_version: null,
  pending_version: null,
  gateway_api_code: '',
  created_by: 'dev',
  updated_by: 'dev',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
}

const KINDS: DataSourceKind[] = [
  { kind: 'postgres', label: 'PostgreSQL', label_en: 'PostgreSQL', family: 'sql', default_port: 5432, fields: [] },
  { kind: 'sftp', label: 'SFTP', label_en: 'SFTP', family: 'file', default_port: 22, fields: [] },
]
const SOURCES = [
  { id: 7, code: 'si-core', name: '社保核心库', kind: 'postgres' },
  { id: 8, code: 'ftp-in', name: '交换目录', kind: 'sftp' },
]

describe('draft model', () => {
  it('parameter rows → params: only what applies to the type, nothing empty', () => {
    const rows = [
      newParamRow({ name: ' aac002 ', type: 'id_card', required: true, pattern: 'ignored', enum: ['x'], min: 1 }),
      newParamRow({ name: 'xzlx', type: 'string', pattern: '^[0-9]{3}$', enum: ['110', '210'], description: ' 险种 ' }),
      newParamRow({ name: 'age', type: 'integer', min: 16, max: 60, default: '18', pattern: 'ignored' }),
      newParamRow({ name: '', type: 'string' }),
    ]
    expect(paramsFromRows(rows)).toEqual([
      { name: 'aac002', type: 'id_card', required: true },
      { name: 'xzlx', type: 'string', required: false, pattern: '^[0-9]{3}$', enum: ['110', '210'], description: '险种' },
      { name: 'age', type: 'integer', required: false, default: '18', min: 16, max: 60 },
    ])
    expect(paramsFromRows(paramRowsFrom(paramsFromRows(rows)))).toEqual(paramsFromRows(rows))
  })

  it('checks names and ranges locally', () => {
    const rows = [newParamRow({ name: '1x' }), newParamRow({ name: 'a' }), newParamRow({ name: 'a' }), newParamRow({ name: 'n', type: 'number', min: 5, max: 1 })]
    expect(checkParamRows(rows)).toEqual({ 0: { name: 'paramNameFormat' }, 2: { name: 'paramNameDuplicate' }, 3: { range: 'paramRange' } })
  })

  it('fills fields from a trial run, keeping what was said of known columns and guessing types', () => {
    const kept = newFieldRow({ name: 'aac002', type: 'string', description: '身份证', category: 'id_number' })
    const rows = fieldRowsFromTry([kept, newFieldRow({ name: 'gone' })], {
      columns: ['aac001', 'aac002', 'aae036', 'ok'],
      rows: [{ aac001: null, aac002: ID, aae036: '2024-01-02', ok: true }, { aac001: 12, aac002: ID, aae036: '2024-01-03', ok: false }],
    })
    expect(rows[1]).toBe(kept)
    expect(fieldsFromRows(rows)).toEqual([
      { name: 'aac001', type: 'integer', description: '', category: '' },
      { name: 'aac002', type: 'string', description: '身份证', category: 'id_number' },
      { name: 'aae036', type: 'date', description: '', category: '' },
      { name: 'ok', type: 'boolean', description: '', category: '' },
    ])
  })

  it('sample values and the errors of a trial run, by parameter', () => {
    expect(tryValues([{ name: 'a', type: 'string', required: false }, { name: 'b', type: 'string', required: false }], { a: ' x ', b: '', c: 'z' })).toEqual({ a: 'x' })
    const names = ['aac002', 'xzlx']
    expect(paramOfTryError('values.aac002', names)).toBe('aac002')
    expect(paramOfTryError('values[xzlx]', names)).toBe('xzlx')
    expect(paramOfTryError('params.aac002', names)).toBe('aac002')
    expect(paramOfTryError('aac002', names)).toBe('aac002')
    expect(paramOfTryError('draft.sql', names)).toBeUndefined()
  })

  it('maps a save’s field errors to the rows sent', () => {
    const rows = [{ name: '' }, { name: 'a' }, { name: 'b' }]
    expect(serverRowErrors('params', rows, { 'draft.params[1].pattern': 'bad', 'params[0].name': 'dup', 'fields[0].name': 'x' })).toEqual({
      1: { name: 'dup' },
      2: { pattern: 'bad' },
    })
    expect(dataApiFieldAlias('draft.sql')).toBe('sql')
    expect(dataApiFieldAlias('code')).toBe('code')
  })

  it('compares two definitions line by line, side by side', () => {
    const a = defText(DEF, 'GET', '/data/person/info')
    const b = defText({ ...DEF, sql: `${DEF.sql}\nAND aae140 = '110'`, max_rows: 500 }, 'GET', '/data/person/info')
    const rows = sideBySide(a, b)
    expect(rows.filter((r) => r.kind === 'added').map((r) => r.right)).toEqual(["AND aae140 = '110'"])
    expect(rows.filter((r) => r.kind === 'changed').map((r) => [r.left, r.right])).toEqual([['cache_seconds=0 timeout_ms=5000 max_rows=1000', 'cache_seconds=0 timeout_ms=5000 max_rows=500']])
    expect(sideBySide(a, a).every((r) => r.kind === 'same')).toBe(true)
    expect(defText(DEF)).toContain('aac002 id_card required')
    expect(defText(DEF)).toContain('aac002 string [id_number] # 公民身份号码')
  })
})

// ---- pages against a stubbed API ----

type Handler = (method: string, url: string, body: unknown) => Response | undefined

function stubApi(handler: Handler = () => undefined) {
  const calls: { method: string; url: string; body: unknown }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET'
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
      calls.push({ method, url, body })
      const r = handler(method, url, body)
      if (r) return r
      if (url === '/api/v1/datasources/kinds') return json(KINDS)
      if (url.startsWith('/api/v1/datasources?')) return json({ items: SOURCES, total: 2, page: 1, page_size: 100 })
      // The server lists only database sources here.
      if (url === '/api/v1/data-apis/source-options') return json([{ ...SOURCES[0], kind_label: 'PostgreSQL', kind_label_en: 'PostgreSQL' }])
      if (method === 'DELETE') return noContent()
      return json({ items: [], total: 0, page: 1, page_size: 20 })
    }),
  )
  return calls
}

const Blank = defineComponent({ render: () => h('div') })

async function editorAt(path: string): Promise<{ w: VueWrapper; router: Router }> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/data/apis', name: 'data-apis', component: Blank },
      { path: '/data/apis/new', name: 'data-api-new', component: DataApiEditor },
      { path: '/data/apis/:id', name: 'data-api-edit', component: DataApiEditor },
    ],
  })
  await router.push(path)
  await router.isReady()
  const w = mount(DataApiEditor, { global: { plugins: [ElementPlus, router], directives: { testRows: vTestRows } }, attachTo: document.body })
  await flushPromises()
  return { w, router }
}

const WRITE = ['POST /api/v1/data-apis', 'PUT /api/v1/data-apis/{id}', 'POST /api/v1/data-apis/try', 'POST /api/v1/data-apis/{id}/submit']

describe('数据API editor', () => {
  it('builds the draft from the form, the parameter table and the fields, and creates it', async () => {
    useSessionStore().permissions = WRITE
    const calls = stubApi((method, url) => {
      if (method === 'POST' && url === '/api/v1/data-apis') return json({ ...API, id: 9 }, 201)
      if (url === '/api/v1/data-apis/try') {
        return json({ columns: ['aac001', 'aac002', 'aac003'], rows: [{ aac001: 1001, aac002: ID, aac003: '张三' }], total: 1, truncated: false, elapsed_ms: 12, sql: 'SELECT … WHERE aac002 = $1' })
      }
      return undefined
    })
    const { w, router } = await editorAt('/data/apis/new')
    // Only SQL sources are offered.
    expect(document.querySelector('[data-test="dapi-source-option-si-core"]')).not.toBeNull()
    expect(document.querySelector('[data-test="dapi-source-option-ftp-in"]')).toBeNull()
    await hook(w, 'dapi-code').setValue('person.info')
    await hook(w, 'dapi-name').setValue('参保人员信息')
    pick(w, 'dapi-source', 7)
    await hook(w, 'dapi-path').setValue('/data/person/info')
    await hook(w, 'dapi-sql').setValue(DEF.sql)
    await hook(w, 'dapi-param-add').trigger('click')
    await hook(w, 'dapi-param-name-0').setValue('aac002')
    pick(w, 'dapi-param-type-0', 'id_card')
    await hook(w, 'dapi-param-required-0').find('input').setValue(true)
    await flushPromises()
    // The parameter's pattern does not apply to id_card.
    expect(hook(w, 'dapi-param-pattern-0').attributes('disabled')).toBeDefined()

    // Trial run with a sample value: the rows, the time and the SQL as bound.
    expect(hook(w, 'dapi-fields-from-try').attributes('disabled')).toBeDefined()
    await hook(w, 'dapi-try-value-aac002').setValue(ID)
    await hook(w, 'dapi-try-run').trigger('click')
    await flushPromises()
    const tried = calls.find((c) => c.url === '/api/v1/data-apis/try')?.body as Record<string, unknown>
    expect(tried).toMatchObject({ source_id: 7, values: { aac002: ID }, page: 1, page_size: 20 })
    expect((tried.draft as DataApiDef).params).toEqual([{ name: 'aac002', type: 'id_card', required: true }])
    expect(w.findAll('[data-test="dapi-try-row"]')).toHaveLength(1)
    expect(hook(w, 'dapi-try-result').text()).toContain('张三')
    expect(hook(w, 'dapi-try-elapsed').text()).toContain('12')
    expect(hook(w, 'dapi-try-sql').text()).toBe('SELECT … WHERE aac002 = $1')

    // Fields from the trial run, one marked sensitive.
    await hook(w, 'dapi-fields-from-try').trigger('click')
    await flushPromises()
    expect((hook(w, 'dapi-field-name-2').element as HTMLInputElement).value).toBe('aac003')
    pick(w, 'dapi-field-category-1', 'id_number')
    pick(w, 'dapi-field-category-2', 'name')
    await hook(w, 'dapi-field-description-1').setValue('公民身份号码')
    await flushPromises()

    await hook(w, 'dapi-save').trigger('click')
    await flushPromises()
    const created = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/data-apis')?.body
    expect(created).toEqual({
      code: 'person.info',
      name: '参保人员信息',
      description: '',
      source_id: 7,
      method: 'GET',
      path: '/data/person/info',
      draft: {
        sql: DEF.sql,
        params: [{ name: 'aac002', type: 'id_card', required: true }],
        paging: { enabled: true, default_size: 20, max_size: 100 },
        sortable: [],
        default_sort: '',
        fields: [
          { name: 'aac001', type: 'integer', description: '', category: '' },
          { name: 'aac002', type: 'string', description: '公民身份号码', category: 'id_number' },
          { name: 'aac003', type: 'string', description: '', category: 'name' },
        ],
        cache_seconds: 0,
        timeout_ms: 5000,
        max_rows: 1000,
      },
    })
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/data/apis/9')
    w.unmount()
  })

  it('shows a bad sample value beside its input, a refused template with its position, and the database message', async () => {
    useSessionStore().permissions = WRITE
    let answer: Response = problem(400, 'validation_failed', { detail: '参数有误', errors: [{ field: 'values.aac002', code: 'checksum', detail: '公民身份号码校验位不正确' }] })
    stubApi((_method, url) => (url === '/api/v1/data-apis/5' ? json(API) : url === '/api/v1/data-apis/try' ? answer : undefined))
    const { w } = await editorAt('/data/apis/5')
    expect((hook(w, 'dapi-code').element as HTMLInputElement).value).toBe('person.info')
    await hook(w, 'dapi-try-value-aac002').setValue('110105194912310021')
    await hook(w, 'dapi-try-run').trigger('click')
    await flushPromises()
    expect(w.find('.el-form-item.is-error [data-test="dapi-try-value-aac002"]').exists()).toBe(true)
    // el-form-item shows its message 100 ms after the state changes
    await new Promise((r) => setTimeout(r, 150))
    expect(hook(w, 'dapi-try-value-aac002').element.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent).toContain('公民身份号码校验位不正确')
    expect(hook(w, 'dapi-try-result').exists()).toBe(false)
    // no toast: the panel shows it
    expect(document.querySelector('.el-message')).toBeNull()

    answer = problem(422, 'sql_unknown_param', { detail: '模板引用了未声明的参数 ${xzlx}', detail_en: 'Undeclared parameter ${xzlx}', pos: 57 })
    await hook(w, 'dapi-try-run').trigger('click')
    await flushPromises()
    expect(hook(w, 'dapi-try-error').attributes('data-code')).toBe('sql_unknown_param')
    expect(hook(w, 'dapi-try-error').text()).toContain('模板引用了未声明的参数 ${xzlx}')
    expect(hook(w, 'dapi-try-pos').text()).toContain('57')
    expect(w.find('.el-form-item.is-error [data-test="dapi-try-value-aac002"]').exists()).toBe(false)

    answer = problem(422, 'dataapi_query_failed', { detail: '查询执行失败', detail_en: 'The query failed', db_message: 'ERROR: column "aac003x" does not exist (SQLSTATE 42703)' })
    i18n.setLang('en')
    await hook(w, 'dapi-try-run').trigger('click')
    await flushPromises()
    expect(hook(w, 'dapi-try-error').text()).toContain('The query failed')
    expect(hook(w, 'dapi-try-db-message').text()).toBe('ERROR: column "aac003x" does not exist (SQLSTATE 42703)')
    expect(hook(w, 'dapi-try-pos').exists()).toBe(false)
    w.unmount()
  })

  it('submits with the comment; an unchanged draft is not saved again', async () => {
    useSessionStore().permissions = WRITE
    const calls = stubApi((method, url) => {
      if (method === 'GET' && url === '/api/v1/data-apis/5') return json(API)
      if (url === '/api/v1/data-apis/5/submit') return json({ ...API, status: 'pending', pending_version: 1 })
      if (method === 'PUT') return json(API)
      return undefined
    })
    const { w } = await editorAt('/data/apis/5')
    await hook(w, 'dapi-submit').trigger('click')
    await flushPromises()
    await hook(w, 'dapi-submit-comment').setValue('首次提交：按身份证查参保信息')
    await hook(w, 'dapi-submit-confirm').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', '/api/v1/data-apis/5/submit', { comment: '首次提交：按身份证查参保信息' }],
    ])
    expect(hook(w, 'dapi-editor-status').text()).toContain('待审核')

    // Changed: saved (PUT) first, then submitted.
    await hook(w, 'dapi-name').setValue('参保信息查询')
    await hook(w, 'dapi-submit').trigger('click')
    await flushPromises()
    await hook(w, 'dapi-submit-comment').setValue('改名')
    await hook(w, 'dapi-submit-confirm').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method !== 'GET').slice(1).map((c) => [c.method, c.url])).toEqual([
      ['PUT', '/api/v1/data-apis/5'],
      ['POST', '/api/v1/data-apis/5/submit'],
    ])
    w.unmount()
  })

  it('marks the server’s field errors of a save on the form and on the parameter rows', async () => {
    useSessionStore().permissions = WRITE
    stubApi((method, url) => {
      if (method === 'GET' && url === '/api/v1/data-apis/5') return json(API)
      if (method === 'PUT') {
        return problem(422, 'validation_failed', {
          errors: [
            { field: 'path', code: 'format' },
            { field: 'draft.sql', code: 'sql_syntax', detail: 'SQL 模板语法错误' },
            { field: 'draft.params[0].name', code: 'unused', detail: '参数未在模板中使用' },
          ],
        })
      }
      return undefined
    })
    const { w } = await editorAt('/data/apis/5')
    await hook(w, 'dapi-save').trigger('click')
    await flushPromises()
    expect(w.find('.el-form-item.is-error [data-test="dapi-path"]').exists()).toBe(true)
    expect(w.find('.el-form-item.is-error [data-test="dapi-sql"]').exists()).toBe(true)
    expect(hook(w, 'dapi-param-error-0').text()).toContain('参数未在模板中使用')
    w.unmount()
  })

  it('is read-only without the write permission', async () => {
    useSessionStore().permissions = []
    stubApi((_m, url) => (url === '/api/v1/data-apis/5' ? json(API) : undefined))
    const { w } = await editorAt('/data/apis/5')
    for (const h of ['dapi-save', 'dapi-submit', 'dapi-try-run']) expect(hook(w, h).exists(), h).toBe(false)
    expect(hook(w, 'dapi-code').attributes('disabled')).toBeDefined()
    w.unmount()
  })
})

// ---- list, review queue, drawers ----

const REVIEW: DataApiReview = {
  version: 2,
  status: 'pending',
  def: { ...DEF, sql: `${DEF.sql}\n[[ AND aae140 = \${xzlx} ]]` },
  method: 'GET',
  path: '/data/person/info',
  submitted_by: 'dev',
  submitted_at: '2026-01-03T00:00:00Z',
  submit_comment: '加险种条件',
  reviewed_by: '',
  reviewed_at: null,
  review_comment: '',
  published: false,
  api_id: 5,
  api_code: 'person.info',
  api_name: '参保人员信息',
}
const V1: DataApiVersion = { ...REVIEW, version: 1, status: 'approved', def: DEF, published: true, reviewed_by: 'boss', reviewed_at: '2026-01-02T00:00:00Z' }
const REVIEWER = ['GET /api/v1/data-apis/reviews', 'POST /api/v1/data-apis/{id}/review']

async function listPage(permissions: string[], handler: Handler = () => undefined) {
  useSessionStore().permissions = permissions
  const published = { ...API, id: 6, code: 'org.info', name: '单位信息', status: 'published', published_version: 3 }
  const calls = stubApi((method, url, body) => {
    const r = handler(method, url, body)
    if (r) return r
    if (url.startsWith('/api/v1/data-apis/reviews')) return json({ items: [REVIEW], total: 1, page: 1, page_size: 20 })
    if (url === '/api/v1/data-apis/5/versions') return json([V1, REVIEW])
    if (url.startsWith('/api/v1/data-apis?')) return json({ items: [API, published], total: 2, page: 1, page_size: 20 })
    return undefined
  })
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: Blank }, { path: '/data/apis/:id', name: 'data-api-edit', component: Blank }, { path: '/data/apis/new', name: 'data-api-new', component: Blank }] })
  const w = mount(DataApisView, { global: { plugins: [ElementPlus, router], directives: { testRows: vTestRows } }, attachTo: document.body })
  await flushPromises()
  return { w, calls, router }
}

describe('数据API list and review', () => {
  it('lists keyed rows with their status; actions follow permissions and state; the review tab only for reviewers', async () => {
    const { w } = await listPage(['POST /api/v1/data-apis', 'DELETE /api/v1/data-apis/{id}', 'POST /api/v1/data-apis/{id}/offline'])
    expect(hook(w, 'dapi-row-person.info').element.tagName).toBe('TR')
    expect(hook(w, 'dapi-row-person.info').text()).toContain('/data/person/info')
    expect(w.find('[data-test="dapi-status-person.info"]').text()).toContain('草稿')
    expect(w.find('[data-test="dapi-status-org.info"]').text()).toContain('已发布')
    expect(hook(w, 'dapi-create').exists()).toBe(true)
    expect(hook(w, 'dapi-delete-person.info').exists()).toBe(true)
    expect(hook(w, 'dapi-delete-org.info').exists()).toBe(false)
    expect(hook(w, 'dapi-offline-org.info').exists()).toBe(true)
    expect(hook(w, 'dapi-offline-person.info').exists()).toBe(false)
    expect(hook(w, 'dapi-tab-reviews').exists()).toBe(false)
    w.unmount()
  })

  it('approves from the queue with a comment, beside the published version', async () => {
    const sent: unknown[] = []
    const { w, calls } = await listPage(REVIEWER, (method, url, body) => {
      if (method === 'POST' && url === '/api/v1/data-apis/5/review') {
        sent.push(body)
        return json({ ...API, status: 'published', published_version: 2 })
      }
      return undefined
    })
    expect(hook(w, 'dapi-tab-reviews').exists()).toBe(true)
    expect(hook(w, 'dapi-review-row-person.info').text()).toContain('加险种条件')
    await hook(w, 'dapi-review-open-person.info').trigger('click')
    await flushPromises()
    expect(hook(w, 'dapi-review-sql').text()).toContain('[[ AND aae140 = ${xzlx} ]]')
    const added = w.findAll('[data-test="dapi-diff"] [data-kind="added"]').map((e) => e.text())
    expect(added).toContain('[[ AND aae140 = ${xzlx} ]]')
    await hook(w, 'dapi-review-comment').setValue('同意发布')
    await hook(w, 'dapi-approve').trigger('click')
    await flushPromises()
    expect(sent).toEqual([{ version: 2, decision: 'approve', comment: '同意发布' }])
    // the queue and the list reload
    expect(calls.filter((c) => c.url.startsWith('/api/v1/data-apis/reviews')).length).toBe(2)
    expect(calls.filter((c) => c.url.startsWith('/api/v1/data-apis?')).length).toBe(2)
    w.unmount()
  })

  it('rejects; a self-review is refused with the server message in the dialog, in the current language', async () => {
    let self = true
    const sent: unknown[] = []
    const { w } = await listPage(REVIEWER, (method, url, body) => {
      if (method === 'POST' && url === '/api/v1/data-apis/5/review') {
        sent.push(body)
        return self
          ? problem(403, 'dataapi_self_review', { detail: '不能审核自己提交的版本', detail_en: 'You cannot review a version you submitted' })
          : json({ ...API, status: 'rejected' })
      }
      if (url === '/api/v1/data-apis/5/versions') return json([REVIEW])
      return undefined
    })
    await hook(w, 'dapi-review-open-person.info').trigger('click')
    await flushPromises()
    expect(hook(w, 'dapi-review-first').exists()).toBe(true)
    await hook(w, 'dapi-approve').trigger('click')
    await flushPromises()
    expect(hook(w, 'dapi-review-error').attributes('data-code')).toBe('dataapi_self_review')
    expect(hook(w, 'dapi-review-error').text()).toContain('不能审核自己提交的版本')
    expect(document.querySelector('.el-message--error')).toBeNull()
    i18n.setLang('en')
    await flushPromises()
    expect(hook(w, 'dapi-review-error').text()).toContain('You cannot review a version you submitted')

    self = false
    await hook(w, 'dapi-review-comment').setValue('口径不对')
    await hook(w, 'dapi-reject').trigger('click')
    await flushPromises()
    expect(sent.at(-1)).toEqual({ version: 2, decision: 'reject', comment: '口径不对' })
    w.unmount()
  })

  it('rolls back to an approved version that is not published; shows the statistics', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const old: DataApiVersion = { ...V1, version: 1, published: false }
    const current: DataApiVersion = { ...V1, version: 2, published: true }
    const { w, calls } = await listPage(['POST /api/v1/data-apis/{id}/rollback'], (_method, url) => {
      if (url === '/api/v1/data-apis/5/versions') return json([old, current, { ...REVIEW, version: 3 }])
      if (url === '/api/v1/data-apis/5/rollback') return json(API)
      if (url.startsWith('/api/v1/data-apis/5/stats')) {
        return json({ calls: 120, failures: 3, avg_ms: 12.345, p95_ms: 40, days: [{ day: '2026-01-01', calls: 100, failures: 1, avg_ms: 10 }, { day: '2026-01-02', calls: 20, failures: 2, avg_ms: 20 }] })
      }
      return undefined
    })
    await hook(w, 'dapi-versions-person.info').trigger('click')
    await flushPromises()
    expect(hook(w, 'dapi-version-row-2').exists()).toBe(true)
    expect(hook(w, 'dapi-version-current-2').exists()).toBe(true)
    expect(hook(w, 'dapi-rollback-2').exists()).toBe(false)
    expect(hook(w, 'dapi-rollback-3').exists()).toBe(false)
    await hook(w, 'dapi-rollback-1').trigger('click')
    await flushPromises()
    expect(confirm.mock.calls[0]?.[0]).toContain('1')
    expect(calls.find((c) => c.url === '/api/v1/data-apis/5/rollback')?.body).toEqual({ version: 1 })

    await hook(w, 'dapi-stats-person.info').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.url === '/api/v1/data-apis/5/stats?days=7')).toBe(true)
    expect(hook(w, 'dapi-stats-calls').text()).toBe('120')
    expect(hook(w, 'dapi-stats-p95').text()).toBe('40')
    expect(hook(w, 'dapi-stats-avg').text()).toBe('12.3')
    expect(w.findAll('[data-test="dapi-stats-row"]')).toHaveLength(2)
    await hook(w, 'dapi-stats-days-30').find('input').setValue(true)
    await flushPromises()
    expect(calls.some((c) => c.url === '/api/v1/data-apis/5/stats?days=30')).toBe(true)
    w.unmount()
  })
})

describe('数据服务 routes and menu', () => {
  const router = createRouter({ history: createMemoryHistory(), routes })
  const menus: UserMenu[] = [
    {
      id: 50,
      code: 'data',
      type: 'dir',
      name_zh: '数据服务',
      name_en: 'Data services',
      path: '',
      icon: 'Coin',
      external_url: '',
      children: [
        { id: 51, code: 'data.sources', type: 'menu', name_zh: '数据源', name_en: 'Data sources', path: '/data/sources', icon: '', external_url: '' },
        { id: 52, code: 'data.apis', type: 'menu', name_zh: '数据API', name_en: 'Data APIs', path: '/data/apis', icon: '', external_url: '' },
      ],
    },
  ]

  it('every page of the menu has its route; the editor routes highlight 数据API', () => {
    const items = toSidebar(menus, 'zh-CN')
    expect(items[0]?.children.map((c) => c.key)).toEqual(['/data/sources', '/data/apis'])
    for (const c of items[0]?.children ?? []) {
      const r = router.resolve(c.key)
      expect(r.name, c.key).not.toBe('not-found')
      expect(r.meta.title, c.key).toBeTruthy()
    }
    expect(router.resolve('/data/sources').name).toBe('data-sources')
    expect(router.resolve('/data/apis').name).toBe('data-apis')
    const created = router.resolve('/data/apis/new')
    expect(created.name).toBe('data-api-new')
    expect(created.meta.menuPath).toBe('/data/apis')
    const edited = router.resolve('/data/apis/12')
    expect(edited.name).toBe('data-api-edit')
    expect(edited.params.id).toBe('12')
    expect(edited.meta.menuPath).toBe('/data/apis')
  })

  it('page titles in both languages', () => {
    for (const path of ['/data/sources', '/data/apis', '/data/apis/new', '/data/apis/3']) {
      const key = router.resolve(path).meta.title
      expect(key).toBeTruthy()
      expect(i18n.tryT(key as string)).toBeTruthy()
    }
    i18n.setLang('en')
    expect(i18n.t('nav.dataSources')).toBe('Data sources')
    expect(i18n.t('nav.dataApis')).toBe('Data APIs')
  })
})
