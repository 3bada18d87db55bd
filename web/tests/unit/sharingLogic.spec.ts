// The catalog and sharing pages' API module and logic: the URLs and bodies they send, who decides a
// request now, the chain as steps, the timeline rows, the apply body, the entry body, demand steps;
// and that the console's routes and permission strings match the server's menus and route table.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'
import { catalogApi, portalApi } from '@/api/catalog'
import { demandApi, notificationApi, sharingApi } from '@/api/sharing'
import type { CatalogEntry, Demand, SharingEvent, SharingRequest } from '@/api/types'
import { routes } from '@/router/routes'
import { PERM } from '@/utils/permission'
import { changedAttributes, emptyEntryForm, newFieldRow, newLevelRow, toEntryInput } from '@/views/catalog/entryForm'
import { demandActions } from '@/views/sharing/demands/demandLogic'
import {
  activeStep,
  applyBody,
  applyFormFrom,
  chainSteps,
  commentRequired,
  decisionBody,
  emptyApplyForm,
  fieldChoices,
  isMyTurn,
  timelineRows,
} from '@/views/sharing/requestLogic'
import routeTable from '../../../internal/app/routes.go?raw'
import seed from '../../../internal/iam/seed.go?raw'
import { json, mockFetch, noContent } from './helpers'

afterEach(() => vi.unstubAllGlobals())

const chain = [
  { kind: 'applicant_dept' as const, name: '申请部门审核', org_id: 2, org_name: '医疗保障局' },
  { kind: 'centre' as const, name: '信息中心审核', org_id: 3, org_name: '信息中心' },
  { kind: 'owner_dept' as const, name: '数源部门审核', org_id: 4, org_name: '养老保险处' },
]
const ev = (action: string, level: number, actor: string, at = '2026-01-02T03:04:05Z'): SharingEvent => ({ action, level, actor_id: 1, actor_name: actor, comment: '', at })

function request(over: Partial<SharingRequest> = {}): SharingRequest {
  return {
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
    level: 0,
    status: 'pending',
    grant_id: null,
    valid_from: null,
    valid_to: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    events: [ev('submit', -1, '小申')],
    ...over,
  }
}

