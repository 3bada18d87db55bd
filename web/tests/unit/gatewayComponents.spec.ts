// The gateway pages' widgets and pages, mounted: the once-only secret dialog, the tag input, the
// field-classification editor, the auto-refresh, and the pages against a stubbed API.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus, { ElMessageBox, ElSelect } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import TagInput from '@/components/TagInput.vue'
import { useAutoRefresh } from '@/composables/useAutoRefresh'
import { useSessionStore } from '@/stores/session'
import { copyText } from '@/utils/clipboard'
import FieldClassEditor from '@/views/gateway/apis/FieldClassEditor.vue'
import { newFieldRow, type FieldRow } from '@/views/gateway/apis/fieldRows'
import CallsView from '@/views/gateway/calls/CallsView.vue'
import ConsumersView from '@/views/gateway/consumers/ConsumersView.vue'
import CredentialsView from '@/views/gateway/credentials/CredentialsView.vue'
import GrantsView from '@/views/gateway/grants/GrantsView.vue'
import RevealDialog from '@/views/gateway/credentials/RevealDialog.vue'
import StatusView from '@/views/gateway/status/StatusView.vue'
import { json, noContent, problem } from './helpers'

const global = { plugins: [ElementPlus], directives: { testRows: vTestRows } }

beforeEach(() => {
  i18n.setLang('zh-CN')
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

const hook = (w: VueWrapper, name: string) => w.find(`[data-test="${name}"]`)

describe('RevealDialog (once-only secret)', () => {
  const items = [
    { name: 'key-id', label: '密钥 ID', value: 'ak_0123456789abcdefghij' },
    { name: 'secret', label: '密钥', value: 'S'.repeat(43) },
  ]

  it('shows the secret with a warning; 关闭 works only after the acknowledgement; no × and no Esc', async () => {
    const w = mount(RevealDialog, { props: { modelValue: true, title: '访问密钥已签发', items, once: true }, global })
    await flushPromises()
    expect((hook(w, 'once-secret').element as HTMLInputElement).value).toBe('S'.repeat(43))
    expect((hook(w, 'once-key-id').element as HTMLInputElement).value).toBe('ak_0123456789abcdefghij')
    expect(hook(w, 'once-warning').text()).toContain('只显示这一次')
    expect(w.find('.el-dialog__headerbtn').exists()).toBe(false)
    const close = hook(w, 'once-close')
    expect(close.attributes('disabled')).toBeDefined()
    await close.trigger('click')
    expect(w.emitted('update:modelValue')).toBeUndefined()

    await hook(w, 'once-ack').find('input').setValue(true)
    expect(hook(w, 'once-close').attributes('disabled')).toBeUndefined()
    await hook(w, 'once-close').trigger('click')
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false])
    w.unmount()
  })

  it('asks again on every opening', async () => {
    const w = mount(RevealDialog, { props: { modelValue: true, title: 'T', items, once: true }, global })
    await flushPromises()
    await hook(w, 'once-ack').find('input').setValue(true)
    await w.setProps({ modelValue: false })
    await w.setProps({ modelValue: true })
    await flushPromises()
    expect(hook(w, 'once-close').attributes('disabled')).toBeDefined()
    w.unmount()
  })

  it('copies a value to the clipboard, and offers downloads where there is a file name', async () => {
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    const w = mount(RevealDialog, {
      props: { modelValue: true, title: 'T', once: false, info: '信封', items: [...items, { name: 'envelope', label: 'E', value: 'QUJD', multiline: true, filename: 'dk.b64' }] },
      global,
    })
    await flushPromises()
    await hook(w, 'once-copy-secret').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('S'.repeat(43))
    expect(hook(w, 'once-download-envelope').exists()).toBe(true)
    expect(hook(w, 'once-download-secret').exists()).toBe(false)
    expect(hook(w, 'once-envelope').element.tagName).toBe('TEXTAREA')
    // Not a secret: closes at once, with a note instead of the warning.
    expect(hook(w, 'once-warning').exists()).toBe(false)
    expect(hook(w, 'once-info').text()).toContain('信封')
    expect(hook(w, 'once-ack').exists()).toBe(false)
    await hook(w, 'once-close').trigger('click')
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false])
    w.unmount()
  })

  it('copyText falls back to execCommand when there is no Clipboard API', async () => {
    vi.stubGlobal('navigator', {})
    const exec = vi.fn(() => true)
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true })
    expect(await copyText('abc')).toBe(true)
    expect(exec).toHaveBeenCalledWith('copy')
    expect(document.querySelector('textarea')).toBeNull()
  })
})

