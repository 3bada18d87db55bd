// Warehouse loads (数据装载) against a stubbed API: the pure helpers (progress, sizes, names, the
// file check, the form's order), the list's rows, progress and permission-gated buttons, the new-load
// dialog (file and data-source tabs, the bodies sent, refusals in place) and the detail's bad rows
// and export.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { fileLoadForm, type LoadDetail, type LoadJob, type WarehouseTables } from '@/api/loads'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import { loadsEn, loadsZh } from '@/i18n/loads'
import { useSessionStore } from '@/stores/session'
import { PERM } from '@/utils/permission'
import DetailDialog from '@/views/supervision/loads/DetailDialog.vue'
import LoadDialog from '@/views/supervision/loads/LoadDialog.vue'
import LoadsView from '@/views/supervision/loads/LoadsView.vue'
import { anyActive, fileProblem, formatBytes, isIdentifier, percent, reasonLabel, sourceLabel, statusTag } from '@/views/supervision/loads/loadLogic'
import { json, mockFetch, problem, type RecordedCall } from './helpers'

// The list refreshes every second while a load runs: unmount it, or it calls the next test's stub.
enableAutoUnmount(afterEach)
beforeEach(() => {
  i18n.setLang('zh-CN')
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const global = () => ({ plugins: [ElementPlus], directives: { testRows: vTestRows } })
const $ = (name: string) => document.body.querySelector<HTMLElement>(`[data-test="${name}"]`)
async function click(name: string): Promise<void> {
  const el = $(name)
  if (!el) throw new Error(`no ${name}`)
  el.click()
  await flushPromises()
}
async function type(name: string, value: string): Promise<void> {
  const el = document.body.querySelector<HTMLInputElement>(`input[data-test="${name}"], [data-test="${name}"] input`)
  if (!el) throw new Error(`no input ${name}`)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}
async function pickFile(file: File): Promise<void> {
  const input = $('ld-file') as HTMLInputElement
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change'))
  await flushPromises()
}

// Until PERM has the ld* keys, can('ldCancel') looks the key up as a permission itself: grant both
// forms so the test holds before and after they are added.
const LD_PERMS = {
  ldStartFile: 'POST /api/v1/warehouse/loads/file',
  ldStartSource: 'POST /api/v1/warehouse/loads/datasource',
  ldCancel: 'POST /api/v1/warehouse/loads/{id}/cancel',
} as const
function grant(...keys: (keyof typeof LD_PERMS)[]): void {
  const perms: string[] = []
  for (const k of keys) {
    perms.push(k, LD_PERMS[k])
    const known = (PERM as Record<string, string>)[k]
    if (known) expect(known).toBe(LD_PERMS[k])
  }
  useSessionStore().permissions = perms
}

function stub(respond: (url: string, init: RequestInit) => Response) {
  const { fetch, calls } = mockFetch(respond)
  vi.stubGlobal('fetch', fetch)
  return calls
}
const bodyOf = (c: RecordedCall | undefined) => JSON.parse(String(c?.init.body ?? 'null'))

const job = (over: Partial<LoadJob> = {}): LoadJob => ({
  id: 7, kind: 'file', table: 'death', mode: 'append', encoding: 'auto', sheet: '', file_name: '死亡.csv', file_size: 2048,
  datasource_id: null, datasource_name: '', source_table: '', watermark_column: '', watermark_after: '', status: 'succeeded',
  read: 10, loaded: 8, bad: 2, bytes: 2048, total_bytes: 2048, encoding_used: 'utf-8', ignored: [], error: '', created_by: 'jianguan',
  queued_at: '2026-03-01T00:00:00Z', started_at: '2026-03-01T00:00:01Z', finished_at: '2026-03-01T00:00:03Z', duration_ms: 2000, ...over,
})

const tables: WarehouseTables = {
  max_file_bytes: 1024 * 1024,
  file_types: ['.csv', '.tsv', '.txt', '.parquet', '.xlsx', '.xlsm'],
  tables: [
    {
      name: 'death', comment: '死亡信息', key: [], rows: 12, busy: false,
      columns: [
        { name: 'aac002', type: 'VARCHAR(18)', comment: '公民身份号码', required: true, computed: false },
        { name: 'death_ym', type: 'INTEGER', comment: 'YYYYMM (helper)', required: false, computed: true },
      ],
    },
    { name: 'ac01', comment: '人员基本信息', key: ['aac001'], rows: 0, busy: false, columns: [] },
  ],
}

describe('load helpers', () => {
  it('measures progress by bytes, or not at all for tables', () => {
    expect(percent({ status: 'running', bytes: 512, total_bytes: 2048 })).toBe(25)
    expect(percent({ status: 'running', bytes: 10, total_bytes: 0 })).toBeNull()
    expect(percent({ status: 'succeeded', bytes: 0, total_bytes: 0 })).toBe(100)
    expect(anyActive([job(), job({ status: 'queued' })])).toBe(true)
    expect(anyActive([job(), job({ status: 'cancelled' })])).toBe(false)
    expect(statusTag('failed')).toBe('danger')
    expect(statusTag('???')).toBe('info')
  })

  it('formats sizes and names sources', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.00 GB')
    expect(sourceLabel(job())).toBe('死亡.csv')
    expect(sourceLabel(job({ kind: 'datasource', datasource_name: '民政库', source_table: 'mz.deaths' }))).toBe('民政库 · mz.deaths')
  })

  it('checks names and files as the server would', () => {
    expect(isIdentifier('mz.deaths', 3)).toBe(true)
    expect(isIdentifier('a.b.c.d', 3)).toBe(false)
    expect(isIdentifier('deaths; drop', 3)).toBe(false)
    expect(isIdentifier('updated_at', 1)).toBe(true)
    expect(isIdentifier('t.updated_at', 1)).toBe(false)
    const types = tables.file_types
    expect(fileProblem(new File(['a'], 'x.CSV'), types, 10)).toBe('')
    expect(fileProblem(null, types, 10)).not.toBe('')
    expect(fileProblem(new File(['a'], 'x.xls'), types, 10)).not.toBe('')
    expect(fileProblem(new File(['a'.repeat(11)], 'x.csv'), types, 10)).not.toBe('')
  })

  it('translates a reason code, else shows the loader’s words', () => {
    const mounted = i18n.te('ld.title')
    const row = { reason: 'date', zh: '不是有效的日期（YYYY-MM-DD）', en: 'not a valid date' }
    expect(reasonLabel(row)).toBe(mounted ? loadsZh.reasons.date : row.zh)
    expect(reasonLabel({ reason: 'new_code', zh: '新原因', en: 'new reason' })).toBe('新原因')
  })

  it('sends the fields before the file', () => {
    const form = fileLoadForm({ table: 'death', mode: 'replace', encoding: 'gbk', sheet: ' ' }, new File(['a'], 'd.csv'))
    expect([...form.keys()]).toEqual(['table', 'mode', 'encoding', 'file'])
    expect(form.get('mode')).toBe('replace')
  })

  it('has every message in both languages', () => {
    const shape = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [k] : shape(v).map((s) => `${k}.${s}`)))
    expect(shape(loadsEn)).toEqual(shape(loadsZh))
  })
})

