// The wiring of the client's hooks to the router: 401 → /login?redirect=…, 403 password_change_required → /password.
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, reactive } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { createApiClient } from '@/api/client'
import { connectApi } from '@/api/setup'
import { mockFetch, problem } from './helpers'

const Blank = defineComponent({ template: '<div />' })

function setup(start: string, answer: () => Response) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: Blank, meta: { public: true } },
      { path: '/password', name: 'password', component: Blank },
      { path: '/system/users', component: Blank },
      { path: '/home', component: Blank },
    ],
  })
  const session = reactive({ csrfToken: 'csrf-1', mustChangePassword: false, clear: vi.fn() })
  const { fetch, calls } = mockFetch(answer)
  const client = createApiClient({ fetch })
  const notify = vi.fn()
  connectApi({ router, session, client, notify })
  return { router, session, client, notify, calls, ready: router.push(start) }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('connectApi', () => {
  it('sends the store CSRF token on unsafe requests', async () => {
    const { client, calls, ready } = setup('/home', () => new Response(null, { status: 204 }))
    await ready
    await client.post('/auth/logout')
    await client.get('/me').catch(() => undefined)
    expect(calls[0]?.headers['X-CSRF-Token']).toBe('csrf-1')
    expect(calls[1]?.headers['X-CSRF-Token']).toBeUndefined()
  })

  it('on 401 clears the session and routes to /login keeping a redirect', async () => {
    const { router, session, client, notify, ready } = setup('/system/users?page=2', () =>
      problem(401, 'session_expired', { detail: '会话已超时，请重新登录', detail_en: 'Session expired' }),
    )
    await ready
    await expect(client.get('/users')).rejects.toMatchObject({ status: 401 })
    await settle()
    expect(session.clear).toHaveBeenCalled()
    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query.redirect).toBe('/system/users?page=2')
    expect(notify).toHaveBeenCalledWith('会话已超时，请重新登录')
  })

  it('does not navigate again when already on the login page', async () => {
    const { router, client, ready } = setup('/login', () => problem(401, 'unauthenticated'))
    await ready
    const replace = vi.spyOn(router, 'replace')
    await client.get('/me').catch(() => undefined)
    await settle()
    expect(replace).not.toHaveBeenCalled()
    expect(router.currentRoute.value.fullPath).toBe('/login')
  })

  it('on 403 password_change_required routes to the password page', async () => {
    const { router, session, client, ready } = setup('/system/users', () => problem(403, 'password_change_required'))
    await ready
    await client.get('/users').catch(() => undefined)
    await settle()
    expect(session.mustChangePassword).toBe(true)
    expect(router.currentRoute.value.name).toBe('password')
    expect(router.currentRoute.value.query.redirect).toBe('/system/users')
  })
})