describe('TagInput', () => {
  function mountTags(initial: string[] = [], validate?: (v: string) => boolean) {
    const tags = ref<string[]>(initial)
    const invalid = ref(false)
    const w = mount(
      defineComponent({
        setup: () => () =>
          h(TagInput, {
            modelValue: tags.value,
            'onUpdate:modelValue': (v: string[]) => (tags.value = v),
            invalid: invalid.value,
            'onUpdate:invalid': (v: boolean) => (invalid.value = v),
            validate,
            invalidText: '格式不对',
            emptyText: '全部字段',
            dataTest: 'x-tags',
          }),
      }),
      { global },
    )
    return { w, tags, invalid }
  }

  it('adds on Enter, splits a pasted list, drops repeats, removes by the tag and by Backspace', async () => {
    const { w, tags } = mountTags()
    expect(w.text()).toContain('全部字段')
    const input = hook(w, 'x-tags')
    expect(input.element.tagName).toBe('INPUT')
    await input.setValue('code')
    await input.trigger('keydown', { key: 'Enter' })
    expect(tags.value).toEqual(['code'])
    await input.setValue('a.b, c.d code')
    await input.trigger('keydown', { key: 'Enter' })
    expect(tags.value).toEqual(['code', 'a.b', 'c.d'])
    expect(hook(w, 'x-tags-tag-a.b').exists()).toBe(true)
    await hook(w, 'x-tags-tag-a.b').find('.el-tag__close').trigger('click')
    expect(tags.value).toEqual(['code', 'c.d'])
    await input.trigger('keydown', { key: 'Backspace' })
    expect(tags.value).toEqual(['code'])
    // Leaving the input keeps what was typed.
    await input.setValue('x.y')
    await input.trigger('blur')
    expect(tags.value).toEqual(['code', 'x.y'])
  })

  it('keeps a refused entry in the input with the message, and says so through v-model:invalid', async () => {
    const { w, tags, invalid } = mountTags([], (v) => /^\d+$/.test(v))
    const input = hook(w, 'x-tags')
    await input.setValue('1 x 2')
    await input.trigger('keydown', { key: 'Enter' })
    expect(tags.value).toEqual(['1', '2'])
    expect(invalid.value).toBe(true)
    expect((input.element as HTMLInputElement).value).toBe('x')
    expect(w.text()).toContain('格式不对: x')
    await input.setValue('')
    expect(invalid.value).toBe(false)
  })
})

