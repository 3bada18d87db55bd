// Buttons inside pages follow the permission strings of GET /me (and a record's own state, e.g. built-in).
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { vTestRows } from '@/directives/testRows'
import { useSessionStore } from '@/stores/session'
import UrlResourcesView from '@/views/system/urlres/UrlResourcesView.vue'
import UsersView from '@/views/system/users/UsersView.vue'
import { json } from './helpers'

const row = {
  id: 7,
  username: 'lisi',
  display_name: '李四',
  org_id: 1,
  org_name: '某市人社局',
  phone: '',
  email: '',
  status: 'active',
  locked: false,
  must_change_password: false,
  last_login_at: null,
  created_at: '2024-01-01T00:00:00Z',
  updated_at: '2024-01-01T00:00:00Z',
  management_roles: [],
  business_roles: [{ id: 3, name: '经办人员' }],
}

async function mountUsers(permissions: string[]) {
  setActivePinia(createPinia())
  const session = useSessionStore()
  session.permissions = permissions
  const requests: string[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requests.push(url)
      if (url.startsWith('/api/v1/users')) return json({ items: [row], total: 1, page: 1, page_size: 20 })
      return json([])
    }),
  )
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: defineComponent({ render: () => h('div') }) }] })
  const wrapper = mount(UsersView, { global: { plugins: [ElementPlus, router], directives: { testRows: vTestRows } } })
  await flushPromises()
  await new Promise((r) => setTimeout(r, 0))
  return { wrapper, requests }
}

describe('permission-gated buttons (users page)', () => {
  beforeEach(() => vi.unstubAllGlobals())

  it('shows no action buttons without permissions, but still lists users', async () => {
    const { wrapper, requests } = await mountUsers([])
    expect(requests).toContain('/api/v1/users?page=1&page_size=20')
    expect(wrapper.text()).toContain('lisi')
    for (const hook of ['user-add', 'user-edit-lisi', 'user-roles-lisi', 'user-reset-lisi', 'user-delete-lisi']) {
      expect(wrapper.find(`[data-test="${hook}"]`).exists(), hook).toBe(false)
    }
    wrapper.unmount()
  })

  it('shows exactly the buttons whose route patterns are granted', async () => {
    const { wrapper } = await mountUsers(['POST /api/v1/users', 'PUT /api/v1/users/{id}/roles', 'GET /api/v1/users'])
    expect(wrapper.find('[data-test="user-add"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="user-roles-lisi"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="user-edit-lisi"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="user-delete-lisi"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="user-row"]').exists()).toBe(true)
    wrapper.unmount()
  })
})

describe('row actions (URL resources page)', () => {
  const resources = [
    { id: 1, code: 'users.list', name: '用户列表', method: 'GET', pattern: '/api/v1/users', builtin: true, menu_ids: [] },
    { id: 2, code: 'oa.read', name: 'OA 读取', method: 'GET', pattern: '/api/v1/oa', builtin: false, menu_ids: [] },
  ]

  async function mountUrlResources(permissions: string[]) {
    setActivePinia(createPinia())
    useSessionStore().permissions = permissions
    const requests: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        requests.push(`${init.method ?? 'GET'} ${url}`)
        if (init.method === 'DELETE') return new Response(null, { status: 204 })
        return json({ items: resources, total: 2, page: 1, page_size: 20 })
      }),
    )
    const wrapper = mount(UrlResourcesView, { global: { plugins: [ElementPlus], directives: { testRows: vTestRows } } })
    await flushPromises()
    return { wrapper, requests }
  }

  beforeEach(() => vi.unstubAllGlobals())

  it('offers edit and delete only with their permissions, and never delete for built-in resources', async () => {
    const all = await mountUrlResources(['PUT /api/v1/url-resources/{id}', 'DELETE /api/v1/url-resources/{id}'])
    expect(all.wrapper.find('[data-test="urlres-edit-users.list"]').exists()).toBe(true)
    expect(all.wrapper.find('[data-test="urlres-delete-users.list"]').exists()).toBe(false)
    expect(all.wrapper.find('[data-test="urlres-delete-oa.read"]').exists()).toBe(true)
    expect(all.wrapper.find('[data-test="urlres-add"]').exists()).toBe(false)
    all.wrapper.unmount()

    const none = await mountUrlResources([])
    expect(none.wrapper.find('[data-test="urlres-row"]').exists()).toBe(true)
    expect(none.wrapper.find('[data-test^="urlres-edit-"]').exists()).toBe(false)
    expect(none.wrapper.find('[data-test^="urlres-delete-"]').exists()).toBe(false)
    none.wrapper.unmount()
  })

  it('deletes after confirmation and reloads the list', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const { wrapper, requests } = await mountUrlResources(['DELETE /api/v1/url-resources/{id}'])
    await wrapper.find('[data-test="urlres-delete-oa.read"]').trigger('click')
    await flushPromises()
    expect(confirm.mock.calls[0]?.[0]).toContain('OA 读取')
    expect(requests.slice(1)).toEqual(['DELETE /api/v1/url-resources/2', 'GET /api/v1/url-resources?page=1&page_size=20'])
    wrapper.unmount()
  })
})