describe('loads list', () => {
  const page = (items: LoadJob[]) => ({ items, total: items.length, page: 1, page_size: 20 })
  const respond = (items: LoadJob[]) => (url: string) => (url.includes('/warehouse/tables') ? json(tables) : json(page(items)))

  it('shows each load with its state and the progress of a running one', async () => {
    grant('ldCancel', 'ldStartFile')
    stub(respond([job({ id: 9, status: 'running', bytes: 1024, total_bytes: 2048, loaded: 5, bad: 0 }), job()]))
    mount(LoadsView, { global: global(), attachTo: document.body })
    await flushPromises()
    expect($('ld-row-9')).not.toBeNull()
    expect($('ld-status-9')?.getAttribute('data-status')).toBe('running')
    expect($('ld-status-7')?.getAttribute('data-status')).toBe('succeeded')
    expect($('ld-progress-9')?.getAttribute('aria-valuenow')).toBe('50')
    expect($('ld-progress-7')).toBeNull()
    expect($('ld-cancel-9')).not.toBeNull()
    expect($('ld-cancel-7')).toBeNull() // finished: nothing to cancel
    expect($('ld-view-7')).not.toBeNull()
    expect($('ld-auto')).not.toBeNull() // refreshing while one runs
    expect($('ld-create')).not.toBeNull()
  })

  it('hides what the user may not do, and stops refreshing once nothing runs', async () => {
    grant()
    stub(respond([job({ id: 9, status: 'running' })]))
    mount(LoadsView, { global: global(), attachTo: document.body })
    await flushPromises()
    expect($('ld-cancel-9')).toBeNull()
    expect($('ld-create')).toBeNull()
  })

  it('cancels after asking, then reloads', async () => {
    grant('ldCancel')
    let cancelled = false
    const calls = stub((url, init) => {
      if (url.includes('/warehouse/tables')) return json(tables)
      if (init.method === 'POST') {
        cancelled = true
        return json(job({ id: 9, status: 'cancelled' }))
      }
      return json(page([job({ id: 9, status: cancelled ? 'cancelled' : 'running' })]))
    })
    mount(LoadsView, { global: global(), attachTo: document.body })
    await flushPromises()
    await click('ld-cancel-9')
    document.body.querySelector<HTMLElement>('.el-message-box__btns .el-button--primary')?.click()
    await flushPromises()
    await flushPromises()
    expect(calls.some((c) => c.init.method === 'POST' && c.url.endsWith('/warehouse/loads/9/cancel'))).toBe(true)
    expect($('ld-status-9')?.getAttribute('data-status')).toBe('cancelled')
    expect($('ld-auto')).toBeNull()
  })
})

