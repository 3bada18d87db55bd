// The gateway pages' logic without a browser: what the control plane accepts, the field-
// classification rows, result codes, key states, the grant form and the call-log filters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Grant } from '@/api/types'
import { i18n } from '@/i18n'
import { en } from '@/i18n/en'
import { zhCN } from '@/i18n/zh-CN'
import { codeMeaning, GATEWAY_CODES, statusTagType } from '@/views/gateway/codes'
import { checkFieldRows, fieldsFromRows, newFieldRow, rowsFromFields, rowsValid, serverRowErrors } from '@/views/gateway/apis/fieldRows'
import { emptyCallFilters, latencyMs, toCallFilters } from '@/views/gateway/calls/filters'
import { hasLiveSm2, isLive, keyState } from '@/views/gateway/credentials/keyState'
import { revealEnvelope, revealIssued, revealPublic } from '@/views/gateway/credentials/reveal'
import { emptyGrantForm, grantFieldAlias, grantFormFrom, toGrantInput, validityOrdered } from '@/views/gateway/grants/grantForm'
import {
  isCitizenId,
  isFieldPath,
  isGatewayPath,
  isIdempotent,
  isIpOrCidr,
  isSubject,
  isUscc,
  normalizeSubject,
  SENSITIVE_CATEGORIES,
} from '@/views/gateway/rules'
import { breakerTag, usage } from '@/views/gateway/status/breakers'
// The protocol document is the source of the codes' table; the console must not drift from it.
import protocolDoc from '../../../docs/gateway-protocol.md?raw'

beforeEach(() => i18n.setLang('zh-CN'))
afterEach(() => i18n.setLang('zh-CN'))