describe('FieldClassEditor', () => {
  function mountEditor(rows: FieldRow[], props: Record<string, unknown> = {}) {
    const model = ref<FieldRow[]>(rows)
    const w = mount(
      defineComponent({
        setup: () => () => h(FieldClassEditor, { modelValue: model.value, 'onUpdate:modelValue': (v: FieldRow[]) => (model.value = v), ...props }),
      }),
      { global },
    )
    return { w, model }
  }

  it('adds and removes rows, each with its hooks and the eleven categories', async () => {
    const { w, model } = mountEditor([])
    expect(w.text()).toContain('未标注敏感字段')
    await hook(w, 'gwapi-field-add').trigger('click')
    await hook(w, 'gwapi-field-add').trigger('click')
    expect(model.value).toHaveLength(2)
    expect(hook(w, 'gwapi-field-path-1').element.tagName).toBe('INPUT')
    expect(hook(w, 'gwapi-field-category-0').classes()).toContain('el-select')
    await hook(w, 'gwapi-field-path-0').setValue('data.items[].phone')
    w.findAllComponents(ElSelect)[0]?.vm.$emit('update:modelValue', 'phone')
    await hook(w, 'gwapi-field-remove-1').trigger('click')
    expect(model.value.map((r) => [r.path, r.category])).toEqual([['data.items[].phone', 'phone']])
  })

  it('marks a bad path as it is typed, a missing category once a save was tried, and the server errors on their rows', async () => {
    const rows = [newFieldRow('', ''), newFieldRow('a..b', ''), newFieldRow('ok', 'phone')]
    const { w } = mountEditor(rows)
    expect(w.text()).toContain('路径格式应为')
    expect(w.text()).not.toContain('请选择敏感类别')
    const checked = mountEditor(rows, { checked: true, serverErrors: { 'fields[1].path': '服务器说不行' } })
    expect(checked.w.text()).toContain('请选择敏感类别')
    // fields[1] is the second row sent (the blank first row is not sent): the third row here.
    const third = checked.w.findAll('[data-test="gwapi-field-row"]')[2]
    expect(third?.text()).toContain('服务器说不行')
  })
})

describe('useAutoRefresh', () => {
  it('loads on mount and every interval while on; never two at once; stops when off and when unmounted', async () => {
    vi.useFakeTimers()
    let release: () => void = () => undefined
    const load = vi.fn(() => new Promise<void>((r) => (release = r)))
    let api!: ReturnType<typeof useAutoRefresh>
    const w = mount(defineComponent({ setup: () => ((api = useAutoRefresh(load, { intervalMs: 5000 })), () => h('div')) }))
    expect(load).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(5000)
    expect(load).toHaveBeenCalledTimes(1) // the first is still running
    release()
    await vi.advanceTimersByTimeAsync(5000)
    expect(load).toHaveBeenCalledTimes(2)
    release()
    api.enabled.value = false
    await nextTick()
    await vi.advanceTimersByTimeAsync(20000)
    expect(load).toHaveBeenCalledTimes(2)
    api.enabled.value = true
    await nextTick()
    await vi.advanceTimersByTimeAsync(5000)
    expect(load).toHaveBeenCalledTimes(3)
    release()
    w.unmount()
    await vi.advanceTimersByTimeAsync(20000)
    expect(load).toHaveBeenCalledTimes(3)
  })
})

// ---- pages against a stubbed API ----

type Handler = (method: string, url: string, body: unknown) => Response | undefined

function stubApi(handler: Handler) {
  const calls: string[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET'
      calls.push(`${method} ${url}`)
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
      return handler(method, url, body) ?? json({ items: [], total: 0, page: 1, page_size: 20 })
    }),
  )
  return calls
}

