// 数据源: the form's logic (fields follow the kind, secrets are write-only), the probe result, and
// the page (groups, keyed rows, the dialog, 测试连接, 迁移到分组) against a stubbed API.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus, { ElMessageBox, ElSelect, ElTable, type TableInstance } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import type { DataSource, DataSourceKind, ProbeResult as Probe } from '@/api/types'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import DataSourcesView from '@/views/data/sources/DataSourcesView.vue'
import ProbeResult from '@/views/data/sources/ProbeResult.vue'
import { ungroupedCount } from '@/views/data/sources/groupFilter'
import { applyKind, emptySourceForm, endpointOf, layoutOf, sourceFormFrom, toSourceInput } from '@/views/data/sources/sourceForm'
import { json, noContent, problem } from './helpers'

const global = { plugins: [ElementPlus], directives: { testRows: vTestRows } }

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

const KINDS: DataSourceKind[] = [
  { kind: 'postgres', label: 'PostgreSQL', label_en: 'PostgreSQL', family: 'sql', default_port: 5432, fields: ['host', 'port', 'database', 'username', 'password', 'options.sslmode'] },
  { kind: 'mysql', label: 'MySQL', label_en: 'MySQL', family: 'sql', default_port: 3306, fields: ['host', 'port', 'database', 'username', 'password', 'options.sslmode'] },
  { kind: 'sqlite', label: 'SQLite', label_en: 'SQLite', family: 'sql', default_port: 0, fields: ['options.path'] },
  {
    kind: 'sftp',
    label: 'SFTP 服务器',
    label_en: 'SFTP server',
    family: 'file',
    default_port: 22,
    fields: ['host', 'port', 'username', 'password', 'private_key', 'options.path', 'options.host_key', 'options.x_custom'],
  },
  { kind: 'ftp', label: 'FTP', label_en: 'FTP', family: 'file', default_port: 21, fields: ['host', 'port', 'username', 'password', 'options.path', 'options.tls', 'options.passive'] },
  { kind: 'rest', label: 'REST 接口', label_en: 'REST API', family: 'api', default_port: 0, fields: ['options.url', 'username', 'password'] },
]
const kindOf = (k: string) => KINDS.find((x) => x.kind === k)

const SOURCE: DataSource = {
  id: 7,
  code: 'si-core',
  name: '社保核心库',
  kind: 'postgres',
  group_id: 2,
  group_name: '省级',
  host: '10.1.2.3',
  port: 5432,
  database: 'si',
  username: 'reader',
  has_password: true,
  has_private_key: false,
  options: { sslmode: 'require' },
  pool: { max_open: 20, max_idle: 4, lifetime_seconds: 600 },
  description: '',
  used_by: 2,
  last_test: { ok: true, code: '', at: '2026-01-01T00:00:00Z' },
  created_at: '',
  updated_at: '',
}