describe('control-plane rules', () => {
  it('field paths as the server takes them (a.b[].c, [].c)', () => {
    for (const ok of ['code', 'data.items[].phone', 'a_1.b[]', 'items[].x.y[]', '[].phone', '[].a.b[].c']) expect(isFieldPath(ok), ok).toBe(true)
    for (const bad of ['', 'data..x', '.a', 'a.', 'a[0]', 'a.b[].c!', 'a b', 'data.items[].phone.', '[]', '[].', '[][].a', 'a.[].b']) expect(isFieldPath(bad), bad).toBe(false)
  })

  it('published paths start with /gw/ and hold no // or ..', () => {
    expect(isGatewayPath('/gw/person/v1/info')).toBe(true)
    expect(isGatewayPath('/gw/a-b_c.d~e')).toBe(true)
    for (const bad of ['/gw/', '/api/x', '/gw//x', '/gw/../x', '/gw/a?b', '/gw/人员']) expect(isGatewayPath(bad), bad).toBe(false)
  })

  it('only GET, PUT and DELETE are retried', () => {
    expect(['GET', 'POST', 'PUT', 'DELETE'].filter(isIdempotent)).toEqual(['GET', 'PUT', 'DELETE'])
  })

  it('IP allowlist entries: an address or a CIDR, IPv4 or IPv6', () => {
    for (const ok of ['10.1.2.3', '10.1.2.0/24', '0.0.0.0/0', '::1', '2001:db8::/32', 'fe80::1:2', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8/128']) {
      expect(isIpOrCidr(ok), ok).toBe(true)
    }
    for (const bad of ['', '10.1.2', '10.1.2.256', '010.1.2.3', '10.1.2.0/33', '10.1.2.0/', '10.0.0.0/8/8', '1::2::3', '2001:db8::/129', 'localhost', '1:2:3:4:5:6:7:8:9']) {
      expect(isIpOrCidr(bad), bad).toBe(false)
    }
  })

  it('公民身份号码: check character and a real birth date (GB 11643)', () => {
    expect(isCitizenId('11010519491231002X')).toBe(true)
    expect(isCitizenId('110105200002291235')).toBe(true) // 2000-02-29
    expect(isCitizenId('110105194912310021')).toBe(false) // wrong check character
    expect(isCitizenId('110105194902301234')).toBe(false) // 30 February
    expect(isCitizenId('110105190002291239')).toBe(false) // 1900 was not a leap year
    expect(isCitizenId('11010519491231002x')).toBe(false) // lower-case: normalise first
  })

  it('统一社会信用代码 (GB 32100), and the 查询对象 normalised as the server indexes it', () => {
    expect(isUscc('91350100M000100Y43')).toBe(true)
    expect(isUscc('91350100M000100Y44')).toBe(false)
    expect(isUscc('91350100M000100I43')).toBe(false) // I is not in the alphabet
    expect(normalizeSubject(' 11010519491231002x ')).toBe('11010519491231002X')
    expect(isSubject('11010519491231002x')).toBe(true)
    expect(isSubject('91350100M000100Y43')).toBe(true)
    expect(isSubject('123')).toBe(false)
  })

  it('the eleven categories, each named in both languages', () => {
    expect(SENSITIVE_CATEGORIES).toHaveLength(11)
    for (const c of SENSITIVE_CATEGORIES) {
      expect(zhCN.gw.categories[c], c).toBeTruthy()
      expect(en.gw.categories[c], c).toBeTruthy()
    }
    expect(zhCN.gw.categories.id_number).toBe('公民身份号码')
    expect(zhCN.gw.categories.secret).toBe('密码/口令')
  })
})

describe('field-classification rows', () => {
  it('round-trips the API fields, dropping blank rows and trimming paths', () => {
    const rows = rowsFromFields([{ path: 'data.items[].phone', category: 'phone' }])
    rows.push(newFieldRow('', ''), newFieldRow('  data.items[].aac002 ', 'id_number'))
    expect(fieldsFromRows(rows)).toEqual([
      { path: 'data.items[].phone', category: 'phone' },
      { path: 'data.items[].aac002', category: 'id_number' },
    ])
    expect(rowsFromFields(null)).toEqual([])
    // Each row has its own key, so v-for keeps inputs in place when one is removed.
    expect(new Set(rows.map((r) => r.key)).size).toBe(3)
  })

  it('marks a bad path, a repeated path and a missing category on their rows', () => {
    const rows = [
      newFieldRow('data.items[].phone', 'phone'),
      newFieldRow('data.items[].phone', 'name'),
      newFieldRow('bad path', 'phone'),
      newFieldRow('data.x', ''),
      newFieldRow('', ''),
    ]
    expect(checkFieldRows(rows)).toEqual([{}, { path: 'pathDuplicate' }, { path: 'pathFormat' }, { category: 'categoryRequired' }, {}])
    expect(rowsValid(rows)).toBe(false)
    expect(rowsValid([rows[0]!, rows[4]!])).toBe(true)
  })

  it("puts the server's fields[i].path / .category on the row that was sent i-th", () => {
    const rows = [newFieldRow('', ''), newFieldRow('a', 'phone'), newFieldRow('', ''), newFieldRow('b', 'nope')]
    expect(serverRowErrors(rows, { 'fields[1].category': '取值不在允许范围内', 'fields[0].path': 'x', name: 'ignored', 'fields[9].path': 'gone' })).toEqual({
      3: { category: '取值不在允许范围内' },
      1: { path: 'x' },
    })
  })
})

describe('result codes', () => {
  it('every code of protocol §4 has a meaning in both languages', () => {
    const doc = protocolDoc
    const section = doc.slice(doc.indexOf('## 4. Errors'), doc.indexOf('## 5.'))
    const documented = [...section.matchAll(/\| (\d{3}) \| `(gw_[a-z_]+)` \|/g)].map((m) => ({ status: Number(m[1]), code: m[2]! }))
    expect(documented.length).toBeGreaterThanOrEqual(17)
    for (const { status, code } of documented) {
      expect(GATEWAY_CODES, code).toContainEqual({ code, status })
      expect((zhCN.gw.codes as Record<string, string>)[code], code).toMatch(/[\u4e00-\u9fa5]/)
      expect((en.gw.codes as Record<string, string>)[code], code).toBeTruthy()
    }
    for (const { code } of GATEWAY_CODES) expect((zhCN.gw.codes as Record<string, string>)[code], code).toBeTruthy()
  })

  it('maps a code to its meaning in the current language; none is success; unknown ones show as they are', () => {
    expect(codeMeaning('gw_not_granted')).toBe('接入方未获此接口授权')
    expect(codeMeaning('gw_quota_exhausted')).toContain('北京时间')
    expect(codeMeaning('')).toBe('成功')
    expect(codeMeaning(null)).toBe('成功')
    expect(codeMeaning('gw_future_code')).toBe('gw_future_code')
    i18n.setLang('en')
    expect(codeMeaning('gw_replayed_nonce')).toBe('The nonce was used already (replay)')
    expect(codeMeaning('')).toBe('Success')
  })

  it('colours statuses by class', () => {
    expect([200, 204, 401, 429, 502, 0].map(statusTagType)).toEqual(['success', 'success', 'warning', 'warning', 'danger', 'info'])
  })
})

describe('credentials', () => {
  const now = new Date('2026-01-10T00:00:00Z')
  const key = (status: 'active' | 'revoked', expires_at: string | null, kind: 'hmac' | 'sm2' = 'hmac') => ({
    id: 1,
    key_id: 'ak_x',
    consumer_id: 1,
    kind,
    status,
    expires_at,
    created_at: '2026-01-01T00:00:00Z',
    revoked_at: null,
  })

  it('tells a key in its overlap from one that has ended', () => {
    expect(keyState(key('active', null), now)).toBe('active')
    expect(keyState(key('active', '2026-06-01T00:00:00Z'), now)).toBe('active')
    expect(keyState(key('active', '2026-01-11T00:00:00Z'), now)).toBe('expiring')
    expect(keyState(key('active', '2026-01-09T00:00:00Z'), now)).toBe('expired')
    expect(keyState(key('revoked', null), now)).toBe('revoked')
    expect(isLive(key('active', '2026-01-11T00:00:00Z'), now)).toBe(true)
    expect(isLive(key('active', '2026-01-09T00:00:00Z'), now)).toBe(false)
  })

  it('a data key needs a live SM2 key', () => {
    expect(hasLiveSm2([key('active', null)], now)).toBe(false)
    expect(hasLiveSm2([key('revoked', null, 'sm2')], now)).toBe(false)
    expect(hasLiveSm2([key('active', '2026-01-09T00:00:00Z', 'sm2')], now)).toBe(false)
    expect(hasLiveSm2([key('active', null), key('active', null, 'sm2')], now)).toBe(true)
    expect(hasLiveSm2(null, now)).toBe(false)
  })

  it('shows an HMAC secret and a generated private key once; a registered public key or an envelope is not secret', () => {
    const base = { ...key('active', null), key_id: 'ak_abc' }
    const hmac = revealIssued({ ...base, secret: 's'.repeat(43) })
    expect(hmac.once).toBe(true)
    expect(hmac.items.map((i) => i.name)).toEqual(['key-id', 'secret'])
    expect(hmac.items[1]?.value).toHaveLength(43)

    const generated = revealIssued({ ...base, kind: 'sm2', public_pem: 'PUB', private_pem: 'PRIV' })
    expect(generated.once).toBe(true)
    expect(generated.items.map((i) => [i.name, i.filename])).toEqual([
      ['key-id', undefined],
      ['private-pem', 'ak_abc.key.pem'],
      ['public-pem', 'ak_abc.pub.pem'],
    ])

    expect(revealIssued({ ...base, kind: 'sm2', public_pem: 'PUB' }).once).toBe(false)
    expect(revealPublic({ id: 1, key_id: 'pk_1', public_pem: 'P', status: 'active', created_at: '' }).items[1]?.filename).toBe('pk_1.pub.pem')
    const env = revealEnvelope({ id: 2, key_id: 'dk_1', consumer_id: 1, envelope: 'QUJD', status: 'active', expires_at: null, created_at: '' }, true)
    expect(env.once).toBe(false)
    expect(env.items[1]).toMatchObject({ name: 'envelope', value: 'QUJD', filename: 'dk_1.envelope.b64' })
  })
})

describe('grant form', () => {
  it('sends RFC 3339 times, trimmed lists and whole numbers; empty lists stay empty (all fields, any address, any method)', () => {
    const form = emptyGrantForm()
    Object.assign(form, {
      consumer_id: 1,
      api_id: 2,
      fields: [' code ', 'data.items[].name', ''],
      rate_per_sec: 2.5,
      burst: 5.7,
      quota_day: 100,
      valid_from: new Date('2026-01-01T00:00:00Z'),
    })
    expect(toGrantInput(form)).toEqual({
      consumer_id: 1,
      api_id: 2,
      fields: ['code', 'data.items[].name'],
      plaintext_categories: [],
      rate_per_sec: 2.5,
      burst: 5,
      quota_day: 100,
      quota_month: 0,
      valid_from: '2026-01-01T00:00:00.000Z',
      valid_to: null,
      ip_allowlist: [],
      methods: [],
      status: 'active',
    })
  })

  it('fills the form from a grant and back', () => {
    const g: Grant = {
      id: 9,
      consumer_id: 1,
      consumer_code: 'bank-a',
      api_id: 2,
      api_code: 'person.info',
      fields: ['code'],
      plaintext_categories: ['name'],
      rate_per_sec: 10,
      burst: 20,
      quota_day: 1000,
      quota_month: 20000,
      valid_from: '2026-01-01T00:00:00Z',
      valid_to: '2027-01-01T00:00:00Z',
      ip_allowlist: ['10.0.0.0/8'],
      methods: ['GET'],
      status: 'suspended',
      created_at: '',
      updated_at: '',
    }
    const form = grantFormFrom(g)
    expect(form.valid_to?.toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(toGrantInput(form)).toMatchObject({ fields: ['code'], plaintext_categories: ['name'], ip_allowlist: ['10.0.0.0/8'], methods: ['GET'], status: 'suspended', valid_from: '2026-01-01T00:00:00.000Z' })
  })

  it('checks the validity order and folds indexed server fields into their list', () => {
    const a = new Date('2026-01-01T00:00:00Z')
    const b = new Date('2026-02-01T00:00:00Z')
    expect(validityOrdered(a, b)).toBe(true)
    expect(validityOrdered(b, a)).toBe(false)
    expect(validityOrdered(a, a)).toBe(false)
    expect(validityOrdered(null, a)).toBe(true)
    expect(['fields[2]', 'ip_allowlist[0]', 'plaintext_categories[1]', 'methods[3]', 'rate_per_sec'].map(grantFieldAlias)).toEqual([
      'fields',
      'ip_allowlist',
      'plaintext_categories',
      'methods',
      'rate_per_sec',
    ])
  })
})

describe('call-log filters and status helpers', () => {
  it('sends trimmed values, UTC times and the subject upper-cased; leaves out empty ones', () => {
    const form = { ...emptyCallFilters(), consumer: ' bank-a ', subject: '11010519491231002x', range: [new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T00:00:00Z')] as [Date, Date] }
    expect(toCallFilters(form)).toEqual({
      consumer: 'bank-a',
      api: undefined,
      status: undefined,
      code: undefined,
      client_ip: undefined,
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      subject: '11010519491231002X',
    })
    expect(toCallFilters(emptyCallFilters())).toEqual({})
  })

  it('latency in milliseconds', () => {
    expect([860, 5200, 12345, 0].map(latencyMs)).toEqual(['0.9', '5.2', '12', '0.0'])
  })

  it('breaker colours and usage', () => {
    expect(['closed', 'half-open', 'open', 'weird'].map(breakerTag)).toEqual(['success', 'warning', 'danger', 'info'])
    expect(usage(3, 0, '不限')).toBe('3 / 不限')
    expect(usage(3, 10, '不限')).toBe('3 / 10')
  })
})
