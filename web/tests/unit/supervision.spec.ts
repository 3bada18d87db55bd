// Fund supervision's warnings, verification and statistics pages against a stubbed API: the pure
// helpers (drill-down, labels, proposed agency, decision bodies), the permission-gated 派发 button,
// the dispatch dialog's proposal and body, send-back needing a comment, the verify dialog's upload
// and body, and the statistics' drill-down requests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { AgencyOption, SupWarning } from '@/api/supervision'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import { PERM } from '@/utils/permission'
import { useSessionStore } from '@/stores/session'
import { actionLabel, decisionBody, drillDown, drillUp, insuranceLabel, money, nextStep, proposedAgency } from '@/views/supervision/labels'
import DecisionDialog from '@/views/supervision/warnings/DecisionDialog.vue'
import DispatchDialog from '@/views/supervision/warnings/DispatchDialog.vue'
import WarningsView from '@/views/supervision/warnings/WarningsView.vue'
import StatsView from '@/views/supervision/stats/StatsView.vue'
import VerifyDialog from '@/views/supervision/verify/VerifyDialog.vue'
import { json, mockFetch, problem, type RecordedCall } from './helpers'

const Blank = defineComponent({ render: () => h('div') })
let router: Router
beforeEach(() => {
  i18n.setLang('zh-CN')
  setActivePinia(createPinia())
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/supervision/warnings/:id', name: 'sv-warning', component: Blank },
      { path: '/supervision/warnings', name: 'sv-warnings', component: Blank },
    ],
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const global = () => ({ plugins: [ElementPlus, router], directives: { testRows: vTestRows } })
const $ = (name: string) => document.body.querySelector<HTMLElement>(`[data-test="${name}"]`)
async function type(name: string, value: string): Promise<void> {
  const el = document.body.querySelector<HTMLInputElement | HTMLTextAreaElement>(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`)
  if (!el) throw new Error(`no input ${name}`)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}
const grant = (...keys: (keyof typeof PERM)[]) => (useSessionStore().permissions = keys.map((k) => PERM[k]))

function stub(respond: (url: string, init: RequestInit) => Response) {
  const { fetch, calls } = mockFetch(respond)
  vi.stubGlobal('fetch', fetch)
  return calls
}
const bodyOf = (c: RecordedCall | undefined) => JSON.parse(String(c?.init.body ?? 'null'))

const warning = (over: Partial<SupWarning> = {}): SupWarning =>
  ({
    id: 41, rule_code: 'R1', rule_name: '死亡人员冒领养老金', severity: 'high', subject: '520102194001010011', subject_name: '张三',
    region: '520102', city: '5201', province: '52', insurance: '110', period: '202403', amount: 3200, evidence: '死亡后领取 2 个月',
    evidence_hash: 'x', status: 'new', run_id: 1, last_run_id: 1, reopen_count: 0, agency_id: null, agency_name: '', deadline: null,
    dispatched_at: null, overdue: false, escalation: 0, escalation_name: '', findings: '', problem_category: '', rectified: false,
    verified_amount: null, recovered: 0, file_ids: [], verified_at: null, closed_at: null, sample_id: null, recheck_status: '',
    recheck_comment: '', created_at: '2026-03-01T00:00:00Z', updated_at: '2026-03-01T00:00:00Z', events: [], files: [], ...over,
  }) as SupWarning

describe('supervision helpers', () => {
  it('drills province → city → county and back up', () => {
    expect(drillDown({ level: 'province', region: '' }, '52')).toEqual({ level: 'city', region: '52' })
    expect(drillDown({ level: 'city', region: '52' }, '5201')).toEqual({ level: 'county', region: '5201' })
    expect(drillDown({ level: 'county', region: '5201' }, '520102')).toBeNull()
    expect(drillDown({ level: 'city', region: '' }, '52')).toBeNull() // a row of the wrong length
    expect(drillUp({ level: 'county', region: '5201' })).toEqual({ level: 'city', region: '52' })
    expect(drillUp({ level: 'city', region: '52' })).toEqual({ level: 'province', region: '' })
    expect(drillUp({ level: 'province', region: '' })).toBeNull()
  })

  it('labels actions, schemes and money', () => {
    const tryT = (k: string) => i18n.tryT(k)
    expect(actionLabel(tryT, 'escalate:函询')).toBe('督办升级：函询')
    expect(actionLabel(tryT, 'review_send_back')).toBe('审核退回')
    expect(actionLabel(tryT, 'unknown_step')).toBe('unknown_step')
    expect(insuranceLabel(tryT, '410')).toBe('工伤保险')
    expect(insuranceLabel(tryT, '')).toBe('跨险种')
    expect(money(1234.5)).toBe('1,234.50')
    expect(money(null)).toBe('')
  })

  it('proposes the county agency of the warning, and the step due', () => {
    const opts: AgencyOption[] = [
      { id: 1, name: '云岩区社保局办公室', kind: 'department', region_code: '520102', match: 3 },
      { id: 2, name: '云岩区社保局', kind: 'county', region_code: '520102', match: 3 },
      { id: 3, name: '贵阳市社保局', kind: 'city', region_code: '520100', match: 2 },
    ]
    expect(proposedAgency(opts)?.id).toBe(2)
    expect(proposedAgency(opts.slice(0, 1))?.id).toBe(1)
    expect(proposedAgency(opts.slice(2))).toBeNull()
    expect(nextStep({ status: 'new' })).toBe('dispatch')
    expect(nextStep({ status: 'verified' })).toBe('review')
    expect(nextStep({ status: 'reviewed' })).toBe('feedback')
    expect(nextStep({ status: 'dispatched' })).toBeNull()
    const d = new Date('2026-04-01T00:00:00Z')
    expect(decisionBody('send_back', ' 材料不全 ', d)).toEqual({ decision: 'send_back', comment: '材料不全', deadline: d.toISOString() })
    expect(decisionBody('pass', '', d)).toEqual({ decision: 'pass', comment: '' })
  })
})

describe('warnings list', () => {
  const page = { items: [warning()], total: 1, page: 1, page_size: 20 }

  it.each([
    [['svDispatch', 'svAgencyOptions', 'svWarningGet'], true],
    [['svWarningGet'], false],
    [['svDispatch', 'svWarningGet'], false],
  ] as const)('with %j the 派发 button shows: %s', async (perms, shown) => {
    stub(() => json(page))
    grant(...perms)
    mount(WarningsView, { global: global(), attachTo: document.body })
    await flushPromises()
    expect($('sv-warning-row-41')).not.toBeNull()
    expect($('sv-warning-dispatch-41') !== null).toBe(shown)
    expect($('sv-warning-view-41')).not.toBeNull()
  })
})

describe('dispatch dialog', () => {
  it('proposes the county agency and sends agency, deadline and comment', async () => {
    const calls = stub((url) =>
      url.includes('agency-options')
        ? json([
            { id: 9, name: '云岩区社保局', kind: 'county', region_code: '520102', match: 3 },
            { id: 3, name: '贵阳市社保局', kind: 'city', region_code: '520100', match: 2 },
          ])
        : json(warning({ status: 'dispatched', agency_id: 9 })),
    )
    const w = mount(DispatchDialog, { props: { modelValue: false, warning: warning() }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    expect(calls[0]?.url).toContain('region=520102')
    expect($('sv-dispatch-agency')?.textContent).toContain('云岩区社保局')
    await type('sv-dispatch-comment', '请核实')
    $('sv-dispatch-submit')?.click()
    await flushPromises()
    const body = bodyOf(calls[1])
    expect(calls[1]?.url).toContain('/supervision/warnings/41/dispatch')
    expect(body.agency_id).toBe(9)
    expect(body.comment).toBe('请核实')
    expect(new Date(body.deadline).getTime()).toBeGreaterThan(Date.now() + 14 * 86400_000)
    expect(w.emitted('done')).toHaveLength(1)
  })

  it('shows a refusal in place', async () => {
    stub((url) => (url.includes('agency-options') ? json([]) : problem(409, 'supervision_bad_state', { detail: '预警当前状态不允许此操作' })))
    const w = mount(DispatchDialog, { props: { modelValue: false, warning: warning() }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    $('sv-dispatch-submit')?.click()
    await flushPromises()
    expect($('sv-dispatch-error')?.getAttribute('data-code')).toBe('supervision_bad_state')
    expect(w.emitted('done')).toBeUndefined()
  })
})

describe('review and feedback', () => {
  it('refuses to send back without a comment, then sends it with one', async () => {
    const calls = stub(() => json(warning({ status: 'dispatched' })))
    const w = mount(DecisionDialog, { props: { modelValue: false, warning: warning({ status: 'verified' }), step: 'review' }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    $('sv-review-send-back')?.click()
    await flushPromises()
    expect(calls).toHaveLength(0)
    expect(document.body.querySelector('.el-form-item.is-error [data-test="sv-review-comment"]')).not.toBeNull()
    await type('sv-review-comment', '缺少银行流水')
    $('sv-review-send-back')?.click()
    await flushPromises()
    expect(calls[0]?.url).toContain('/supervision/warnings/41/review')
    expect(bodyOf(calls[0])).toMatchObject({ decision: 'send_back', comment: '缺少银行流水' })
  })

  it('feedback closes', async () => {
    const calls = stub(() => json(warning({ status: 'closed' })))
    const w = mount(DecisionDialog, { props: { modelValue: false, warning: warning({ status: 'reviewed' }), step: 'feedback' }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    $('sv-feedback-close')?.click()
    await flushPromises()
    expect(calls[0]?.url).toContain('/feedback')
    expect(bodyOf(calls[0])).toEqual({ decision: 'close', comment: '' })
  })
})

describe('verify dialog', () => {
  it('uploads a file and sends the verification with its id', async () => {
    grant('svVerify', 'svUpload')
    const calls = stub((url, init) => {
      if (url.endsWith('/files')) return json({ id: 77, warning_id: 41, name: '核查报告.pdf', content_type: 'application/pdf', size: 10, sm3: 'ab'.repeat(32), uploaded_by: 'x', uploaded_at: '' }, 201)
      if (init.method === 'POST') return json(warning({ status: 'verified' }))
      return json(warning({ status: 'dispatched', agency_id: 9 }))
    })
    const w = mount(VerifyDialog, { props: { modelValue: false, warningId: 41 }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    await type('sv-verify-findings', '已追回')
    const picker = $('sv-verify-file') as HTMLInputElement
    Object.defineProperty(picker, 'files', { value: [new File(['%PDF-1.4'], '核查报告.pdf', { type: 'application/pdf' })], configurable: true })
    picker.dispatchEvent(new Event('change'))
    await flushPromises()
    expect($('sv-verify-file-核查报告.pdf')).not.toBeNull()
    $('sv-verify-submit')?.click()
    await flushPromises()
    const verify = calls.find((c) => c.url.endsWith('/verify'))
    expect(bodyOf(verify)).toMatchObject({ findings: '已追回', file_ids: [77], amount_involved: 3200, amount_recovered: 0 })
    expect(w.emitted('done')).toHaveLength(1)
  })

  it('shows a refused upload in place and keeps no file', async () => {
    grant('svVerify', 'svUpload')
    stub((url) => (url.endsWith('/files') ? problem(415, 'supervision_file_type', { detail: '不支持的文件类型' }) : json(warning({ status: 'dispatched' }))))
    const w = mount(VerifyDialog, { props: { modelValue: false, warningId: 41 }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    const picker = $('sv-verify-file') as HTMLInputElement
    Object.defineProperty(picker, 'files', { value: [new File(['MZ'], 'tool.exe')], configurable: true })
    picker.dispatchEvent(new Event('change'))
    await flushPromises()
    expect($('sv-verify-error')?.getAttribute('data-code')).toBe('supervision_file_type')
    expect($('sv-verify-file-tool.exe')).toBeNull()
  })

  it('shows the server field errors in place', async () => {
    grant('svVerify')
    stub((_url, init) =>
      init.method === 'POST'
        ? problem(422, 'validation_failed', { errors: [{ field: 'problem_category', code: 'one_of', detail: '取值无效' }] })
        : json(warning({ status: 'dispatched' })),
    )
    const w = mount(VerifyDialog, { props: { modelValue: false, warningId: 41 }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    $('sv-verify-submit')?.click()
    await flushPromises()
    expect(document.body.querySelector('.el-form-item.is-error [data-test="sv-verify-category"]')).not.toBeNull()
    expect($('sv-verify-error')).toBeNull()
    expect(w.emitted('done')).toBeUndefined()
  })
})

describe('statistics', () => {
  it('drills down from a city to its counties and back up', async () => {
    const row = (region: string, name: string) => ({ region, name, found: 3, verified: 1, rectified: 1, amount_involved: 300, amount_recovered: 120.5 })
    const calls = stub((url) => {
      const level = new URL(url, 'http://x').searchParams.get('level')
      const rows = level === 'county' ? [row('520102', '云岩区社保局')] : [row('5201', '贵阳市社保局')]
      return json({ level, rows, total: { ...row('合计', ''), found: 3 } })
    })
    grant('svStatsExport')
    mount(StatsView, { global: global(), attachTo: document.body })
    await flushPromises()
    expect($('sv-stat-name-5201')?.textContent).toBe('贵阳市社保局')
    expect($('sv-stat-recovered-total')?.textContent).toBe('120.50')
    $('sv-stat-drill-5201')?.click()
    await flushPromises()
    const q = new URL(calls[1]!.url, 'http://x').searchParams
    expect([q.get('level'), q.get('region')]).toEqual(['county', '5201'])
    expect($('sv-stat-name-520102')?.textContent).toBe('云岩区社保局')
    expect($('sv-stat-drill-520102')).toBeNull()
    $('sv-stats-up')?.click()
    await flushPromises()
    const up = new URL(calls[2]!.url, 'http://x').searchParams
    expect([up.get('level'), up.get('region')]).toEqual(['city', '52'])
  })
})