describe('new load dialog', () => {
  async function open(props: Partial<{ canFile: boolean; canSource: boolean }> = {}) {
    const w = mount(LoadDialog, {
      props: { modelValue: false, tables: tables.tables, maxBytes: tables.max_file_bytes, fileTypes: tables.file_types, canFile: true, canSource: true, ...props },
      global: global(),
      attachTo: document.body,
    })
    await w.setProps({ modelValue: true })
    await flushPromises()
    return w
  }

  it('uploads the file with the table, mode and encoding, fields first', async () => {
    const calls = stub(() => json(job({ id: 11, status: 'queued' }), 202))
    const w = await open()
    await pickFile(new File(['aac002\n'], '死亡.csv', { type: 'text/csv' }))
    expect($('ld-file-name')?.textContent).toContain('死亡.csv')
    await click('ld-table-option-death')
    expect($('ld-column-aac002')?.getAttribute('data-required')).toBe('true')
    expect($('ld-column-death_ym')?.getAttribute('data-computed')).toBe('true')
    await click('ld-mode-replace')
    expect($('ld-replace-warning')).not.toBeNull()
    await click('ld-encoding-option-gbk')
    await click('ld-submit')
    const post = calls.find((c) => c.init.method === 'POST')
    expect(post?.url).toContain('/warehouse/loads/file')
    const form = post?.init.body as FormData
    expect([...form.keys()]).toEqual(['table', 'mode', 'encoding', 'file'])
    expect([form.get('table'), form.get('mode'), form.get('encoding')]).toEqual(['death', 'replace', 'gbk'])
    expect((form.get('file') as File).name).toBe('死亡.csv')
    expect(w.emitted('started')?.[0]?.[0]).toMatchObject({ id: 11 })
  })

  it('refuses to send without a file or a table', async () => {
    const calls = stub(() => json({}))
    const w = await open()
    await click('ld-submit')
    expect(calls).toHaveLength(0)
    expect(document.body.querySelectorAll('.el-form-item.is-error').length).toBe(2)
    await pickFile(new File(['x'], 'a.exe'))
    await click('ld-table-option-death')
    await click('ld-submit')
    expect(calls).toHaveLength(0)
    expect(w.emitted('started')).toBeUndefined()
  })

  it('shows a busy table in place, and the server’s field errors under the fields', async () => {
    let answer = problem(409, 'load_table_busy', { detail: '该表已有装载任务在排队或运行' })
    stub(() => answer)
    const w = await open()
    await pickFile(new File(['aac002\n'], 'd.csv'))
    await click('ld-table-option-death')
    await click('ld-submit')
    expect($('ld-error')?.getAttribute('data-code')).toBe('load_table_busy')
    answer = problem(422, 'validation_failed', { errors: [{ field: 'table', code: 'not_found' }] })
    await click('ld-submit')
    expect($('ld-error')).toBeNull()
    expect(document.body.querySelector('.el-form-item.is-error [data-test="ld-table"]')).not.toBeNull()
    expect(w.emitted('started')).toBeUndefined()
  })

  it('starts a data-source load from the source tab', async () => {
    const calls = stub((url) =>
      url.includes('/warehouse/sources') ? json([{ id: 3, code: 'mz', name: '民政库', kind: 'postgres' }]) : json(job({ id: 12, kind: 'datasource', status: 'queued' }), 202),
    )
    await open()
    await click('ld-tab-source')
    await click('ld-source-option-mz')
    await type('ld-source-table', ' mz.deaths ')
    await type('ld-watermark', 'bad name')
    await click('ld-table-option-death')
    await click('ld-submit')
    expect(calls.filter((c) => c.init.method === 'POST')).toHaveLength(0) // the watermark is not a column name
    await type('ld-watermark', 'updated_at')
    await click('ld-submit')
    const post = calls.find((c) => c.init.method === 'POST')
    expect(post?.url).toContain('/warehouse/loads/datasource')
    expect(bodyOf(post)).toEqual({ datasource_id: 3, source_table: 'mz.deaths', watermark: 'updated_at', table: 'death', mode: 'append' })
  })

  it('offers only the tabs the user may use', async () => {
    stub(() => json([]))
    await open({ canFile: false })
    expect($('ld-tab-file')).toBeNull()
    expect($('ld-source')).not.toBeNull()
  })
})