describe('the API modules send what the server reads', () => {
  function stub() {
    const m = mockFetch((url) => (url.includes('/read') ? noContent() : json({ id: 1, items: [], total: 0, unread: 0 })))
    vi.stubGlobal('fetch', m.fetch)
    return m.calls
  }
  const body = (c: { init: RequestInit }) => JSON.parse(String(c.init.body))

  it('applies, decides at the level shown, revokes with a reason, lists to-do and done', async () => {
    const calls = stub()
    await sharingApi.apply({ resource_id: 11, consumer_id: 5, fields: ['name'], purpose: 'p', legal_basis: 'l', period_days: 30, expected_daily: 0 })
    await sharingApi.decide(9, { level: 2, decision: 'return', comment: '补充' })
    await sharingApi.revoke(9, '业务终止')
    await sharingApi.todo({ page: 1, page_size: 20 })
    await sharingApi.todo({ page: 2, page_size: 20 }, true)
    await sharingApi.mine({ page: 1, page_size: 20, status: 'approved' })
    await sharingApi.resubmit(9, { resource_id: 11, consumer_id: 5, fields: ['name'], purpose: 'p', legal_basis: 'l', period_days: 10, expected_daily: 0 })
    await sharingApi.withdraw(9)
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'POST /api/v1/sharing/requests',
      'POST /api/v1/sharing/requests/9/decide',
      'POST /api/v1/sharing/requests/9/revoke',
      'GET /api/v1/sharing/todo?page=1&page_size=20',
      'GET /api/v1/sharing/todo?page=2&page_size=20&done=1',
      'GET /api/v1/sharing/requests/mine?page=1&page_size=20&status=approved',
      'POST /api/v1/sharing/requests/9/resubmit',
      'POST /api/v1/sharing/requests/9/withdraw',
    ])
    expect(body(calls[0]!)).toEqual({ resource_id: 11, consumer_id: 5, fields: ['name'], purpose: 'p', legal_basis: 'l', period_days: 30, expected_daily: 0 })
    expect(body(calls[1]!)).toEqual({ level: 2, decision: 'return', comment: '补充' })
    expect(body(calls[2]!)).toEqual({ comment: '业务终止' })
  })

  it('catalog, portal, negative list, demands and notifications', async () => {
    const calls = stub()
    await portalApi.search({ q: '参保 人员', category_id: 3, org_id: null, share_attr: 'conditional', kind: '', sort: 'newest', page: 1, page_size: 10 })
    await portalApi.get(4)
    await catalogApi.review(4, 'reject', '信息项不全')
    await catalogApi.reviewResource(6, 'approve', '')
    await catalogApi.mount(4, { kind: 'gateway_api', api_id: 2, name: '接口', description: '' })
    await catalogApi.addNegative({ entry_id: 4, field: 'aac002', reason: '不共享' })
    await demandApi.step(3, { action: 'review', comment: '', responsible: '张三' })
    await notificationApi.list({ page: 1, page_size: 8 })
    await notificationApi.read(12)
    await notificationApi.readAll()
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'GET /api/v1/portal/entries?q=%E5%8F%82%E4%BF%9D+%E4%BA%BA%E5%91%98&category_id=3&share_attr=conditional&sort=newest&page=1&page_size=10',
      'GET /api/v1/portal/entries/4',
      'POST /api/v1/catalog/entries/4/review',
      'POST /api/v1/catalog/resources/6/review',
      'POST /api/v1/catalog/entries/4/resources',
      'POST /api/v1/catalog/negative-list',
      'POST /api/v1/sharing/demands/3/step',
      'GET /api/v1/me/notifications?page=1&page_size=8',
      'POST /api/v1/me/notifications/12/read',
      'POST /api/v1/me/notifications/read-all',
    ])
    expect(body(calls[2]!)).toEqual({ decision: 'reject', comment: '信息项不全' })
    expect(body(calls[6]!)).toEqual({ action: 'review', comment: '', responsible: '张三' })
  })
})

describe('deciding', () => {
  it('is the viewer’s turn only for a pending request at the viewer’s organisation, not the viewer’s own', () => {
    const r = request({ level: 1 })
    expect(isMyTurn(r, { id: 20, org_id: 3 })).toBe(true)
    expect(isMyTurn(r, { id: 20, org_id: '3' })).toBe(true)
    expect(isMyTurn(r, { id: 20, org_id: 2 })).toBe(false) // the first level has decided
    expect(isMyTurn(r, { id: 7, org_id: 3 })).toBe(false) // the applicant
    expect(isMyTurn({ ...r, status: 'returned' }, { id: 20, org_id: 3 })).toBe(false)
  })

  it('sends the level shown; reject and return need a comment', () => {
    expect(decisionBody(request({ level: 2 }), 'approve', '  同意 ')).toEqual({ level: 2, decision: 'approve', comment: '同意' })
    expect([commentRequired('approve'), commentRequired('reject'), commentRequired('return')]).toEqual([false, true, true])
  })
})

describe('the chain as steps', () => {
  it('marks done levels, the current one, and who decided them', () => {
    const r = request({ level: 1, events: [ev('submit', -1, '小申'), ev('approve', 0, '医保局审批人')] })
    expect(chainSteps(r).map((s) => s.state)).toEqual(['done', 'current', 'wait'])
    expect(chainSteps(r)[0]).toMatchObject({ name: '申请部门审核', orgName: '医疗保障局', actor: '医保局审批人' })
    expect(activeStep(r)).toBe(1)
  })

  it('shows a rejection or a return at its level, everything done once approved', () => {
    expect(chainSteps(request({ level: 1, status: 'rejected' })).map((s) => s.state)).toEqual(['done', 'rejected', 'wait'])
    expect(chainSteps(request({ level: 0, status: 'returned' })).map((s) => s.state)).toEqual(['returned', 'wait', 'wait'])
    const approved = request({ level: 3, status: 'approved' })
    expect(chainSteps(approved).map((s) => s.state)).toEqual(['done', 'done', 'done'])
    expect(activeStep(approved)).toBe(3)
  })

  it('forgets the previous round after a resubmission', () => {
    const r = request({ level: 0, events: [ev('submit', -1, 'a'), ev('return', 0, '医保局审批人'), ev('resubmit', -1, 'a')] })
    expect(chainSteps(r)[0]).toMatchObject({ state: 'current', actor: '' })
  })
})

