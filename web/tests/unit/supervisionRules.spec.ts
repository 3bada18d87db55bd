// The rule library (规则库) and the runs (调度管理): the schedule builder and parser, the rule and run
// logic, and the pages against a stubbed API — permission-gated buttons, the dry run's hits and its
// problem in place, the rule editor, the task-group dialog, 立即运行 and the 2 s auto-refresh.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Run, SupRule, TaskGroup } from '@/api/supervision'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { PERM, type PermKey } from '@/utils/permission'
import RulesView from '@/views/supervision/rules/RulesView.vue'
import { canSwitch, checkParamNames, cityValues, dryRunValues, emptyRuleFilters, filterRules, newParamRow, overrideRows, toRuleInput, emptyRuleForm, formatAmount } from '@/views/supervision/rules/ruleLogic'
import { anyActive, formatDuration, isActive, progress, runTag } from '@/views/supervision/runs/runLogic'
import RunsView from '@/views/supervision/runs/RunsView.vue'
import { buildSchedule, describeSchedule, emptySchedule, isTime, parseSchedule } from '@/views/supervision/runs/schedule'
import { json, mockFetch, problem, type RecordedCall } from './helpers'

beforeEach(() => {
  i18n.setLang('zh-CN')
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

// ---- fixtures ----

const rule = (over: Partial<SupRule>): SupRule => ({
  code: 'R1',
  name: '死亡人员继续领取养老金',
  insurance: '110',
  scope: '通用',
  description: '领取待遇人员死亡后仍发放养老金',
  legal_basis: '《社会保险法》第八十八条',
  sql: 'SELECT … WHERE months >= ${months}',
  params: [{ name: 'months', type: 'integer', default: '1', description: '死亡后的月数' }],
  severity: 'high',
  enabled: true,
  builtin: true,
  overrides: { '5201': { months: '2' } },
  ...over,
})

const RULES: SupRule[] = [
  rule({}),
  rule({ code: 'R2', name: '重复参保', insurance: '', scope: '部省通用', severity: 'low', enabled: false, params: [], overrides: {} }),
  rule({ code: 'GZ01', name: '本地高额报销', insurance: '310', scope: '本地专用', severity: 'medium', builtin: false, active_version: 1, latest_version: 2, overrides: {} }),
]

const HITS = [
  { rule_code: 'R1', subject: '520102195001011234', subject_name: '张三', region: '520102', insurance: '110', period: '202601', amount: 12345.6, evidence: '死亡日期 2025-10-01，仍发放 3 个月' },
  { rule_code: 'R1', subject: '520102195202021234', subject_name: '李四', region: '520103', insurance: '110', period: '202601', amount: 800, evidence: '死亡日期 2025-12-01' },
]

const group = (over: Partial<TaskGroup>): TaskGroup => ({
  id: 1,
  name: '每日筛查',
  rule_codes: ['R1', 'GZ01'],
  schedule: 'daily 02:00',
  enabled: true,
  last_fired_at: null,
  next_at: '2026-03-02T18:00:00Z',
  created_by: 'admin',
  created_at: '2026-03-01T00:00:00Z',
  updated_at: '2026-03-01T00:00:00Z',
  ...over,
})

const run = (over: Partial<Run>): Run => ({
  id: 7,
  group_id: 1,
  group_name: '每日筛查',
  trigger: 'manual',
  rule_codes: ['R1', 'GZ01'],
  status: 'succeeded',
  total: 2,
  done: 2,
  hits: 5,
  new_warnings: 3,
  reopened: 1,
  cancelled: false,
  error: '',
  results: [
    { code: 'R1', name: '死亡人员继续领取养老金', hits: 4, new: 2, reopened: 1, elapsed_ms: 1200, error: '' },
    { code: 'GZ01', name: '本地高额报销', hits: 1, new: 1, reopened: 0, elapsed_ms: 300, error: '' },
  ],
  created_by: 'admin',
  queued_at: '2026-03-01T02:00:00Z',
  started_at: '2026-03-01T02:00:01Z',
  finished_at: '2026-03-01T02:00:03Z',
  duration_ms: 2000,
  ...over,
})

// ---- mounting ----

const READ = ['GET /api/v1/supervision/rules', 'GET /api/v1/supervision/groups', 'GET /api/v1/supervision/runs']
const ALL: PermKey[] = ['svRuleWrite', 'svRuleParams', 'svRuleSave', 'svRuleActivate', 'svDryRun', 'svGroupCreate', 'svGroupUpdate', 'svGroupDelete', 'svRunStart', 'svRunCancel']

function grant(keys: PermKey[]): void {
  useSessionStore().permissions = [...READ, ...keys.map((k) => PERM[k])]
}

const router = () => createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: defineComponent({ render: () => h('div') }) }] })
const $ = (name: string) => document.body.querySelector<HTMLElement>(`[data-test="${name}"]`)
const $$ = (prefix: string) => [...document.body.querySelectorAll<HTMLElement>(`[data-test^="${prefix}"]`)].map((e) => e.getAttribute('data-test'))
async function click(name: string): Promise<void> {
  const el = $(name)
  if (!el) throw new Error(`no ${name}`)
  el.click()
  await flushPromises()
}
async function type(name: string, value: string): Promise<void> {
  const el = document.body.querySelector<HTMLInputElement | HTMLTextAreaElement>(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input`)
  if (!el) throw new Error(`no input ${name}`)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}
const body = (c: RecordedCall | undefined) => JSON.parse(String(c?.init.body))
const sent = (calls: RecordedCall[], method: string, url: string) => calls.filter((c) => (c.init.method ?? 'GET') === method && c.url.startsWith(url))

async function mountPage(page: typeof RulesView | typeof RunsView, respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const m = mockFetch(respond)
  vi.stubGlobal('fetch', m.fetch)
  const w: VueWrapper = mount(page, { global: { plugins: [ElementPlus, router()], directives: { testRows: vTestRows } }, attachTo: document.body })
  await flushPromises()
  return { w, calls: m.calls }
}

// ---- pure logic ----

describe('schedule builder and parser', () => {
  it('round-trips every kind the server reads', () => {
    for (const s of ['', 'daily 02:00', 'weekly 1 08:30', 'weekly 7 23:59', 'monthly 1 00:00', 'monthly 28 12:05', 'cron 30 2 * * 1-5']) {
      const f = parseSchedule(s)
      expect(f, s).not.toBeNull()
      expect(buildSchedule(f!)).toBe(s)
    }
    expect(parseSchedule('weekly 3 08:30')).toMatchObject({ kind: 'weekly', weekday: 3, time: '08:30' })
    expect(parseSchedule('monthly 15 01:00')).toMatchObject({ kind: 'monthly', monthday: 15, time: '01:00' })
    expect(parseSchedule('  daily   02:00 ')).toMatchObject({ kind: 'daily', time: '02:00' })
    expect(buildSchedule({ ...emptySchedule(), kind: 'manual', time: '09:00' })).toBe('')
    expect(parseSchedule('cron  0 */6 * * *')).toMatchObject({ kind: 'cron', cron: '0 */6 * * *' })
    expect(buildSchedule({ ...emptySchedule(), kind: 'cron', cron: ' 0  1 1,16 * * ' })).toBe('cron 0 1 1,16 * *')
    expect(parseSchedule('cron 0 2 * *')).toBeNull() // four fields
  })

  it('refuses what the server refuses', () => {
    for (const s of ['hourly', 'daily', 'daily 2:00', 'daily 24:00', 'daily 02:60', 'daily 02:00 x', 'weekly 0 02:00', 'weekly 8 02:00', 'monthly 29 02:00', 'monthly x 02:00', 'weekly 02:00']) {
      expect(parseSchedule(s), s).toBeNull()
    }
    expect(isTime('00:00')).toBe(true)
    expect(isTime('23:59')).toBe(true)
    expect(isTime('7:00')).toBe(false)
  })

  it('says the schedule in words, in both languages', () => {
    expect(describeSchedule('')).toBe('仅手动运行')
    expect(describeSchedule('daily 02:00')).toBe('每天 02:00')
    expect(describeSchedule('weekly 1 08:30')).toBe('每周一 08:30')
    expect(describeSchedule('monthly 5 01:00')).toBe('每月 5 日 01:00')
    expect(describeSchedule('cron 30 2 * * 1-5')).toBe('cron 30 2 * * 1-5（北京时间）')
    expect(describeSchedule('cron */5')).toBe('cron */5')
    i18n.setLang('en')
    expect(describeSchedule('weekly 7 08:30')).toBe('Every Sunday at 08:30')
  })
})

describe('run and rule logic', () => {
  it('tells active runs, their progress, tags and durations', () => {
    expect(isActive({ status: 'queued' })).toBe(true)
    expect(isActive({ status: 'running' })).toBe(true)
    expect(anyActive([{ status: 'succeeded' }, { status: 'warning' }, { status: 'failed' }])).toBe(false)
    expect(anyActive([{ status: 'succeeded' }, { status: 'running' }])).toBe(true)
    expect(progress({ done: 1, total: 3 })).toBe(33)
    expect(progress({ done: 0, total: 0 })).toBe(0)
    expect(runTag('failed')).toBe('danger')
    expect(runTag('warning')).toBe('warning')
    expect(formatDuration(850)).toBe('850 毫秒')
    expect(formatDuration(12_340)).toBe('12.3 秒')
    expect(formatDuration(125_000)).toBe('2 分 5 秒')
    expect(formatDuration(null)).toBe('')
  })

  it('filters the library by words, 险种 (several), scope, severity and state', () => {
    const f = emptyRuleFilters()
    expect(filterRules(RULES, f)).toHaveLength(3)
    expect(filterRules(RULES, { ...f, q: 'gz' }).map((r) => r.code)).toEqual(['GZ01'])
    expect(filterRules(RULES, { ...f, q: '重复' }).map((r) => r.code)).toEqual(['R2'])
    expect(filterRules(RULES, { ...f, insurance: 'other' }).map((r) => r.code)).toEqual(['R2'])
    expect(filterRules(RULES, { ...f, insurance: '310' }).map((r) => r.code)).toEqual(['GZ01'])
    expect(filterRules(RULES, { ...f, scope: '本地专用' }).map((r) => r.code)).toEqual(['GZ01'])
    expect(filterRules(RULES, { ...f, severity: 'high' }).map((r) => r.code)).toEqual(['R1'])
    expect(filterRules(RULES, { ...f, enabled: 'off' }).map((r) => r.code)).toEqual(['R2'])
    // a cleared select may leave undefined: no filter
    expect(filterRules(RULES, { ...f, scope: undefined as unknown as string })).toHaveLength(3)
    expect(canSwitch(RULES[2]!)).toBe(true)
    expect(canSwitch({ builtin: false, active_version: 0 })).toBe(false)
  })

  it('sends the rule form trimmed, without blank parameter rows or empty defaults', () => {
    const form = { ...emptyRuleForm(), code: ' GZ02 ', name: ' 高额 ', sql: 'SELECT 1', params: [newParamRow({ name: ' limit ', type: 'number', default: ' 5000 ' }), newParamRow({ name: 'from', type: 'date' }), newParamRow()] }
    expect(toRuleInput(form)).toEqual({
      code: 'GZ02',
      name: '高额',
      insurance: '',
      scope: '本地专用',
      severity: 'medium',
      description: '',
      legal_basis: '',
      sql: 'SELECT 1',
      params: [
        { name: 'limit', type: 'number', default: '5000', description: '' },
        { name: 'from', type: 'date', description: '' },
      ],
    })
    expect(checkParamNames([{ name: 'a' }, { name: '1x' }, { name: 'a' }, { name: 'xt_city' }, { name: '' }])).toEqual({ 1: 'paramNameFormat', 2: 'paramNameDuplicate', 3: 'paramNameReserved' })
  })

  it('builds a city’s values, a dry run’s values and the overrides table', () => {
    const params = [{ name: 'months' }, { name: 'limit' }]
    expect(cityValues(params, { months: ' 3 ', other: 'x' })).toEqual({ months: '3', limit: '' })
    expect(dryRunValues(params, { months: ' 3 ', limit: ' ' })).toEqual({ months: '3' })
    expect(overrideRows({ overrides: { '5203': { a: '1' }, '5201': { a: '2' } } }).map((r) => r.city)).toEqual(['5201', '5203'])
    expect(overrideRows({ overrides: null })).toEqual([])
    expect(formatAmount(12345.6)).toBe('12,345.60')
  })
})

// ---- 规则库 ----

describe('规则库 page', () => {
  const answers = (url: string, init: RequestInit): Response => {
    const method = init.method ?? 'GET'
    if (url === '/api/v1/supervision/rules' && method === 'GET') return json(RULES)
    if (url === '/api/v1/supervision/rules/R1/enabled') return json({ ...RULES[0], enabled: false })
    if (url === '/api/v1/supervision/rules/dry-run') return json(HITS)
    if (url.startsWith('/api/v1/supervision/rules/GZ01/versions') && method === 'GET')
      return json([
        { version: 1, rule: RULES[2], active: true, created_by: 'admin', created_at: '2026-03-01T00:00:00Z' },
        { version: 2, rule: { ...RULES[2], name: '本地高额报销（新）' }, active: false, created_by: 'admin', created_at: '2026-03-02T00:00:00Z' },
      ])
    return json({})
  }

  it('lists every rule; without write rights shows no switch, editor or dry run, only 详情', async () => {
    grant([])
    const { w } = await mountPage(RulesView, answers)
    expect($$('sv-rule-row-')).toEqual(['sv-rule-row-R1', 'sv-rule-row-R2', 'sv-rule-row-GZ01'])
    for (const hook of ['sv-rule-create', 'sv-rule-enabled-R1', 'sv-rule-dryrun-R1', 'sv-rule-edit-GZ01']) expect($(hook), hook).toBeNull()
    expect($('sv-rule-view-R1')).not.toBeNull()
    expect($('sv-rule-state-R2')?.textContent).toContain('停用')
    expect(document.querySelector('[data-test$="-undefined"]')).toBeNull()
    w.unmount()
  })

  it('with the rights: the switch, 试运行, 新建规则, and 编辑 for user-defined rules only', async () => {
    grant(ALL)
    const { w } = await mountPage(RulesView, answers)
    expect($('sv-rule-create')).not.toBeNull()
    expect($('sv-rule-enabled-R1')).not.toBeNull()
    expect($('sv-rule-dryrun-R2')).not.toBeNull()
    expect($('sv-rule-edit-GZ01')).not.toBeNull()
    expect($('sv-rule-edit-R1')).toBeNull()
    w.unmount()
  })

  it('filters as the words are typed', async () => {
    grant([])
    const { w } = await mountPage(RulesView, answers)
    await type('sv-rule-search', '养老金')
    expect($$('sv-rule-row-')).toEqual(['sv-rule-row-R1'])
    await click('sv-rule-reset-filters')
    expect($$('sv-rule-row-')).toHaveLength(3)
    w.unmount()
  })

  it('switches a rule off with PUT …/enabled', async () => {
    grant(['svRuleWrite'])
    const { w, calls } = await mountPage(RulesView, answers)
    await click('sv-rule-enabled-R1')
    const put = sent(calls, 'PUT', '/api/v1/supervision/rules/R1/enabled')
    expect(body(put[0])).toEqual({ enabled: false })
    expect($('sv-rule-enabled-R1')?.classList.contains('is-checked')).toBe(false)
    w.unmount()
  })

  it('试运行 sends the code, the values given and the limit, and lists the hits', async () => {
    grant(['svDryRun'])
    const { w, calls } = await mountPage(RulesView, answers)
    await click('sv-rule-dryrun-R1')
    expect($('sv-dryrun-dialog')).not.toBeNull()
    await type('sv-dryrun-value-months', ' 3 ')
    await click('sv-dryrun-run')
    expect(body(sent(calls, 'POST', '/api/v1/supervision/rules/dry-run')[0])).toEqual({ code: 'R1', values: { months: '3' }, limit: 20 })
    expect($('sv-hits-table')).not.toBeNull()
    const rows = document.querySelectorAll('[data-test="sv-hit-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]?.textContent).toContain('520102195001011234')
    expect(rows[0]?.textContent).toContain('12,345.60')
    expect($('sv-dryrun-count')?.textContent).toContain('2')
    w.unmount()
  })

  it('shows a failed dry run in place, without a toast', async () => {
    grant(['svDryRun'])
    const { w } = await mountPage(RulesView, (url, init) =>
      url.endsWith('/dry-run') ? problem(503, 'supervision_no_warehouse', { detail: '未配置数据仓库，无法运行规则' }) : answers(url, init),
    )
    await click('sv-rule-dryrun-R2')
    await click('sv-dryrun-run')
    expect($('sv-dryrun-error')?.getAttribute('data-code')).toBe('supervision_no_warehouse')
    expect($('sv-dryrun-error')?.textContent).toContain('未配置数据仓库')
    expect(document.querySelector('.el-message')).toBeNull()
    expect($('sv-hits-table')).toBeNull()
    w.unmount()
  })

  it('详情 shows the text, the parameters with defaults and the cities’ overrides; a city’s values are saved whole', async () => {
    grant(['svRuleParams'])
    const { w, calls } = await mountPage(RulesView, (url, init) =>
      url.endsWith('/R1/params') ? json({ ...RULES[0], overrides: { '5201': { months: '2' }, '5203': { months: '4' } } }) : answers(url, init),
    )
    await click('sv-rule-view-R1')
    expect($('sv-rule-detail-legal-basis')?.textContent).toContain('第八十八条')
    expect($('sv-rule-detail-sql')?.textContent).toContain('${months}')
    expect($('sv-rule-detail-param-months')?.textContent).toContain('1')
    expect($('sv-rule-override-row-5201')?.textContent).toContain('2')
    await click('sv-rule-override-add')
    await type('sv-params-city', '52')
    await click('sv-params-save')
    expect(sent(calls, 'PUT', '/api/v1/supervision/rules/R1/params')).toHaveLength(0)
    await type('sv-params-city', '5203')
    await type('sv-params-value-months', '4')
    await click('sv-params-save')
    expect(body(sent(calls, 'PUT', '/api/v1/supervision/rules/R1/params')[0])).toEqual({ city: '5203', values: { months: '4' } })
    expect($('sv-rule-override-row-5203')).not.toBeNull()
    w.unmount()
  })

  it('the editor tests the unsaved rule, and shows a refused save in place', async () => {
    grant(['svRuleSave', 'svDryRun'])
    const { w, calls } = await mountPage(RulesView, (url, init) =>
      url === '/api/v1/supervision/custom-rules' ? problem(409, 'supervision_builtin_rule', { detail: '内置规则不能被自定义规则覆盖' }) : answers(url, init),
    )
    await click('sv-rule-create')
    await type('sv-rule-code', 'R1')
    await type('sv-rule-name', '改写')
    await type('sv-rule-sql', 'SELECT 1')
    await click('sv-rule-param-add')
    await type('sv-rule-param-name-0', 'limit')
    await click('sv-rule-test-run')
    const test = body(sent(calls, 'POST', '/api/v1/supervision/rules/dry-run')[0])
    expect(test.rule).toMatchObject({ code: 'R1', name: '改写', sql: 'SELECT 1', params: [{ name: 'limit', type: 'string', description: '' }] })
    expect(document.querySelectorAll('[data-test="sv-hit-row"]')).toHaveLength(2)

    await click('sv-rule-save')
    expect(sent(calls, 'POST', '/api/v1/supervision/custom-rules')).toHaveLength(1)
    expect($('sv-rule-save-error')?.getAttribute('data-code')).toBe('supervision_builtin_rule')
    expect($('sv-rule-save-error')?.textContent).toContain('内置规则')
    expect(document.querySelector('.el-message--success')).toBeNull()
    w.unmount()
  })

  it('a saved rule stays in the editor with its versions; 启用此版本 activates one', async () => {
    grant(['svRuleSave', 'svRuleActivate'])
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const { w, calls } = await mountPage(RulesView, (url, init) => {
      if (url === '/api/v1/supervision/custom-rules') return json({ version: 2, rule: RULES[2], active: false, created_by: 'admin', created_at: '2026-03-02T00:00:00Z' }, 201)
      if (url.endsWith('/versions/2/activate')) return json({ ...RULES[2], active_version: 2 })
      return answers(url, init)
    })
    await click('sv-rule-edit-GZ01')
    expect(($('sv-rule-code') as HTMLInputElement).disabled).toBe(true)
    await click('sv-rule-save')
    expect(body(sent(calls, 'POST', '/api/v1/supervision/custom-rules')[0])).toMatchObject({ code: 'GZ01', name: '本地高额报销' })
    expect($('sv-rule-editor')).not.toBeNull()
    expect($('sv-rule-version-row-2')).not.toBeNull()
    expect($('sv-rule-activate-1')).toBeNull() // the active one
    await click('sv-rule-activate-2')
    expect(sent(calls, 'POST', '/api/v1/supervision/rules/GZ01/versions/2/activate')).toHaveLength(1)
    w.unmount()
  })
})

// ---- 调度管理 ----

describe('调度管理 page', () => {
  const groups = [group({}), group({ id: 2, name: '月度专项', schedule: '', enabled: false, next_at: null, rule_codes: ['R2'] })]
  const page = (items: Run[]) => json({ items, total: items.length, page: 1, page_size: 20 })
  const answers = (runs: () => Run[]) => (url: string, init: RequestInit): Response => {
    const method = init.method ?? 'GET'
    if (url === '/api/v1/supervision/groups' && method === 'GET') return json(groups)
    if (url === '/api/v1/supervision/rules') return json(RULES)
    if (url.startsWith('/api/v1/supervision/runs') && method === 'GET') return page(runs())
    if (url === '/api/v1/supervision/runs' && method === 'POST') return json(run({ id: 8, status: 'queued', done: 0, results: null, finished_at: null }), 202)
    if (url === '/api/v1/supervision/groups' && method === 'POST') return json(group({ id: 3 }), 201)
    return json({})
  }

  it('shows the group and run buttons the session may use', async () => {
    grant([])
    const { w } = await mountPage(RunsView, answers(() => [run({ id: 9, status: 'running', done: 1 })]))
    expect($$('sv-group-row-')).toEqual(['sv-group-row-每日筛查', 'sv-group-row-月度专项'])
    expect($('sv-group-schedule-每日筛查')?.textContent).toBe('每天 02:00')
    expect($('sv-group-schedule-月度专项')?.textContent).toBe('仅手动运行')
    expect($('sv-group-rules-每日筛查')?.textContent).toContain('2')
    for (const hook of ['sv-group-create', 'sv-group-run-每日筛查', 'sv-group-edit-每日筛查', 'sv-group-delete-每日筛查', 'sv-run-cancel-9']) expect($(hook), hook).toBeNull()
    expect($('sv-run-view-9')).not.toBeNull()
    w.unmount()

    grant(ALL)
    const again = await mountPage(RunsView, answers(() => [run({ id: 9, status: 'running', done: 1 }), run({ id: 8 })]))
    for (const hook of ['sv-group-create', 'sv-group-run-每日筛查', 'sv-group-edit-每日筛查', 'sv-group-delete-月度专项', 'sv-run-cancel-9']) expect($(hook), hook).not.toBeNull()
    expect($('sv-run-cancel-8')).toBeNull() // finished
    expect($('sv-run-status-9')?.getAttribute('data-status')).toBe('running')
    expect($('sv-run-progress-9')).not.toBeNull()
    expect(document.querySelector('[data-test$="-undefined"]')).toBeNull()
    again.w.unmount()
  })

  it('creates a group: 全选 takes the enabled rules, the schedule is built from kind, day and time', async () => {
    grant(ALL)
    const { w, calls } = await mountPage(RunsView, answers(() => []))
    await click('sv-group-create')
    expect($('sv-group-dialog')).not.toBeNull()
    expect($('sv-group-time')).toBeNull() // manual: no time
    await type('sv-group-name', ' 夜间筛查 ')
    await click('sv-group-all-rules')
    await click('sv-group-schedule-kind-weekly')
    expect($('sv-group-weekday')).not.toBeNull()
    await click('sv-group-schedule-kind-daily')
    expect($('sv-group-weekday')).toBeNull()
    await type('sv-group-time', '03:30')
    expect($('sv-group-schedule-preview')?.textContent).toBe('每天 03:30')
    await click('sv-group-save')
    expect(body(sent(calls, 'POST', '/api/v1/supervision/groups')[0])).toEqual({ name: '夜间筛查', rule_codes: ['R1', 'GZ01'], schedule: 'daily 03:30', enabled: true })
    w.unmount()
  })

  it('edits a group from its schedule, and shows a refusal in the dialog', async () => {
    grant(ALL)
    const { w, calls } = await mountPage(RunsView, (url, init) =>
      init.method === 'PUT' ? problem(409, 'conflict', { detail: '名称已被使用' }) : answers(() => [])(url, init),
    )
    await click('sv-group-edit-每日筛查')
    expect(($('sv-group-time') as HTMLInputElement).value).toBe('02:00')
    await click('sv-group-schedule-kind-monthly')
    await click('sv-group-save')
    expect(body(sent(calls, 'PUT', '/api/v1/supervision/groups/1')[0])).toEqual({ name: '每日筛查', rule_codes: ['R1', 'GZ01'], schedule: 'monthly 1 02:00', enabled: true })
    expect($('sv-group-error')?.getAttribute('data-code')).toBe('conflict')
    expect($('sv-group-error')?.textContent).toContain('名称已被使用')
    w.unmount()
  })

  it('立即运行 starts the group and shows the run records', async () => {
    grant(ALL)
    let runs: Run[] = []
    const { w, calls } = await mountPage(
      RunsView,
      answers(() => runs),
    )
    runs = [run({ id: 8, status: 'queued', done: 0, results: null, finished_at: null })]
    await click('sv-group-run-每日筛查')
    expect(body(sent(calls, 'POST', '/api/v1/supervision/runs')[0])).toEqual({ group_id: 1 })
    expect(document.querySelector('.el-tabs__item.is-active [data-test="sv-tab-runs"]')).not.toBeNull()
    expect($('sv-run-row-8')).not.toBeNull()
    expect($('sv-run-status-8')?.getAttribute('data-status')).toBe('queued')
    w.unmount()
  })

  it('refreshes every 2 s while a run is active and stops when none is; 详情 follows the run', async () => {
    vi.useFakeTimers()
    grant([])
    let state: Run = run({ id: 9, status: 'running', done: 1, results: [run({}).results![0]!], finished_at: null })
    const { w, calls } = await mountPage(RunsView, answers(() => [state]))
    const gets = () => sent(calls, 'GET', '/api/v1/supervision/runs').length
    expect(gets()).toBe(1)
    await click('sv-run-view-9')
    expect($('sv-run-result-R1')).not.toBeNull()
    expect($('sv-run-result-GZ01')).toBeNull()

    await vi.advanceTimersByTimeAsync(2000)
    expect(gets()).toBe(2)
    state = run({ id: 9 })
    await vi.advanceTimersByTimeAsync(2000)
    expect(gets()).toBe(3)
    expect($('sv-run-status-9')?.getAttribute('data-status')).toBe('succeeded')
    expect($('sv-run-result-GZ01')).not.toBeNull()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(gets()).toBe(3)
    w.unmount()
  })

  it('取消 asks, then cancels the run', async () => {
    grant(['svRunCancel'])
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const { w, calls } = await mountPage(RunsView, answers(() => [run({ id: 9, status: 'queued', done: 0, results: null, finished_at: null })]))
    await click('sv-run-cancel-9')
    expect(sent(calls, 'POST', '/api/v1/supervision/runs/9/cancel')).toHaveLength(1)
    w.unmount()
  })
})