describe('load detail', () => {
  it('lists the bad rows and exports them', async () => {
    const detail: LoadDetail = {
      ...job({ bad: 3 }),
      bad_rows: [
        { line: 3, column: 'aac002', value: '520102********1234', reason: 'id', zh: '公民身份号码校验不通过', en: 'x' },
        { line: 5, column: '', value: '7', reason: 'columns', zh: '列数不符', en: 'x' },
      ],
    }
    const calls = stub((url) =>
      url.endsWith('bad-rows.csv')
        ? new Response('\uFEFFline\n', { headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="load-7-death-bad-rows.csv"' } })
        : json(detail),
    )
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() }))
    const w = mount(DetailDialog, { props: { modelValue: false, job: job({ bad: 3 }) }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    expect(calls[0]?.url).toContain('/warehouse/loads/7')
    expect(document.body.querySelectorAll('[data-test="ld-bad-row"]')).toHaveLength(2)
    expect([...document.body.querySelectorAll('[data-reason]')].map((e) => e.getAttribute('data-reason'))).toEqual(['id', 'columns'])
    expect($('ld-detail-status')?.getAttribute('data-status')).toBe('succeeded')
    await click('ld-bad-export')
    expect(calls.some((c) => c.url.endsWith('/warehouse/loads/7/bad-rows.csv'))).toBe(true)
  })
})
