// Turns GET /me/menus into the sidebar's model.
import type { Id, UserMenu } from '@/api/types'
import type { Lang } from '@/i18n/lang'
import { findInTree, sameId } from './tree'

export const FRAME_PATH = '/portal/frame'

export interface SidebarItem {
  /** el-menu index: a route path, a frame route with ?menu=, or "dir:<id>" for a group. */
  key: string
  id: Id
  code: string
  title: string
  icon: string
  kind: 'group' | 'route' | 'frame'
  children: SidebarItem[]
}

export function frameRoute(id: Id): string {
  return `${FRAME_PATH}?menu=${encodeURIComponent(String(id))}`
}

export function menuTitle(menu: Pick<UserMenu, 'name_zh' | 'name_en' | 'code'>, lang: Lang): string {
  return lang === 'en' ? menu.name_en || menu.name_zh || menu.code : menu.name_zh || menu.name_en || menu.code
}

/**
 * Only http(s) addresses (absolute, or relative to the console) may open in
 * the frame: a "javascript:" or "data:" URL in an iframe would run in the
 * console's origin.
 */
export function isSafeExternalUrl(url: string | null | undefined): boolean {
  const u = (url ?? '').trim()
  if (!u) return false
  try {
    const base = typeof location === 'undefined' ? 'http://localhost/' : location.href
    const parsed = new URL(u, base)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
  } catch {
    return false
  }
}

function normalizePath(path: string): string {
  const p = path.trim()
  if (!p) return ''
  return p.startsWith('/') ? p : `/${p}`
}

function toItem(menu: UserMenu, lang: Lang): SidebarItem | null {
  const base = { id: menu.id, code: menu.code, title: menuTitle(menu, lang), icon: menu.icon ?? '' }
  if (menu.type === 'dir') {
    const children = toSidebar(menu.children, lang)
    // A directory with nothing the user can open is left out.
    if (children.length === 0) return null
    return { ...base, key: `dir:${String(menu.id)}`, kind: 'group', children }
  }
  if (menu.type === 'menu') {
    // Menu-level integration (菜单级集成): the external page opens inside the console.
    if (menu.external_url) {
      return isSafeExternalUrl(menu.external_url) ? { ...base, key: frameRoute(menu.id), kind: 'frame', children: [] } : null
    }
    const path = normalizePath(menu.path ?? '')
    if (!path) return null
    return { ...base, key: path, kind: 'route', children: [] }
  }
  // Buttons are not in /me/menus; anything else is ignored.
  return null
}

/** Sidebar items in the server's order; dirs become groups, menus become links. */
export function toSidebar(menus: readonly UserMenu[] | null | undefined, lang: Lang): SidebarItem[] {
  const out: SidebarItem[] = []
  for (const m of menus ?? []) {
    const item = toItem(m, lang)
    if (item) out.push(item)
  }
  return out
}

/** Keys of every group, to open them all by default. */
export function groupKeys(items: readonly SidebarItem[]): string[] {
  return items.flatMap((i) => (i.kind === 'group' ? [i.key, ...groupKeys(i.children)] : []))
}

export function findUserMenu(menus: readonly UserMenu[] | null | undefined, id: Id | null | undefined): UserMenu | undefined {
  if (id === null || id === undefined || id === '') return undefined
  return findInTree(menus, (m) => sameId(m.id, id))
}

/** The sidebar key to highlight for a route (path plus the frame's ?menu=). */
export function activeSidebarKey(path: string, menuQuery: unknown): string {
  if (path === FRAME_PATH && (typeof menuQuery === 'string' || typeof menuQuery === 'number')) {
    return frameRoute(menuQuery)
  }
  return path
}