describe('接入方 page', () => {
  const consumer = { id: 3, code: 'bank-a', name: '甲银行', org_name: '甲银行股份有限公司', contact: '', phone: '', description: '', status: 'active', created_at: '', updated_at: '' }

  it('lists consumers; add/edit/delete follow the permissions', async () => {
    stubApi(() => json({ items: [consumer], total: 1, page: 1, page_size: 20 }))
    const none = mount(ConsumersView, { global })
    await flushPromises()
    expect(hook(none, 'consumer-row').text()).toContain('甲银行')
    for (const h of ['consumer-add', 'consumer-edit-bank-a', 'consumer-delete-bank-a']) expect(hook(none, h).exists(), h).toBe(false)
    none.unmount()

    useSessionStore().permissions = ['POST /api/v1/gateway/consumers', 'PUT /api/v1/gateway/consumers/{id}', 'DELETE /api/v1/gateway/consumers/{id}']
    const all = mount(ConsumersView, { global })
    await flushPromises()
    for (const h of ['consumer-add', 'consumer-edit-bank-a', 'consumer-delete-bank-a']) expect(hook(all, h).exists(), h).toBe(true)
    all.unmount()
  })

  it("shows the server's field errors on the fields", async () => {
    useSessionStore().permissions = ['POST /api/v1/gateway/consumers']
    stubApi((method) =>
      method === 'POST' ? problem(422, 'validation_failed', { detail: '输入有误', errors: [{ field: 'code', code: 'format' }, { field: 'phone', code: 'format' }] }) : undefined,
    )
    const w = mount(ConsumersView, { global, attachTo: document.body })
    await flushPromises()
    await hook(w, 'consumer-add').trigger('click')
    await flushPromises()
    await hook(w, 'consumer-code').setValue('1bad')
    await hook(w, 'consumer-name').setValue('甲银行')
    await hook(w, 'consumer-phone').setValue('abc')
    await hook(w, 'consumer-save').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(w.find('.el-form-item.is-error [data-test="consumer-code"]').exists()).toBe(true)
    expect(w.find('.el-form-item.is-error [data-test="consumer-phone"]').exists()).toBe(true)
    expect(w.find('.el-form-item.is-error [data-test="consumer-name"]').exists()).toBe(false)
    w.unmount()
  })
})

