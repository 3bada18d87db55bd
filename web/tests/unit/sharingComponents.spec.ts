// The catalog and sharing widgets and pages, mounted against a stubbed API: the apply dialog (fields,
// negative-listed ones disabled, the body), the decide dialog (level sent, comment required), the
// timeline, the chain steps, the notification bell, and the pages' permission-gated buttons.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { CatalogEntry, SharingRequest } from '@/api/types'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import NotificationBell from '@/layouts/NotificationBell.vue'
import { useSessionStore } from '@/stores/session'
import EntriesView from '@/views/catalog/entries/EntriesView.vue'
import NegativeListView from '@/views/catalog/negative/NegativeListView.vue'
import ApplyDialog from '@/views/catalog/portal/ApplyDialog.vue'
import PortalView from '@/views/catalog/portal/PortalView.vue'
import ChainSteps from '@/views/sharing/ChainSteps.vue'
import DecideDialog from '@/views/sharing/DecideDialog.vue'
import RequestTimeline from '@/views/sharing/RequestTimeline.vue'
import RequestView from '@/views/sharing/RequestView.vue'
import TodoView from '@/views/sharing/TodoView.vue'
import { json, mockFetch, noContent, problem, type RecordedCall } from './helpers'

const Blank = defineComponent({ render: () => h('div') })
function makeRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/sharing/requests/:id', name: 'sharing-request', component: Blank },
      { path: '/catalog/portal/:id', name: 'portal-entry', component: Blank },
      { path: '/catalog/entries/new', name: 'catalog-entry-new', component: Blank },
      { path: '/catalog/entries/:id', name: 'catalog-entry-edit', component: Blank },
    ],
  })
}

