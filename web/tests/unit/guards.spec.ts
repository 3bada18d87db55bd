import { describe, expect, it } from 'vitest'
import { defineComponent } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { installGuards, safeRedirect, type GuardSession } from '@/router/guards'

const Blank = defineComponent({ template: '<div />' })

function makeRouter(session: GuardSession) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: Blank, meta: { public: true } },
      { path: '/password', name: 'password', component: Blank },
      { path: '/profile/password', name: 'profile-password', component: Blank },
      { path: '/home', name: 'home', component: Blank },
      { path: '/system/users', name: 'users', component: Blank },
    ],
  })
  installGuards(router, session)
  return router
}

describe('router guards', () => {
  it('sends visitors without a session to /login with a redirect', async () => {
    const router = makeRouter({ mustChangePassword: false, ensureLoaded: async () => false })
    await router.push('/system/users?q=a')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query.redirect).toBe('/system/users?q=a')
  })

  it('lets signed-in users through', async () => {
    const router = makeRouter({ mustChangePassword: false, ensureLoaded: async () => true })
    await router.push('/system/users')
    expect(router.currentRoute.value.path).toBe('/system/users')
  })

  it('keeps a user who must change the password on the password page', async () => {
    const session = { mustChangePassword: true, ensureLoaded: async () => true }
    const router = makeRouter(session)
    await router.push('/system/users')
    expect(router.currentRoute.value.name).toBe('password')
    await router.push('/home')
    expect(router.currentRoute.value.name).toBe('password')
    // once changed, navigation is free again
    session.mustChangePassword = false
    await router.push('/home')
    expect(router.currentRoute.value.path).toBe('/home')
  })

  it('sends a voluntary visit of /password to the in-layout page', async () => {
    const router = makeRouter({ mustChangePassword: false, ensureLoaded: async () => true })
    await router.push('/password')
    expect(router.currentRoute.value.name).toBe('profile-password')
  })

  it('does not need a session for the login page', async () => {
    let asked = false
    const router = makeRouter({
      mustChangePassword: false,
      ensureLoaded: async () => {
        asked = true
        return false
      },
    })
    await router.push('/login')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(asked).toBe(false)
  })
})

describe('safeRedirect', () => {
  it('accepts same-site paths only', () => {
    expect(safeRedirect('/system/users?page=2')).toBe('/system/users?page=2')
    expect(safeRedirect('https://evil.example/')).toBe('/home')
    expect(safeRedirect('//evil.example/')).toBe('/home')
    expect(safeRedirect('/\\evil.example')).toBe('/home')
    expect(safeRedirect(undefined)).toBe('/home')
    expect(safeRedirect(['/a', '/b'])).toBe('/a')
  })

  it('never redirects back to the login or forced password page', () => {
    expect(safeRedirect('/login')).toBe('/home')
    expect(safeRedirect('/login?redirect=/x')).toBe('/home')
    expect(safeRedirect('/password')).toBe('/home')
  })
})