describe('密钥与凭证 page', () => {
  const perms = [
    'GET /api/v1/gateway/grant-options',
    'GET /api/v1/gateway/consumers/{id}/credentials',
    'POST /api/v1/gateway/consumers/{id}/keys',
    'POST /api/v1/gateway/keys/{id}/rotate',
    'POST /api/v1/gateway/keys/{id}/revoke',
    'POST /api/v1/gateway/consumers/{id}/data-keys',
    'GET /api/v1/gateway/platform-keys',
  ]
  const secret = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ'
  const issued = { id: 11, key_id: 'ak_AAAAAAAAAAAAAAAAAAAA', consumer_id: 3, kind: 'hmac', status: 'active', expires_at: null, created_at: '2026-01-01T00:00:00Z', revoked_at: null }

  async function mountPage(handler: Handler) {
    useSessionStore().permissions = perms
    let keys: unknown[] = []
    const calls = stubApi((method, url, body) => {
      if (url === '/api/v1/gateway/grant-options') return json({ consumers: [{ id: 3, code: 'bank-a', name: '甲银行' }], apis: [], categories: [] })
      if (url === '/api/v1/gateway/platform-keys') return json([{ id: 1, key_id: 'pk_1', public_pem: 'PEM', status: 'active', created_at: '' }])
      if (url === '/api/v1/gateway/consumers/3/credentials') return json({ id: 3, code: 'bank-a', name: '甲银行', keys, data_keys: [] })
      const r = handler(method, url, body)
      if (method === 'POST' && url.endsWith('/keys') && r?.status === 201) keys = [issued]
      return r
    })
    const w = mount(CredentialsView, { global, attachTo: document.body })
    await flushPromises()
    // Pick the consumer as the select would.
    const select = w.findComponent(ElSelect)
    select.vm.$emit('update:modelValue', 3)
    select.vm.$emit('change', 3)
    await flushPromises()
    return { w, calls }
  }

  it('issues an HMAC key and shows the secret once; closing drops it from the page', async () => {
    const { w, calls } = await mountPage((method, url, body) => {
      if (method === 'POST' && url === '/api/v1/gateway/consumers/3/keys') {
        expect(body).toEqual({ kind: 'hmac', expires_in_days: 0 })
        return json({ ...issued, secret }, 201)
      }
      return undefined
    })
    expect(hook(w, 'cred-pk-row').text()).toContain('pk_1')
    expect(hook(w, 'cred-key-row').exists()).toBe(false)
    await hook(w, 'cred-issue-hmac').trigger('click')
    await flushPromises()
    await hook(w, 'cred-key-save').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(calls).toContain('POST /api/v1/gateway/consumers/3/keys')
    expect((document.querySelector('[data-test="once-secret"]') as HTMLInputElement).value).toBe(secret)
    expect(hook(w, `cred-key-revoke-${issued.key_id}`).exists()).toBe(true)

    await hook(w, 'once-ack').find('input').setValue(true)
    await hook(w, 'once-close').trigger('click')
    await flushPromises()
    // el-dialog emits `closed` after its transition; jsdom has none, so fire it as the browser would.
    w.findComponent(RevealDialog).vm.$emit('closed')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    expect(document.body.innerHTML).not.toContain(secret)
    w.unmount()
  })

  it("says up front that a data key needs an SM2 key, and shows the server's needs_sm2_key in the dialog", async () => {
    const { w } = await mountPage((method, url) =>
      method === 'POST' && url === '/api/v1/gateway/consumers/3/data-keys'
        ? problem(409, 'needs_sm2_key', { detail: '签发数据密钥需要接入方先有有效的 SM2 公钥（数字信封用它加密）', detail_en: 'A data key needs an active SM2 key' })
        : undefined,
    )
    await hook(w, 'cred-issue-datakey').trigger('click')
    await flushPromises()
    expect(hook(w, 'cred-datakey-nosm2').exists()).toBe(true)
    await hook(w, 'cred-datakey-save').trigger('click')
    await flushPromises()
    const alert = hook(w, 'cred-datakey-error')
    expect(alert.attributes('data-code')).toBe('needs_sm2_key')
    expect(alert.text()).toContain('签发数据密钥需要接入方先有有效的 SM2 公钥')
    w.unmount()
  })

  it('rotates a key with the overlap and revokes after confirmation', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const posted: [string, unknown][] = []
    const { w } = await mountPage((method, url, body) => {
      if (method !== 'POST') return undefined
      posted.push([url, body])
      if (url.endsWith('/keys')) return json({ ...issued, secret }, 201)
      if (url.endsWith('/rotate')) return json({ ...issued, id: 12, key_id: 'ak_BBBBBBBBBBBBBBBBBBBB', secret: 'n'.repeat(43) }, 201)
      return noContent()
    })
    await hook(w, 'cred-issue-hmac').trigger('click')
    await flushPromises()
    await hook(w, 'cred-key-save').trigger('click')
    await flushPromises()
    w.findComponent(RevealDialog).vm.$emit('update:modelValue', false)
    await flushPromises()

    await hook(w, `cred-key-rotate-${issued.key_id}`).trigger('click')
    await flushPromises()
    expect(hook(w, 'cred-key-expires').exists()).toBe(false)
    expect(hook(w, 'cred-key-overlap').exists()).toBe(true)
    await hook(w, 'cred-key-save').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(posted.at(-1)).toEqual([`/api/v1/gateway/keys/${issued.id}/rotate`, { overlap_hours: 24 }])
    expect((document.querySelector('[data-test="once-key-id"]') as HTMLInputElement).value).toBe('ak_BBBBBBBBBBBBBBBBBBBB')
    w.findComponent(RevealDialog).vm.$emit('update:modelValue', false)
    await flushPromises()

    await hook(w, `cred-key-revoke-${issued.key_id}`).trigger('click')
    await flushPromises()
    expect(confirm.mock.calls[0]?.[0]).toContain(issued.key_id)
    expect(posted.at(-1)).toEqual([`/api/v1/gateway/keys/${issued.id}/revoke`, undefined])
    w.unmount()
  })

  it('without grant-options it says why there is no consumer list, and does not ask', async () => {
    useSessionStore().permissions = ['GET /api/v1/gateway/consumers/{id}/credentials']
    const calls = stubApi(() => undefined)
    const w = mount(CredentialsView, { global })
    await flushPromises()
    expect(hook(w, 'cred-no-options').exists()).toBe(true)
    expect(calls).toEqual([])
    expect(hook(w, 'cred-pk-rotate').exists()).toBe(false)
    w.unmount()
  })

  // (The passphrase rule, ≥ 12 characters, is an el-form rule: under vitest el-form's rules never
  // fail — see formSubmit.spec.ts — so the browser test checks it.)
  it('generates an SM2 pair with the passphrase and shows the private key once, with a download', async () => {
    const posted: unknown[] = []
    const { w } = await mountPage((method, url, body) => {
      if (method === 'POST' && url.endsWith('/keys')) {
        posted.push(body)
        return json({ ...issued, kind: 'sm2', public_pem: 'PUB', private_pem: 'PRIV' }, 201)
      }
      return undefined
    })
    await hook(w, 'cred-add-sm2').trigger('click')
    await flushPromises()
    await hook(w, 'cred-key-passphrase').setValue('a-long-passphrase')
    await hook(w, 'cred-key-passphrase-confirm').setValue('a-long-passphrase')
    await hook(w, 'cred-key-save').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(posted).toEqual([{ kind: 'sm2', expires_in_days: 0, generate: true, passphrase: 'a-long-passphrase' }])
    expect(document.querySelector('[data-test="once-private-pem"]')).not.toBeNull()
    expect(document.querySelector('[data-test="once-download-private-pem"]')).not.toBeNull()
    w.unmount()
  })
})