describe('data-source form logic', () => {
  it('splits a kind into base fields and options; pool for SQL only', () => {
    const pg = layoutOf(kindOf('postgres'))
    expect([...pg.base]).toEqual(['host', 'port', 'database', 'username', 'password'])
    expect(pg.options).toEqual(['sslmode'])
    expect(pg.sql).toBe(true)
    const sftp = layoutOf(kindOf('sftp'))
    expect(sftp.base.has('private_key')).toBe(true)
    expect(sftp.options).toEqual(['path', 'host_key', 'x_custom'])
    expect(sftp.sql).toBe(false)
    expect(layoutOf(undefined).base.size).toBe(0)
  })

  it('never fills the secrets from a saved source', () => {
    const f = sourceFormFrom(SOURCE)
    expect(f.password).toBe('')
    expect(f.private_key).toBe('')
    expect(f.pool).toEqual({ max_open: 20, max_idle: 4, lifetime_seconds: 600 })
    expect(f.options).toEqual({ sslmode: 'require' })
    expect(f.options).not.toBe(SOURCE.options)
  })

  it('leaves an empty password and private key out of the body; sends them when typed; clear_secret only when ticked', () => {
    const f = sourceFormFrom(SOURCE)
    const body = toSourceInput(f, kindOf('postgres'))
    expect(body).not.toHaveProperty('password')
    expect(body).not.toHaveProperty('private_key')
    expect(body).not.toHaveProperty('clear_secret')
    expect(body).toEqual({
      code: 'si-core',
      name: '社保核心库',
      kind: 'postgres',
      group_id: 2,
      host: '10.1.2.3',
      port: 5432,
      database: 'si',
      username: 'reader',
      options: { sslmode: 'require' },
      pool: { max_open: 20, max_idle: 4, lifetime_seconds: 600 },
      description: '',
    })
    f.password = ' p@ss '
    expect(toSourceInput(f, kindOf('postgres')).password).toBe(' p@ss ')
    f.clear_secret = true
    expect(toSourceInput(f, kindOf('postgres')).clear_secret).toBe(true)
  })

  it('sends only what the kind shows, switches as "true"/"false", and the default pool for non-SQL kinds', () => {
    const f = emptySourceForm()
    Object.assign(f, { code: 'ftp1', name: 'F', kind: 'ftp', host: 'h', port: 21, database: 'stale', options: { path: '/in', tls: 'true', sslmode: 'stale' } })
    f.pool.max_open = 99
    const body = toSourceInput(f, kindOf('ftp'))
    expect(body.database).toBe('')
    expect(body.options).toEqual({ path: '/in', tls: 'true', passive: 'false' })
    expect(body.pool).toEqual({ max_open: 10, max_idle: 10, lifetime_seconds: 1800 })
  })

  it('follows the kind: default port unless another was typed, FTP passive by default', () => {
    const f = emptySourceForm()
    applyKind(f, kindOf('postgres'), undefined)
    expect(f.port).toBe(5432)
    applyKind(f, kindOf('mysql'), kindOf('postgres'))
    expect(f.port).toBe(3306)
    f.port = 13306
    applyKind(f, kindOf('postgres'), kindOf('mysql'))
    expect(f.port).toBe(13306)
    applyKind(f, kindOf('ftp'), kindOf('postgres'))
    expect(f.options).toMatchObject({ passive: 'true', tls: 'false' })
  })

  it('shows where a source is', () => {
    expect(endpointOf({ host: 'db', port: 5432, options: {} })).toBe('db:5432')
    expect(endpointOf({ host: 'sftp', port: 22, options: { path: 'in' } })).toBe('sftp:22/in')
    expect(endpointOf({ host: '', port: 0, options: { path: '/data/a.db' } })).toBe('/data/a.db')
    expect(endpointOf({ host: '', port: 0, options: { url: 'https://x/api' } })).toBe('https://x/api')
    expect(ungroupedCount(10, [3, 4])).toBe(3)
    expect(ungroupedCount(null, [3])).toBeNull()
  })
})

