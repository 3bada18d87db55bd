import type { AppMessageKey } from '@/i18n'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login page). */
    public?: boolean
    /** i18n key of the page title. */
    title?: AppMessageKey
    /** The sidebar entry to highlight for a page that has none of its own (an editor under its list). */
    menuPath?: string
  }
}

export {}