describe('调用日志 page', () => {
  const call = {
    call_id: 'c1',
    at: '2026-01-01T00:00:00Z',
    consumer_code: 'bank-a',
    key_id: 'ak_x',
    api_code: 'person.info',
    method: 'GET',
    path: '/gw/person/v1/info',
    client_ip: '127.0.0.1',
    status: 403,
    code: 'gw_not_granted',
    latency_us: 1200,
    bytes_in: 0,
    bytes_out: 120,
    records: 0,
    subject: '110105********002X',
  }

  it('shows each code with its meaning, refuses a bad 查询对象 before sending, and sends a good one upper-cased', async () => {
    const calls = stubApi(() => json({ items: [call], total: 1, page: 1, page_size: 20 }))
    const w = mount(CallsView, { global })
    await flushPromises()
    expect(hook(w, 'calls-code-cell').text()).toContain('gw_not_granted')
    expect(hook(w, 'calls-code-cell').text()).toContain('接入方未获此接口授权')
    expect(hook(w, 'calls-subject-cell').text()).toBe('110105********002X')
    expect(hook(w, 'calls-export-csv').exists()).toBe(false)

    await hook(w, 'calls-subject').setValue('110105194912310021')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('.el-form-item.is-error [data-test="calls-subject"]').exists()).toBe(true)
    expect(calls.filter((c) => c.includes('subject='))).toEqual([])

    await hook(w, 'calls-subject').setValue('11010519491231002x')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(calls.at(-1)).toBe('GET /api/v1/gateway/calls?subject=11010519491231002X&page=1&page_size=20')
    w.unmount()
  })
})

describe('运行状态 page', () => {
  it('shows the version, state and coloured breaker states', async () => {
    stubApi(() =>
      json({
        version: 7,
        apis: 2,
        keys: 3,
        grants: 1,
        state: 'redis',
        breakers: [
          { upstream: 'a:80', state: 'closed', requests: 5, total_failures: 0, consecutive_failures: 0 },
          { upstream: 'b:80', state: 'open', requests: 9, total_failures: 9, consecutive_failures: 5 },
          { upstream: 'c:80', state: 'half-open', requests: 1, total_failures: 0, consecutive_failures: 0 },
        ],
      }),
    )
    const w = mount(StatusView, { global })
    await flushPromises()
    expect(hook(w, 'gwstatus-version').text()).toBe('7')
    expect(hook(w, 'gwstatus-state').text()).toContain('Redis')
    // (test-utils stubs el-tag's transition, so the hook sits on the stub around the tag)
    const tag = (upstream: string) => w.find(`[data-test="gwstatus-breaker-${upstream}"] .el-tag, .el-tag[data-test="gwstatus-breaker-${upstream}"]`)
    expect(tag('a:80').classes()).toContain('el-tag--success')
    expect(tag('b:80').classes()).toContain('el-tag--danger')
    expect(tag('b:80').text()).toContain('熔断')
    expect(tag('c:80').classes()).toContain('el-tag--warning')
    expect(w.findAll('[data-test="gwstatus-row"]')).toHaveLength(3)
    w.unmount()
  })

  it('shows a failed refresh in place, without a toast', async () => {
    stubApi(() => problem(503, 'internal', { detail: '服务暂不可用' }))
    const w = mount(StatusView, { global })
    await flushPromises()
    expect(hook(w, 'gwstatus-error').text()).toContain('服务暂不可用')
    expect(document.querySelector('.el-message')).toBeNull()
    w.unmount()
  })
})