describe('ProbeResult', () => {
  const failed: Probe = {
    ok: false,
    elapsed_ms: 35,
    steps: [
      { step: 'resolve', ok: true, message: '已解析为 10.1.2.3', message_en: 'Resolved to 10.1.2.3', elapsed_ms: 1 },
      { step: 'connect', ok: true, message: '', message_en: '', elapsed_ms: 4 },
      { step: 'auth', ok: false, code: 'auth_failed', message: '用户名或密码错误', message_en: 'Wrong user name or password', elapsed_ms: 30 },
    ],
  }

  it('marks each step, shows the failing one in red with its message, in the current language', async () => {
    const w = mount(ProbeResult, { props: { result: failed }, global })
    expect(hook(w, 'ds-test-result').attributes('data-ok')).toBe('false')
    expect(hook(w, 'ds-test-summary').text()).toContain('连接测试未通过')
    expect(hook(w, 'ds-test-step-resolve').attributes('data-ok')).toBe('true')
    expect(hook(w, 'ds-test-step-resolve').text()).toContain('解析地址')
    const auth = hook(w, 'ds-test-step-auth')
    expect(auth.attributes('data-ok')).toBe('false')
    expect(auth.text()).toContain('身份认证')
    expect(auth.text()).toContain('用户名或密码错误')
    expect(auth.text()).toContain('auth_failed')
    expect(w.find('.is-failed [data-test="ds-test-step-auth"]').exists()).toBe(true)
    expect(w.find('.is-ok [data-test="ds-test-step-connect"]').exists()).toBe(true)
    i18n.setLang('en')
    await flushPromises()
    expect(hook(w, 'ds-test-step-auth').text()).toContain('Wrong user name or password')
    expect(hook(w, 'ds-test-summary').text()).toContain('failed')
    w.unmount()
  })

  it('offers the SFTP fingerprint only where it can be used', async () => {
    const result: Probe = { ok: true, elapsed_ms: 5, steps: [], fingerprint: 'SHA256:abc' }
    const off = mount(ProbeResult, { props: { result }, global })
    expect(hook(off, 'ds-test-fingerprint').text()).toBe('SHA256:abc')
    expect(hook(off, 'ds-use-fingerprint').exists()).toBe(false)
    const on = mount(ProbeResult, { props: { result, canUseFingerprint: true }, global })
    await hook(on, 'ds-use-fingerprint').trigger('click')
    expect(on.emitted('useFingerprint')?.[0]).toEqual(['SHA256:abc'])
  })
})

// ---- the page ----

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
      if (url === '/api/v1/datasource-groups') return json([{ id: 2, name: '省级', sort: 10, count: 1 }])
      if (url.startsWith('/api/v1/datasources?page=1&page_size=1')) return json({ items: [], total: 3, page: 1, page_size: 1 })
      if (method === 'GET' && url.startsWith('/api/v1/datasources?')) {
        const sqlite = { ...SOURCE, id: 8, code: 'local', name: '本地库', kind: 'sqlite', group_id: null, group_name: '', host: '', port: 0, options: { path: '/data/a.db' }, has_password: false, last_test: null, used_by: 0 }
        return json({ items: [SOURCE, sqlite], total: 2, page: 1, page_size: 20 })
      }
      if (method === 'DELETE') return noContent()
      return json({})
    }),
  )
  return calls
}

const ALL = [
  'POST /api/v1/datasources',
  'PUT /api/v1/datasources/{id}',
  'DELETE /api/v1/datasources/{id}',
  'POST /api/v1/datasources/move',
  'POST /api/v1/datasources/{id}/test',
  'POST /api/v1/datasources/test',
  'POST /api/v1/datasource-groups',
  'PUT /api/v1/datasource-groups/{id}',
  'DELETE /api/v1/datasource-groups/{id}',
]

async function mountPage(permissions = ALL) {
  useSessionStore().permissions = permissions
  const w = mount(DataSourcesView, { global, attachTo: document.body })
  await flushPromises()
  return w
}

function pick(w: VueWrapper, name: string, value: unknown): void {
  const select = w.findAllComponents(ElSelect).find((s) => s.attributes('data-test') === name)
  if (!select) throw new Error(`no select ${name}`)
  select.vm.$emit('update:modelValue', value)
  select.vm.$emit('change', value)
}

