// Connects the API client's hooks to the session store, the router and messages.
import { ElMessage } from 'element-plus'
import type { Router } from 'vue-router'
import { i18n } from '@/i18n'
import { loginLocation } from '@/router/guards'
import { FORCED_PASSWORD_ROUTE } from '@/router/routes'
import { http, type ApiClient } from './client'

export interface SessionPort {
  readonly csrfToken: string
  mustChangePassword: boolean
  clear(): void
}

export interface ConnectOptions {
  router: Router
  session: SessionPort
  client?: ApiClient
  notify?: (message: string) => void
}

export function connectApi({ router, session, client = http, notify }: ConnectOptions): void {
  client.configure({
    getCsrfToken: () => session.csrfToken,
    getLang: () => i18n.lang.value,
    notify: notify ?? ((message) => void ElMessage.error({ message, grouping: true, showClose: true })),
    onUnauthorized: () => {
      session.clear()
      const current = router.currentRoute.value
      if (current.meta.public) return
      void router.replace(loginLocation(current.fullPath))
    },
    onPasswordChangeRequired: () => {
      session.mustChangePassword = true
      const current = router.currentRoute.value
      if (current.name === FORCED_PASSWORD_ROUTE) return
      void router.replace({ name: FORCED_PASSWORD_ROUTE, query: { redirect: current.fullPath } })
    },
  })
}