describe('the timeline', () => {
  it('names the chain level of each decision and leaves it empty for the others', () => {
    const rows = timelineRows(
      [ev('submit', -1, '小申'), ev('approve', 0, '甲'), ev('approve', 1, '乙'), ev('approve', 2, '丙'), ev('grant', -1, '丙')],
      chain,
    )
    expect(rows.map((r) => [r.action, r.levelName, r.actor])).toEqual([
      ['submit', '', '小申'],
      ['approve', '申请部门审核', '甲'],
      ['approve', '信息中心审核', '乙'],
      ['approve', '数源部门审核', '丙'],
      ['grant', '', '丙'],
    ])
    expect(timelineRows(null, null)).toEqual([])
  })
})

describe('applying', () => {
  const entry = {
    fields: [
      { name: 'name', label: '姓名', type: '', description: '', category: 'name', path: 'data.items[].name' },
      { name: 'aac002', label: '公民身份号码', type: '', description: '', category: 'id_number', path: 'data.items[].aac002' },
      { name: 'salary', label: '缴费工资', type: '', description: '', category: '', path: 'data.items[].salary' },
    ],
    negative_fields: ['aac002'],
    resources: [
      { id: 11, entry_id: 1, kind: 'gateway_api', api_id: 2, api_code: 'person.info', api_path: '/gw/p', name: 'API', description: '', status: 'mounted', created_at: '', updated_at: '' },
      { id: 12, entry_id: 1, kind: 'table', api_id: null, api_code: '', api_path: '', name: '库表', description: '', status: 'mounted', created_at: '', updated_at: '' },
      { id: 13, entry_id: 1, kind: 'gateway_api', api_id: 3, api_code: 'x', api_path: '/gw/x', name: '待挂载', description: '', status: 'pending', created_at: '', updated_at: '' },
    ],
  } as unknown as CatalogEntry

  it('starts with the one mounted API chosen and a 30-day period', () => {
    expect(emptyApplyForm(entry)).toMatchObject({ resource_id: 11, period_days: 30, fields: [] })
    expect(fieldChoices(entry).map((c) => [c.name, c.blocked])).toEqual([
      ['name', false],
      ['aac002', true],
      ['salary', false],
    ])
  })

  it('never sends a negative-listed field, and sends the fields in the entry’s order', () => {
    const form = { ...emptyApplyForm(entry), consumer_id: 5, fields: ['salary', 'aac002', 'name'], purpose: ' 核验 ', legal_basis: '法', expected_daily: 1000.4 }
    expect(applyBody(form, fieldChoices(entry))).toEqual({
      resource_id: 11,
      consumer_id: 5,
      fields: ['name', 'salary'],
      purpose: '核验',
      legal_basis: '法',
      period_days: 30,
      expected_daily: 1000,
    })
  })

  it('resubmits what was asked', () => {
    expect(applyFormFrom(request())).toMatchObject({ resource_id: 11, consumer_id: 5, fields: ['name', 'salary'], period_days: 30 })
  })
})