describe('数据源 page', () => {
  it('lists groups with counts and sources as keyed rows; picking a group filters; buttons follow permissions', async () => {
    const calls = stubApi()
    const w = await mountPage()
    expect(hook(w, 'ds-groups-all').text()).toContain('3')
    expect(hook(w, 'ds-groups-none').text()).toContain('2') // 3 in all − 1 in 省级
    expect(hook(w, 'ds-group-item-省级').text()).toContain('1')
    const row = hook(w, 'ds-row-si-core')
    expect(row.element.tagName).toBe('TR')
    expect(row.text()).toContain('PostgreSQL')
    expect(row.text()).toContain('10.1.2.3:5432')
    expect(row.text()).toContain('省级')
    expect(hook(w, 'ds-row-local').text()).toContain('/data/a.db')
    expect(hook(w, 'ds-row-local').text()).toContain('未分组')
    expect(w.find('[data-test="ds-last-test-local"]').text()).toContain('未测试')
    for (const h of ['ds-create', 'ds-move', 'ds-edit-si-core', 'ds-probe-si-core', 'ds-delete-si-core', 'ds-group-add', 'ds-group-rename-省级']) expect(hook(w, h).exists(), h).toBe(true)

    await hook(w, 'ds-group-item-省级').trigger('click')
    await flushPromises()
    expect(calls.at(-1)?.url).toBe('/api/v1/datasources?group_id=2&page=1&page_size=20')
    await hook(w, 'ds-groups-none').trigger('click')
    await flushPromises()
    expect(calls.at(-1)?.url).toBe('/api/v1/datasources?group_id=0&page=1&page_size=20')
    w.unmount()

    stubApi()
    const none = await mountPage([])
    expect(hook(none, 'ds-row-si-core').exists()).toBe(true)
    for (const h of ['ds-create', 'ds-move', 'ds-edit-si-core', 'ds-probe-si-core', 'ds-delete-si-core', 'ds-group-add', 'ds-group-rename-省级']) expect(hook(none, h).exists(), h).toBe(false)
    none.unmount()
  })

  it('creates: the kind comes first, and the fields follow it', async () => {
    const calls = stubApi((method, url) => (method === 'POST' && url === '/api/v1/datasources' ? json({ ...SOURCE, id: 9 }, 201) : undefined))
    const w = await mountPage()
    await hook(w, 'ds-create').trigger('click')
    await flushPromises()
    expect(hook(w, 'ds-kind-first').exists()).toBe(true)
    expect(hook(w, 'ds-host').exists()).toBe(false)
    expect(hook(w, 'ds-test').exists()).toBe(false)
    // nothing is sent without a kind: its connection fields are unknown
    await hook(w, 'ds-save').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)

    pick(w, 'ds-kind', 'postgres')
    await flushPromises()
    for (const h of ['ds-host', 'ds-port', 'ds-database', 'ds-username', 'ds-password', 'ds-option-sslmode', 'ds-pool-max-open', 'ds-test']) expect(hook(w, h).exists(), h).toBe(true)
    expect(hook(w, 'ds-private-key').exists()).toBe(false)
    expect((hook(w, 'ds-port').find('input').element as HTMLInputElement).value).toBe('5432')
    expect(hook(w, 'ds-password').attributes('placeholder') ?? '').toBe('')

    pick(w, 'ds-kind', 'sftp')
    await flushPromises()
    expect(hook(w, 'ds-database').exists()).toBe(false)
    expect(hook(w, 'ds-private-key').exists()).toBe(true)
    expect(hook(w, 'ds-option-host_key').exists()).toBe(true)
    expect(hook(w, 'ds-pool-max-open').exists()).toBe(false)
    expect((hook(w, 'ds-port').find('input').element as HTMLInputElement).value).toBe('22')
    // an option the console does not know is a text input labelled with its key
    expect(w.find('[data-test="ds-dialog"]').text()).toContain('x_custom')
    expect(hook(w, 'ds-option-x_custom').element.tagName).toBe('INPUT')

    pick(w, 'ds-kind', 'postgres')
    await flushPromises()
    await hook(w, 'ds-code').setValue('si2')
    await hook(w, 'ds-name').setValue('二号库')
    await hook(w, 'ds-host').setValue('db2')
    await hook(w, 'ds-database').setValue('si')
    await hook(w, 'ds-username').setValue('ro')
    await hook(w, 'ds-password').setValue('s3cret')
    await hook(w, 'ds-save').trigger('click')
    await flushPromises()
    const post = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/datasources')
    expect(post?.body).toEqual({
      code: 'si2',
      name: '二号库',
      kind: 'postgres',
      group_id: null,
      host: 'db2',
      port: 5432,
      database: 'si',
      username: 'ro',
      password: 's3cret',
      options: {},
      pool: { max_open: 10, max_idle: 10, lifetime_seconds: 1800 },
      description: '',
    })
    w.unmount()
  })

  it('edits without pre-filling the password and leaves it out of the PUT when empty', async () => {
    const calls = stubApi((method) => (method === 'PUT' ? json(SOURCE) : undefined))
    const w = await mountPage()
    await hook(w, 'ds-edit-si-core').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect((hook(w, 'ds-password').element as HTMLInputElement).value).toBe('')
    expect(hook(w, 'ds-password').attributes('placeholder')).toBe('已设置（留空则不修改）')
    expect(hook(w, 'ds-password-set').text()).toBe('已设置（留空则不修改）')
    expect(hook(w, 'ds-clear-secret').exists()).toBe(true)
    expect((hook(w, 'ds-host').element as HTMLInputElement).value).toBe('10.1.2.3')
    await hook(w, 'ds-name').setValue('社保核心库（主）')
    await hook(w, 'ds-save').trigger('click')
    await flushPromises()
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.url).toBe('/api/v1/datasources/7')
    expect(put?.body).not.toHaveProperty('password')
    expect(put?.body).not.toHaveProperty('private_key')
    expect(put?.body).toMatchObject({ name: '社保核心库（主）', pool: { max_open: 20, max_idle: 4, lifetime_seconds: 600 }, options: { sslmode: 'require' } })

    // English: the same hint in English.
    i18n.setLang('en')
    await hook(w, 'ds-edit-si-core').trigger('click')
    await flushPromises()
    expect(hook(w, 'ds-password').attributes('placeholder')).toBe('set (leave empty to keep)')
    w.unmount()
  })

  it('tests the unsaved form with the id (no password: the stored one is used) and shows the failing step', async () => {
    const probe: Probe = {
      ok: false,
      elapsed_ms: 12,
      steps: [
        { step: 'resolve', ok: true, message: '', message_en: '', elapsed_ms: 1 },
        { step: 'connect', ok: false, code: 'refused', message: '连接被拒绝（10.1.2.3:5432）', message_en: 'Connection refused', elapsed_ms: 11 },
      ],
    }
    const calls = stubApi((method, url) => (method === 'POST' && url === '/api/v1/datasources/test' ? json(probe) : undefined))
    const w = await mountPage()
    await hook(w, 'ds-edit-si-core').trigger('click')
    await flushPromises()
    await hook(w, 'ds-host').setValue('10.9.9.9')
    await hook(w, 'ds-test').trigger('click')
    await flushPromises()
    const sent = calls.find((c) => c.url === '/api/v1/datasources/test')?.body as Record<string, unknown>
    expect(sent).toMatchObject({ id: 7, host: '10.9.9.9', kind: 'postgres' })
    expect(sent).not.toHaveProperty('password')
    expect(hook(w, 'ds-test-step-connect').text()).toContain('连接被拒绝（10.1.2.3:5432）')
    expect(hook(w, 'ds-test-step-connect').attributes('data-ok')).toBe('false')
    w.unmount()
  })

  it('SFTP: the fingerprint from a test is copied into options.host_key and saved', async () => {
    const sftp: DataSource = { ...SOURCE, id: 10, code: 'ftp-in', kind: 'sftp', port: 22, database: '', options: { path: '/in' }, has_password: false, has_private_key: true }
    const calls = stubApi((method, url) => {
      if (method === 'GET' && url.startsWith('/api/v1/datasources?page=1&page_size=20')) return json({ items: [sftp], total: 1, page: 1, page_size: 20 })
      if (url === '/api/v1/datasources/test') return json({ ok: true, elapsed_ms: 3, steps: [{ step: 'auth', ok: true, message: '', message_en: '', elapsed_ms: 2 }], fingerprint: 'SHA256:Zm9v' })
      if (method === 'PUT') return json(sftp)
      return undefined
    })
    const w = await mountPage()
    await hook(w, 'ds-edit-ftp-in').trigger('click')
    await flushPromises()
    expect(hook(w, 'ds-private-key-set').exists()).toBe(true)
    expect((hook(w, 'ds-private-key').element as HTMLTextAreaElement).value).toBe('')
    await hook(w, 'ds-test').trigger('click')
    await flushPromises()
    await hook(w, 'ds-use-fingerprint').trigger('click')
    expect((hook(w, 'ds-option-host_key').element as HTMLInputElement).value).toBe('SHA256:Zm9v')
    await hook(w, 'ds-save').trigger('click')
    await flushPromises()
    const put = calls.find((c) => c.method === 'PUT')?.body as Record<string, unknown>
    expect(put.options).toEqual({ path: '/in', host_key: 'SHA256:Zm9v' })
    expect(put).not.toHaveProperty('private_key')
    w.unmount()
  })

  it('probes a saved source from its row', async () => {
    const calls = stubApi((_method, url) =>
      url === '/api/v1/datasources/7/test' ? json({ ok: true, elapsed_ms: 8, steps: [{ step: 'query', ok: true, message: 'SELECT 1', message_en: 'SELECT 1', elapsed_ms: 2 }] }) : undefined,
    )
    const w = await mountPage()
    await hook(w, 'ds-probe-si-core').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/datasources/7/test')).toBe(true)
    expect(hook(w, 'ds-test-result').attributes('data-ok')).toBe('true')
    expect(hook(w, 'ds-test-step-query').exists()).toBe(true)
    w.unmount()
  })

  it('moves the selected rows to a group, or out of every group', async () => {
    const calls = stubApi((_method, url) => (url === '/api/v1/datasources/move' ? noContent() : undefined))
    const w = await mountPage()
    expect(hook(w, 'ds-move').attributes('disabled')).toBeDefined()
    const tableWrapper = w.findComponent(ElTable)
    const table = tableWrapper.vm as unknown as TableInstance
    const rows = tableWrapper.props('data' as never) as DataSource[]
    table.toggleRowSelection(rows[0], true)
    table.toggleRowSelection(rows[1], true)
    await flushPromises()
    expect(hook(w, 'ds-move').attributes('disabled')).toBeUndefined()
    await hook(w, 'ds-move').trigger('click')
    await flushPromises()
    pick(w, 'ds-move-group', 2)
    await hook(w, 'ds-move-save').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.url === '/api/v1/datasources/move')?.body).toEqual({ ids: [7, 8], group_id: 2 })
    // the selection is cleared after a move
    expect(hook(w, 'ds-move').attributes('disabled')).toBeDefined()

    table.toggleRowSelection(rows[1], true)
    await flushPromises()
    await hook(w, 'ds-move').trigger('click')
    await flushPromises()
    pick(w, 'ds-move-group', '__ungrouped__')
    await hook(w, 'ds-move-save').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.url === '/api/v1/datasources/move').at(-1)?.body).toEqual({ ids: [8], group_id: null })
    w.unmount()
  })

  it('adds and deletes groups; a group with sources is refused with the server message', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const calls = stubApi((method, url) => {
      if (method === 'POST' && url === '/api/v1/datasource-groups') return json({ id: 3, name: '市级', sort: 20, count: 0 }, 201)
      if (method === 'DELETE' && url === '/api/v1/datasource-groups/2') return problem(409, 'datasource_group_not_empty', { detail: '分组内还有数据源' })
      return undefined
    })
    const w = await mountPage()
    await hook(w, 'ds-group-add').trigger('click')
    await flushPromises()
    await hook(w, 'ds-group-name').setValue('市级')
    await hook(w, 'ds-group-save').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/v1/datasource-groups')?.body).toEqual({ name: '市级', sort: 20 })

    await hook(w, 'ds-group-delete-省级').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/datasource-groups/2')).toBe(true)
    w.unmount()
  })
})
