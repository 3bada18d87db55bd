// Mounted components: the login flow, the sidebar built from /me/menus, and the data-test hooks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { UserMenu } from '@/api/types'
import { vTestRows } from '@/directives/testRows'
import { i18n } from '@/i18n'
import CheckTree from '@/components/CheckTree.vue'
import SideMenu from '@/layouts/SideMenu.vue'
import { useSessionStore } from '@/stores/session'
import LoginView from '@/views/auth/LoginView.vue'
import { json, problem } from './helpers'

const Blank = defineComponent({ render: () => h('div') })

function makeRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
      { path: '/password', name: 'password', component: Blank },
      { path: '/home', name: 'home', component: Blank },
      { path: '/system/users', name: 'users', component: Blank },
      { path: '/portal/frame', name: 'frame', component: Blank },
    ],
  })
}

const user = {
  id: 1,
  username: 'admin',
  display_name: '系统管理员',
  org_id: 1,
  org_name: '省人社厅',
  phone: '',
  email: '',
  status: 'active',
  locked: false,
  must_change_password: false,
  last_login_at: null,
  created_at: '2024-01-01T00:00:00Z',
  updated_at: '2024-01-01T00:00:00Z',
  management_roles: [],
  business_roles: [],
}

beforeEach(() => {
  setActivePinia(createPinia())
  i18n.setLang('zh-CN')
})

afterEach(() => {
  vi.unstubAllGlobals()
})

async function mountLogin(fetchImpl: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return fetchImpl(url, init)
    }),
  )
  const router = makeRouter()
  await router.push('/login?redirect=/system/users')
  const wrapper = mount({ render: () => h(defineComponent({ render: () => h('div', [h(LoginView)]) })) }, {
    global: { plugins: [ElementPlus, router] },
    attachTo: document.body,
  })
  return { wrapper, router, calls }
}

async function fillAndSubmit(wrapper: Awaited<ReturnType<typeof mountLogin>>['wrapper']) {
  const username = wrapper.find('[data-test="login-username"]')
  const password = wrapper.find('[data-test="login-password"]')
  // The hooks sit on the <input> elements themselves, so a browser test can fill them.
  expect(username.element.tagName).toBe('INPUT')
  expect(password.element.tagName).toBe('INPUT')
  await username.setValue('admin')
  await password.setValue('Secret-Passw0rd')
  // Enter in the password field and a click on the button both submit; only one login may go out.
  await wrapper.find('[data-test="login-submit"]').trigger('click')
  await password.trigger('keyup', { key: 'Enter' })
  await flushPromises()
  await new Promise((r) => setTimeout(r, 0))
  await flushPromises()
}

describe('LoginView', () => {
  it('logs in, loads /me and /me/menus, and goes to the redirect', async () => {
    const { wrapper, router, calls } = await mountLogin((url) => {
      if (url.endsWith('/auth/login')) return json({ user, csrf_token: 'c1', must_change_password: false })
      if (url.endsWith('/me')) return json({ user, csrf_token: 'c2', must_change_password: false, admin_kind: 'system', permissions: ['POST /api/v1/users'] })
      if (url.endsWith('/me/menus')) return json([])
      return problem(404, 'not_found')
    })
    await fillAndSubmit(wrapper)
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/login', '/api/v1/me', '/api/v1/me/menus'])
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ username: 'admin', password: 'Secret-Passw0rd' })
    const session = useSessionStore()
    expect(session.csrfToken).toBe('c2')
    expect(session.can('POST /api/v1/users')).toBe(true)
    expect(router.currentRoute.value.fullPath).toBe('/system/users')
    wrapper.unmount()
  })

  it('routes to the password page when a change is required, without loading menus', async () => {
    const { wrapper, router, calls } = await mountLogin((url) => {
      if (url.endsWith('/auth/login')) return json({ user: { ...user, must_change_password: true }, csrf_token: 'c1', must_change_password: true })
      if (url.endsWith('/me')) return json({ user, csrf_token: 'c1', must_change_password: true, admin_kind: '', permissions: [] })
      return problem(403, 'password_change_required')
    })
    await fillAndSubmit(wrapper)
    expect(router.currentRoute.value.name).toBe('password')
    expect(router.currentRoute.value.query.redirect).toBe('/system/users')
    expect(calls.some((c) => c.url.endsWith('/me/menus'))).toBe(false)
    wrapper.unmount()
  })

  it('shows the problem detail in the current language and follows a switch', async () => {
    const { wrapper, router } = await mountLogin(() =>
      problem(423, 'account_locked', { detail: '账号已锁定，请 30 分钟后再试', detail_en: 'The account is locked; try again in 30 minutes' }),
    )
    await fillAndSubmit(wrapper)
    const alert = () => wrapper.find('[data-test="login-error"]')
    expect(alert().text()).toContain('账号已锁定，请 30 分钟后再试')
    i18n.setLang('en')
    await nextTick()
    expect(alert().text()).toContain('The account is locked; try again in 30 minutes')
    expect(router.currentRoute.value.path).toBe('/login')
    wrapper.unmount()
  })
})

