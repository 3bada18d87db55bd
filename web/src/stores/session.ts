// The signed-in user: profile, CSRF token, permissions and menus.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi } from '@/api/auth'
import type { AdminKind, LoginResponse, MeResponse, ProfileUpdate, User, UserMenu } from '@/api/types'
import { createPermissionChecker } from '@/utils/permission'

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null)
  const csrfToken = ref('')
  const mustChangePassword = ref(false)
  const adminKind = ref<AdminKind>('')
  const permissions = ref<string[]>([])
  const menus = ref<UserMenu[]>([])
  /** GET /me has answered for the current session. */
  const loaded = ref(false)

  const isLoggedIn = computed(() => user.value !== null)
  const checker = computed(() => createPermissionChecker(permissions.value))

  function can(permission: string): boolean {
    return checker.value(permission)
  }

  function applyLogin(res: LoginResponse): void {
    user.value = res.user
    csrfToken.value = res.csrf_token
    // The top-level flag of the login and /me answers drives the forced change.
    mustChangePassword.value = res.must_change_password === true
  }

  function applyMe(res: MeResponse): void {
    applyLogin(res)
    adminKind.value = res.admin_kind ?? ''
    permissions.value = res.permissions ?? []
    loaded.value = true
  }

  async function loadMe(opts: { skipAuthHooks?: boolean } = {}): Promise<void> {
    applyMe(await authApi.me(opts))
  }

  async function loadMenus(): Promise<void> {
    // While a password change is required the server refuses everything but /me.
    if (mustChangePassword.value) {
      menus.value = []
      return
    }
    menus.value = (await authApi.menus()) ?? []
  }

  /** Loads /me and the menus once per session; false when there is no session. */
  async function ensureLoaded(): Promise<boolean> {
    if (loaded.value && user.value) return true
    try {
      await loadMe({ skipAuthHooks: true })
    } catch {
      clear()
      return false
    }
    await loadMenus().catch(() => undefined)
    return true
  }

  async function login(username: string, password: string): Promise<void> {
    applyLogin(await authApi.login(username, password))
    await loadMe()
    await loadMenus().catch(() => undefined)
  }

  /** After a successful password change: the flag is gone, so permissions and menus can load. */
  async function afterPasswordChange(): Promise<void> {
    mustChangePassword.value = false
    await loadMe()
    await loadMenus().catch(() => undefined)
  }

  async function updateProfile(body: ProfileUpdate): Promise<void> {
    user.value = await authApi.updateMe(body)
  }

  async function logout(all = false): Promise<void> {
    try {
      await (all ? authApi.logoutAll() : authApi.logout())
    } finally {
      clear()
    }
  }

  function clear(): void {
    user.value = null
    csrfToken.value = ''
    mustChangePassword.value = false
    adminKind.value = ''
    permissions.value = []
    menus.value = []
    loaded.value = false
  }

  return {
    user,
    csrfToken,
    mustChangePassword,
    adminKind,
    permissions,
    menus,
    loaded,
    isLoggedIn,
    can,
    applyLogin,
    applyMe,
    loadMe,
    loadMenus,
    ensureLoaded,
    login,
    afterPasswordChange,
    updateProfile,
    logout,
    clear,
  }
})