describe('the entry editor’s body', () => {
  it('drops empty field rows, keeps org ids only on centre and org levels, and an empty chain for the default', () => {
    const f1 = { ...newFieldRow(), name: ' aac003 ', label: ' 姓名 ', category: 'name' }
    const f2 = newFieldRow()
    const l1 = { ...newLevelRow('applicant_dept'), org_id: 9, name: '申请部门审核' }
    const l2 = { ...newLevelRow('org'), org_id: '4', name: ' 复核 ' }
    const body = toEntryInput({ ...emptyEntryForm(2), code: ' yl ', name: '养老' }, [f1, f2], [l1, l2])
    expect(body.code).toBe('yl')
    expect(body.org_id).toBe(2)
    expect(body.fields).toEqual([{ name: 'aac003', label: '姓名', type: 'string', description: '', category: 'name', path: '' }])
    expect(body.chain).toEqual([
      { kind: 'applicant_dept', name: '申请部门审核' },
      { kind: 'org', org_id: 4, name: '复核' },
    ])
    expect(toEntryInput(emptyEntryForm(2), [], []).chain).toEqual([])
  })

  it('lays a pending change beside the published entry, marking what changed', () => {
    const e = {
      code: 'yl',
      name: '养老',
      description: '',
      keywords: '',
      org_id: 2,
      category_id: null,
      source_system: '',
      industry: '',
      domain: '',
      update_frequency: 'daily',
      share_attr: 'conditional',
      open_attr: 'closed',
      fields: [{ name: 'a', label: 'A', type: '', description: '', category: '', path: 'data[].a' }],
      chain: [],
    }
    const rows = changedAttributes({ ...e, pending: { ...e, name: '养老（新）', share_attr: 'unconditional' } } as unknown as CatalogEntry)
    expect(rows.filter((r) => r.changed).map((r) => r.attr)).toEqual(['name', 'share_attr'])
    expect(changedAttributes({ ...e, pending: null } as unknown as CatalogEntry)).toEqual([])
  })
})

describe('demand steps', () => {
  const d = { status: 'registered', owner_org_id: 4, requester_org_id: 2 } as unknown as Demand
  it('offers each step to the department whose turn it is', () => {
    expect(demandActions(d, 9)).toEqual(['approve', 'reject'])
    expect(demandActions({ ...d, status: 'centre_approved' }, 4)).toEqual(['review', 'reject'])
    expect(demandActions({ ...d, status: 'centre_approved' }, 2)).toEqual([])
    expect(demandActions({ ...d, status: 'owner_reviewed' }, 4)).toEqual(['supply'])
    expect(demandActions({ ...d, status: 'supplied' }, 2)).toEqual(['accept'])
    expect(demandActions({ ...d, status: 'accepted' }, 2)).toEqual([])
  })
})

describe('routes and menus match the server', () => {
  const children = (routes.find((r) => r.path === '/')?.children ?? []) as RouteRecordRaw[]
  const paths = new Set(children.map((r) => `/${r.path}`))

  it('every built-in catalog and sharing menu has a page at its path', () => {
    const menus = [...seed.matchAll(/\{"((?:catalog|sharing)\.[a-z.]+)", "[a-z.]*", "menu", "[^"]*", "[^"]*", "([^"]+)"/g)].map((m) => [m[1], m[2]])
    expect(menus.map((m) => m[0]).sort()).toEqual(
      ['catalog.entries', 'catalog.negative', 'catalog.portal', 'sharing.demands', 'sharing.mine', 'sharing.requests', 'sharing.todo'].sort(),
    )
    for (const [code, path] of menus) expect(paths.has(path as string), `${code} → ${path}`).toBe(true)
  })

  it('the pages notifications link to exist', () => {
    for (const p of ['/sharing/requests/:id', '/sharing/demands/:id', '/catalog/portal/:id', '/catalog/entries/:id']) expect(paths.has(p), p).toBe(true)
  })

  it('every permission the console checks is a route of the server', () => {
    const served = new Set([...routeTable.matchAll(/Method: "([A-Z]+)", Path: "([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`))
    expect(served.size).toBeGreaterThan(100)
    for (const [key, perm] of Object.entries(PERM)) {
      expect(served.has(perm), `${key}: ${perm}`).toBe(true)
    }
  })
})