describe('接口授权 page', () => {
  const grant = {
    id: 5,
    consumer_id: 3,
    consumer_code: 'bank-a',
    api_id: 7,
    api_code: 'person.info',
    fields: ['code', 'data.items[].phone'],
    plaintext_categories: ['name'],
    rate_per_sec: 0,
    burst: 0,
    quota_day: 1000,
    quota_month: 0,
    valid_from: null,
    valid_to: null,
    ip_allowlist: [],
    methods: ['GET'],
    status: 'active',
    created_at: '',
    updated_at: '',
  }
  const options = { consumers: [{ id: 3, code: 'bank-a', name: '甲银行' }], apis: [{ id: 7, code: 'person.info', name: '人员信息' }], categories: ['name', 'phone'] }

  it('filters by consumer and API, shows what is granted, and edits with PUT; indexed field errors land on their list', async () => {
    useSessionStore().permissions = ['PUT /api/v1/gateway/grants/{id}', 'POST /api/v1/gateway/grants']
    const sent: [string, unknown][] = []
    const calls = stubApi((method, url, body) => {
      if (url === '/api/v1/gateway/grant-options') return json(options)
      if (method === 'PUT') {
        sent.push([url, body])
        return problem(422, 'validation_failed', { errors: [{ field: 'ip_allowlist[0]', code: 'format' }] })
      }
      return json({ items: [grant], total: 1, page: 1, page_size: 20 })
    })
    const w = mount(GrantsView, { global, attachTo: document.body })
    await flushPromises()
    const row = hook(w, 'grant-row')
    expect(row.text()).toContain('data.items[].phone')
    expect(row.text()).toContain('姓名') // the plain-text category, by name
    expect(row.text()).toContain('甲银行')
    expect(hook(w, 'grant-delete-bank-a-person.info').exists()).toBe(false)

    const [consumerFilter] = w.findAllComponents(ElSelect)
    consumerFilter?.vm.$emit('update:modelValue', 3)
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(calls.at(-1)).toBe('GET /api/v1/gateway/grants?consumer_id=3&page=1&page_size=20')

    await hook(w, 'grant-edit-bank-a-person.info').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(hook(w, 'grant-fields-tag-data.items[].phone').exists()).toBe(true)
    const ips = hook(w, 'grant-ips')
    await ips.setValue('10.0.0.0/8')
    await ips.trigger('keydown', { key: 'Enter' })
    await hook(w, 'grant-save').trigger('click')
    await flushPromises()
    expect(sent[0]?.[0]).toBe('/api/v1/gateway/grants/5')
    expect(sent[0]?.[1]).toMatchObject({ fields: ['code', 'data.items[].phone'], plaintext_categories: ['name'], ip_allowlist: ['10.0.0.0/8'], methods: ['GET'], quota_day: 1000, valid_from: null })
    await nextTick()
    expect(w.find('.el-form-item.is-error [data-test="grant-ips"]').exists()).toBe(true)
    w.unmount()
  })
})
