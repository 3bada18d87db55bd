// Buttons inside pages follow the permission strings of GET /me.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { vTestRows } from '@/directives/testRows'
import { useSessionStore } from '@/stores/session'
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