let router: Router
beforeEach(() => {
  i18n.setLang('zh-CN')
  setActivePinia(createPinia())
  router = makeRouter()
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

const global = () => ({ plugins: [ElementPlus, router], directives: { testRows: vTestRows } })
const $ = (name: string) => document.body.querySelector<HTMLElement>(`[data-test="${name}"]`)
const click = async (name: string) => {
  $(name)?.click()
  await flushPromises()
}
async function type(name: string, value: string): Promise<void> {
  const el = document.body.querySelector<HTMLInputElement | HTMLTextAreaElement>(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input`)
  if (!el) throw new Error(`no input ${name}`)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}

function grant(...permissions: string[]) {
  const session = useSessionStore()
  session.permissions = permissions
  session.user = { id: 20, username: 'zhongxin', display_name: '信息中心审批人', org_id: 3, org_name: '信息中心' } as never
}

const chain = [
  { kind: 'applicant_dept' as const, name: '申请部门审核', org_id: 2, org_name: '医疗保障局' },
  { kind: 'centre' as const, name: '信息中心审核', org_id: 3, org_name: '信息中心' },
  { kind: 'owner_dept' as const, name: '数源部门审核', org_id: 4, org_name: '养老保险处' },
]
const events = [
  { action: 'submit', level: -1, actor_id: 7, actor_name: '小申', comment: '核验贷款申请人参保缴费情况', at: '2026-01-02T03:04:05Z' },
  { action: 'approve', level: 0, actor_id: 8, actor_name: '医保局审批人', comment: '同意', at: '2026-01-02T04:00:00Z' },
]
const req: SharingRequest = {
  id: 9,
  code: 'SQ20260101ABCDEF',
  applicant_id: 7,
  applicant_name: '小申',
  applicant_org_id: 2,
  applicant_org_name: '医疗保障局',
  consumer_id: 5,
  consumer_code: 'bank-a',
  entry_id: 1,
  entry_code: 'yl-person',
  entry_name: '养老保险参保人员信息',
  resource_id: 11,
  resource_name: '参保人员查询接口',
  fields: ['name', 'salary'],
  purpose: '核验',
  legal_basis: '《社会保险法》',
  period_days: 30,
  expected_daily: 1000,
  chain,
  level: 1,
  status: 'pending',
  grant_id: null,
  valid_from: null,
  valid_to: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  events,
}

const entry = {
  id: 1,
  code: 'yl-person',
  name: '养老保险参保人员信息',
  org_id: 4,
  org_name: '养老保险处',
  share_attr: 'conditional',
  fields: [
    { name: 'name', label: '姓名', type: '', description: '', category: 'name', path: 'data.items[].name' },
    { name: 'aac002', label: '公民身份号码', type: '', description: '', category: 'id_number', path: 'data.items[].aac002' },
    { name: 'salary', label: '缴费工资', type: '', description: '', category: '', path: 'data.items[].salary' },
  ],
  negative_fields: ['aac002'],
  resources: [{ id: 11, entry_id: 1, kind: 'gateway_api', api_id: 2, api_code: 'person.info', api_path: '/gw/person/v1/info', name: '参保人员查询接口', description: '', status: 'mounted' }],
} as unknown as CatalogEntry

describe('ApplyDialog', () => {
  async function open(respond: (url: string, init: RequestInit) => Response) {
    grant('POST /api/v1/sharing/requests', 'GET /api/v1/sharing/consumer-options', 'GET /api/v1/catalog/negative-list')
    const m = mockFetch(respond)
    vi.stubGlobal('fetch', m.fetch)
    const w = mount(ApplyDialog, { props: { modelValue: false, entry }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    return { w, calls: m.calls }
  }
  const answers = (url: string, init: RequestInit) => {
    if (url.startsWith('/api/v1/sharing/consumer-options')) return json([{ id: 5, code: 'bank-a', name: '甲银行', org_name: '甲银行股份有限公司' }])
    if (url.startsWith('/api/v1/catalog/negative-list')) return json([{ id: 1, entry_id: 1, entry_code: 'yl-person', entry_name: '', field: 'aac002', reason: '身份证件号码不对外共享', created_by: '', created_at: '' }])
    if (init.method === 'POST') return json({ ...req, id: 31, level: 0 }, 201)
    return json({})
  }

  it('lists the fields, disables the negative-listed one with its reason, and sends exactly what was ticked', async () => {
    const { w, calls } = await open(answers)
    const box = (n: string) => document.body.querySelector<HTMLInputElement>(`[data-test="portal-apply-field-${n}"] input`)!
    expect(box('aac002').disabled).toBe(true)
    expect(box('name').disabled).toBe(false)
    expect($('portal-apply-field-reason-aac002')?.textContent).toContain('身份证件号码不对外共享')
    expect(($('portal-apply-period')?.querySelector('input') as HTMLInputElement).value).toBe('30')

    box('salary').click()
    await flushPromises()
    box('name').click()
    await flushPromises()
    await type('portal-apply-purpose', '核验贷款申请人参保缴费情况')
    await type('portal-apply-legal-basis', '《社会保险法》第七十四条')
    await click('portal-apply-submit')
    const post = calls.find((c) => c.init.method === 'POST') as RecordedCall
    expect(post.url).toBe('/api/v1/sharing/requests')
    expect(JSON.parse(String(post.init.body))).toEqual({
      resource_id: 11,
      consumer_id: 5, // the only consumer is chosen
      fields: ['name', 'salary'],
      purpose: '核验贷款申请人参保缴费情况',
      legal_basis: '《社会保险法》第七十四条',
      period_days: 30,
      expected_daily: 0,
    })
    expect(w.emitted('applied')?.[0]?.[0]).toMatchObject({ id: 31 })
    w.unmount()
  })

  it('sends nothing without a field, and shows the server’s refusal in the dialog', async () => {
    const { w, calls } = await open((url, init) =>
      init.method === 'POST' ? problem(409, 'sharing_negative_listed', { detail: '不能申请：信息项 aac002 已列入负面清单' }) : answers(url, init),
    )
    await type('portal-apply-purpose', 'p')
    await type('portal-apply-legal-basis', 'l')
    await click('portal-apply-submit')
    expect(calls.some((c) => c.init.method === 'POST')).toBe(false)
    expect(document.body.querySelector('.el-form-item.is-error [data-test="portal-apply-fields"]')).not.toBeNull()
    document.body.querySelector<HTMLInputElement>('[data-test="portal-apply-field-name"] input')!.click()
    await flushPromises()

    await click('portal-apply-submit')
    expect($('portal-apply-error')?.getAttribute('data-code')).toBe('sharing_negative_listed')
    expect($('portal-apply-error')?.textContent).toContain('负面清单')
    expect(w.emitted('applied')).toBeUndefined()
    w.unmount()
  })
})

describe('DecideDialog', () => {
  async function open(respond: (url: string, init: RequestInit) => Response) {
    const m = mockFetch(respond)
    vi.stubGlobal('fetch', m.fetch)
    const w = mount(DecideDialog, { props: { modelValue: false, request: req }, global: global(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await flushPromises()
    return { w, calls: m.calls }
  }

  it('shows the level being decided, sends it with the decision, and needs a comment to reject or return', async () => {
    const { w, calls } = await open(() => json({ ...req, level: 2 }))
    expect($('todo-decide-level')?.getAttribute('data-level')).toBe('1')
    expect($('todo-decide-level')?.textContent).toContain('信息中心审核')
    await click('todo-reject')
    await click('todo-return')
    expect(calls).toHaveLength(0)
    expect(document.body.querySelector('.el-form-item.is-error [data-test="todo-decide-comment"]')).not.toBeNull()

    await type('todo-decide-comment', '请补充法律依据')
    await click('todo-return')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.url).toBe('/api/v1/sharing/requests/9/decide')
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ level: 1, decision: 'return', comment: '请补充法律依据' })
    expect(w.emitted('decided')).toHaveLength(1)
    w.unmount()
  })

  it('approves without a comment; a refusal stays in the dialog with its code', async () => {
    const { w, calls } = await open(() => problem(403, 'sharing_out_of_order', { detail: '尚未轮到您所在部门审批' }))
    await click('todo-approve')
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ level: 1, decision: 'approve', comment: '' })
    expect($('todo-decide-error')?.getAttribute('data-code')).toBe('sharing_out_of_order')
    expect($('todo-decide-error')?.textContent).toContain('尚未轮到')
    expect(w.emitted('decided')).toBeUndefined()
    w.unmount()
  })
})

describe('RequestTimeline and ChainSteps', () => {
  it('renders every step with its action, level, who and when', () => {
    const w = mount(RequestTimeline, { props: { events: [...events, { ...events[1]!, action: 'grant', level: -1, comment: 'grant 1' }], chain, testPrefix: 'req', actions: 'sharing' }, global: global() })
    const items = w.findAll('[data-action]')
    expect(items.map((i) => i.attributes('data-action'))).toEqual(['submit', 'approve', 'grant'])
    expect(w.find('[data-test="req-event-action-0"]').text()).toBe('提交申请')
    expect(w.find('[data-test="req-event-action-1"]').text()).toBe('同意')
    expect(w.find('[data-test="req-event-level-1"]').text()).toBe('申请部门审核')
    expect(w.find('[data-test="req-event-level-0"]').exists()).toBe(false)
    expect(w.find('[data-test="req-event-actor-1"]').text()).toBe('医保局审批人')
    expect(w.find('[data-test="req-event-at-1"]').text()).toMatch(/^2026-01-02 \d{2}:00:00$/)
    expect(w.find('[data-test="req-event-comment-0"]').text()).toBe('核验贷款申请人参保缴费情况')
  })

  it('shows the chain with the current level highlighted', () => {
    const w = mount(ChainSteps, { props: { request: req }, global: global() })
    expect([0, 1, 2].map((i) => w.find(`[data-test="req-step-${i}"]`).attributes('data-state'))).toEqual(['done', 'current', 'wait'])
    expect(w.find('[data-test="req-step-1"]').text()).toContain('信息中心')
    expect(w.find('[data-test="req-step-0"]').text()).toContain('医保局审批人')
  })
})

describe('NotificationBell', () => {
  const items = [
    { id: 12, kind: 'share_request.todo', title: '待审批：小申 申请「养老保险参保人员信息」（信息中心审核）', link: '/sharing/requests/9', created_at: '2026-01-02T04:00:00Z', read_at: null },
    { id: 11, kind: 'share_request.todo', title: '旧通知', link: 'javascript:alert(1)', created_at: '2026-01-01T04:00:00Z', read_at: '2026-01-01T05:00:00Z' },
  ]

  it('polls the unread count, opens a notification’s page and marks it read; 全部已读 marks them all', async () => {
    const m = mockFetch((url) => (url.startsWith('/api/v1/me/notifications?') ? json({ items, total: 2, unread: 1, page: 1, page_size: 8 }) : noContent()))
    vi.stubGlobal('fetch', m.fetch)
    const w = mount(NotificationBell, { global: global(), attachTo: document.body })
    await flushPromises()
    expect(m.calls[0]!.url).toBe('/api/v1/me/notifications?page=1&page_size=8')
    expect($('notif-count')?.getAttribute('data-unread')).toBe('1')
    await click('notif-bell')
    expect($('notif-item-12')?.getAttribute('data-read')).toBe('false')
    await click('notif-item-12')
    expect(m.calls.some((c) => c.url === '/api/v1/me/notifications/12/read' && c.init.method === 'POST')).toBe(true)
    expect(router.currentRoute.value.fullPath).toBe('/sharing/requests/9')

    // A read notification with a link outside the console is not followed.
    await click('notif-bell')
    await click('notif-item-11')
    expect(m.calls.some((c) => c.url === '/api/v1/me/notifications/11/read')).toBe(false)
    expect(router.currentRoute.value.fullPath).toBe('/sharing/requests/9')

    await click('notif-bell')
    await click('notif-read-all')
    expect(m.calls.some((c) => c.url === '/api/v1/me/notifications/read-all' && c.init.method === 'POST')).toBe(true)
    w.unmount()
  })

  it('polls every 30 seconds', async () => {
    vi.useFakeTimers()
    const m = mockFetch(() => json({ items: [], total: 0, unread: 0, page: 1, page_size: 8 }))
    vi.stubGlobal('fetch', m.fetch)
    const w = mount(NotificationBell, { global: global() })
    await flushPromises()
    const first = m.calls.length
    await vi.advanceTimersByTimeAsync(29_000)
    expect(m.calls.length).toBe(first)
    await vi.advanceTimersByTimeAsync(1_500)
    expect(m.calls.length).toBe(first + 1)
    expect(w.find('[data-test="notif-count"]').attributes('data-unread')).toBe('0')
    w.unmount()
  })
})

describe('pages', () => {
  async function mountPage(component: object, permissions: string[], respond: (url: string) => Response, path = '/') {
    grant(...permissions)
    const m = mockFetch((url) => respond(url))
    vi.stubGlobal('fetch', m.fetch)
    await router.push(path)
    const w = mount(component, { global: global(), attachTo: document.body })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    return { w: w as VueWrapper, calls: m.calls }
  }
  const page = (items: unknown[]) => json({ items, total: items.length, page: 1, page_size: 20 })

  it('待办审批 lists the to-do requests, decides from the list, and shows 查看 only with the request route', async () => {
    const { w, calls } = await mountPage(TodoView, ['GET /api/v1/sharing/todo', 'POST /api/v1/sharing/requests/{id}/decide'], (url) =>
      url.startsWith('/api/v1/sharing/todo') ? page(url.includes('done=1') ? [] : [req]) : json({}),
    )
    expect(calls.map((c) => c.url)).toEqual(expect.arrayContaining(['/api/v1/sharing/todo?page=1&page_size=20', '/api/v1/sharing/todo?page=1&page_size=20&done=1']))
    expect($(`todo-row-${req.code}`)).not.toBeNull()
    expect($(`todo-view-${req.code}`)).toBeNull()
    await click(`todo-decide-${req.code}`)
    expect($('todo-decide-level')?.getAttribute('data-level')).toBe('1')
    w.unmount()
  })

  it('the request page shows the chain and timeline, and 审批 when it is the viewer’s department’s turn', async () => {
    const { w } = await mountPage(
      RequestView,
      ['GET /api/v1/sharing/requests/{id}', 'POST /api/v1/sharing/requests/{id}/decide'],
      (url) => (url === '/api/v1/sharing/requests/9' ? json(req) : json({})),
      '/sharing/requests/9',
    )
    expect($('req-status')?.getAttribute('data-status')).toBe('pending')
    expect($('req-step-1')?.getAttribute('data-state')).toBe('current')
    expect($('req-event-1')?.getAttribute('data-action')).toBe('approve')
    expect($('req-decide')).not.toBeNull()
    expect($('req-your-turn')).not.toBeNull()
    expect($('req-withdraw')).toBeNull() // not the applicant
    expect($('req-revoke')).toBeNull()
    w.unmount()
  })

  it('数据门户 shows the totals and searches the marketplace with the keyword', async () => {
    const { w, calls } = await mountPage(PortalView, [], (url) => {
      if (url.startsWith('/api/v1/portal/overview'))
        return json({ entries: 1, resources: { gateway_api: 1 }, newest: [entry], most_used: [], by_share: {}, by_org: [] })
      if (url.startsWith('/api/v1/portal/categories')) return json([{ id: 3, parent_id: null, code: 'yl', name: '养老保险', sort: 0, count: 1 }])
      return page([entry])
    })
    expect($('portal-total-entries')?.textContent).toContain('1')
    expect($('portal-total-gateway_api')?.textContent).toContain('1')
    expect($('portal-newest-yl-person')).not.toBeNull()
    expect($('portal-entry-yl-person')).not.toBeNull()
    await type('portal-search', '参保人员')
    await click('portal-search-btn')
    expect(calls.at(-1)!.url).toBe(`/api/v1/portal/entries?q=${encodeURIComponent('参保人员')}&sort=newest&page=1&page_size=10`)
    await click('portal-category-yl')
    expect(calls.at(-1)!.url).toContain('category_id=3')
    w.unmount()
  })

  it('目录编目 gates its buttons on the catalogue permissions', async () => {
    const draft = { ...entry, status: 'draft', version: 0, pending: null, updated_at: '', category_name: '' }
    const respond = (url: string) => (url.startsWith('/api/v1/catalog/entries') ? page([draft]) : url.startsWith('/api/v1/catalog/reviews') ? json({ entries: [], changes: [], resources: [] }) : json([]))
    const viewer = await mountPage(EntriesView, ['GET /api/v1/catalog/entries'], respond)
    expect($('cat-row-yl-person')).not.toBeNull()
    for (const h of ['cat-add', 'cat-submit-yl-person', 'cat-delete-yl-person', 'cat-tab-reviews', 'cat-category-add']) expect($(h), h).toBeNull()
    viewer.w.unmount()
    document.body.innerHTML = ''

    const writer = await mountPage(
      EntriesView,
      ['GET /api/v1/catalog/entries', 'POST /api/v1/catalog/entries', 'POST /api/v1/catalog/entries/{id}/submit', 'DELETE /api/v1/catalog/entries/{id}', 'POST /api/v1/catalog/categories', 'GET /api/v1/catalog/reviews'],
      respond,
    )
    for (const h of ['cat-add', 'cat-submit-yl-person', 'cat-delete-yl-person', 'cat-tab-reviews', 'cat-category-add']) expect($(h), h).not.toBeNull()
    writer.w.unmount()
  })

  it('负面清单 lists entries and fields, with 移出 only for those who may remove', async () => {
    const negatives = [
      { id: 1, entry_id: 1, entry_code: 'yl-person', entry_name: '养老', field: 'aac002', reason: '不共享', created_by: 'a', created_at: '' },
      { id: 2, entry_id: 2, entry_code: 'secret', entry_name: '机密', field: '', reason: '整表不共享', created_by: 'a', created_at: '' },
    ]
    const a = await mountPage(NegativeListView, ['GET /api/v1/catalog/negative-list'], () => json(negatives))
    expect($('neg-row-yl-person-aac002')).not.toBeNull()
    expect($('neg-row-secret-all')).not.toBeNull()
    expect($('neg-remove-yl-person-aac002')).toBeNull()
    expect($('neg-add')).toBeNull()
    a.w.unmount()
    document.body.innerHTML = ''
    await mountPage(NegativeListView, ['POST /api/v1/catalog/negative-list', 'DELETE /api/v1/catalog/negative-list/{id}'], () => json(negatives))
    expect($('neg-remove-yl-person-aac002')).not.toBeNull()
    expect($('neg-add')).not.toBeNull()
  })
})