describe('SideMenu', () => {
  const menus: UserMenu[] = [
    {
      id: 1,
      code: 'system',
      name_zh: '系统管理',
      name_en: 'System',
      type: 'dir',
      path: '',
      icon: 'Setting',
      external_url: '',
      children: [
        { id: 2, code: 'users', name_zh: '用户管理', name_en: 'Users', type: 'menu', path: '/system/users', icon: '', external_url: '', children: [] },
        { id: 3, code: 'hr', name_zh: '人事系统', name_en: 'HR', type: 'menu', path: '', icon: '', external_url: 'https://hr.example/', children: [] },
      ],
    },
  ]

  it('renders only what /me/menus gave, with data-test hooks, and navigates', async () => {
    const router = makeRouter()
    await router.push('/home')
    const session = useSessionStore()
    session.menus = menus
    const wrapper = mount(SideMenu, { global: { plugins: [ElementPlus, router] } })
    await flushPromises()
    expect(wrapper.find('[data-test="menu-system"]').text()).toBe('系统管理')
    const users = wrapper.find('[data-test="menu-users"]')
    expect(users.element.tagName).toBe('LI')
    expect(users.text()).toBe('用户管理')
    expect(wrapper.find('[data-test="menu-orgs"]').exists()).toBe(false)

    await users.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/system/users')

    await wrapper.find('[data-test="menu-hr"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/portal/frame?menu=3')

    i18n.setLang('en')
    await nextTick()
    expect(wrapper.find('[data-test="menu-users"]').text()).toBe('Users')
    wrapper.unmount()
  })
})

describe('v-test-rows', () => {
  it('marks every el-table body row, also after the data changes', async () => {
    const Table = defineComponent({
      props: { rows: { type: Array, required: true } },
      directives: { testRows: vTestRows },
      template: `<el-table v-test-rows="'audit-row'" :data="rows"><el-table-column prop="seq" label="seq" /></el-table>`,
    })
    const wrapper = mount(Table, { props: { rows: [{ seq: 1 }, { seq: 2 }] }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(wrapper.findAll('[data-test="audit-row"]')).toHaveLength(2)
    await wrapper.setProps({ rows: [{ seq: 3 }, { seq: 4 }, { seq: 5 }] })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    const rows = wrapper.findAll('[data-test="audit-row"]')
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.element.tagName === 'TR')).toBe(true)
    wrapper.unmount()
  })

  it('names each row after its record in the keyed form, following the data', async () => {
    const Table = defineComponent({
      props: { rows: { type: Array<{ code: string }>, required: true } },
      directives: { testRows: vTestRows },
      template: `<el-table v-test-rows="{ name: 'ds-row', keys: rows.map((r) => r.code) }" :data="rows"><el-table-column prop="code" label="code" /></el-table>`,
    })
    const wrapper = mount(Table, { props: { rows: [{ code: 'a' }, { code: 'b' }] }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(wrapper.find('[data-test="ds-row-a"]').text()).toBe('a')
    expect(wrapper.find('[data-test="ds-row-b"]').text()).toBe('b')
    await wrapper.setProps({ rows: [{ code: 'c' }, { code: 'a' }] })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(wrapper.find('[data-test="ds-row-c"]').text()).toBe('c')
    expect(wrapper.find('[data-test="ds-row-a"]').text()).toBe('a')
    expect(wrapper.find('[data-test="ds-row-b"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

describe('CheckTree', () => {
  interface M {
    id: number
    code: string
    name: string
    children?: M[]
  }
  const data: M[] = [
    { id: 1, code: 'system', name: '系统管理', children: [{ id: 11, code: 'system.orgs', name: '组织机构', children: [{ id: 111, code: 'system.orgs.write', name: '机构维护' }] }] },
    { id: 2, code: 'audit', name: '审计' },
  ]

  async function mountTree(modelValue: number[], cascade = true) {
    const wrapper = mount(CheckTree<M>, {
      props: { data, modelValue, cascade, label: (m: M) => m.name, dataTest: 'tree', nodeTestPrefix: 'node' },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    await nextTick()
    const checked = (code: string) =>
      wrapper.find(`[data-test="node-${code}"]`).element.closest('.el-tree-node__content')?.querySelector('.el-checkbox')?.classList.contains('is-checked')
    const click = async (code: string) => {
      await wrapper.find(`[data-test="node-${code}"]`).trigger('click')
      await flushPromises()
    }
    const last = () => [...((wrapper.emitted('update:modelValue')?.at(-1)?.[0] as number[]) ?? [])].sort((a, b) => a - b)
    return { wrapper, checked, click, last }
  }

  it('shows exactly the ids it is given (a menu without its button or directory)', async () => {
    const { wrapper, checked } = await mountTree([11])
    expect(checked('system.orgs')).toBe(true)
    expect(checked('system.orgs.write')).toBe(false)
    expect(checked('system')).toBe(false)
    wrapper.unmount()
  })

  it('cascades: checking a menu adds its buttons and directories; unchecking a button keeps the menu', async () => {
    const { wrapper, checked, click, last } = await mountTree([])
    await click('system.orgs')
    expect(last()).toEqual([1, 11, 111])
    expect(checked('system.orgs.write')).toBe(true)
    await click('system.orgs.write')
    expect(last()).toEqual([1, 11])
    await click('system.orgs')
    expect(last()).toEqual([1])
    wrapper.unmount()
  })

  it('without cascade each node stands alone', async () => {
    const { wrapper, click, last } = await mountTree([2], false)
    await click('system.orgs')
    expect(last()).toEqual([2, 11])
    wrapper.unmount()
  })
})
