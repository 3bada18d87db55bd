import { describe, expect, it } from 'vitest'
import type { UserMenu } from '@/api/types'
import { activeSidebarKey, findUserMenu, frameRoute, groupKeys, isSafeExternalUrl, toSidebar } from '@/utils/menuTree'

const m = (over: Partial<UserMenu> & Pick<UserMenu, 'id' | 'code' | 'type'>): UserMenu => ({
  name_zh: '',
  name_en: '',
  path: '',
  icon: '',
  external_url: '',
  children: [],
  ...over,
})

const tree: UserMenu[] = [
  m({
    id: 1,
    code: 'system',
    type: 'dir',
    name_zh: '系统管理',
    name_en: 'System',
    icon: 'Setting',
    children: [
      m({ id: 11, code: 'users', type: 'menu', name_zh: '用户管理', name_en: 'Users', path: '/system/users' }),
      m({ id: 12, code: 'orgs', type: 'menu', name_zh: '组织机构', name_en: '', path: 'system/orgs' }),
    ],
  }),
  m({ id: 2, code: 'empty', type: 'dir', name_zh: '空目录', children: [] }),
  m({
    id: 3,
    code: 'portal',
    type: 'dir',
    name_zh: '集成系统',
    children: [
      m({ id: 31, code: 'hr', type: 'menu', name_zh: '人事系统', external_url: 'https://hr.example/app', path: '/ignored' }),
      m({ id: 32, code: 'nolink', type: 'menu', name_zh: '无地址' }),
    ],
  }),
  m({ id: 4, code: 'audit', type: 'menu', name_zh: '审计日志', name_en: 'Audit', path: '/audit/events' }),
]

describe('menu tree → sidebar', () => {
  it('turns dirs into groups and menus into route items, in order', () => {
    const items = toSidebar(tree, 'zh-CN')
    expect(items.map((i) => [i.code, i.kind, i.key])).toEqual([
      ['system', 'group', 'dir:1'],
      ['portal', 'group', 'dir:3'],
      ['audit', 'route', '/audit/events'],
    ])
    expect(items[0]?.children.map((c) => [c.code, c.key, c.title])).toEqual([
      ['users', '/system/users', '用户管理'],
      ['orgs', '/system/orgs', '组织机构'],
    ])
    expect(items[0]?.icon).toBe('Setting')
  })

  it('drops empty directories and menus without a path or URL', () => {
    const items = toSidebar(tree, 'zh-CN')
    expect(items.find((i) => i.code === 'empty')).toBeUndefined()
    expect(items[1]?.children.map((c) => c.code)).toEqual(['hr'])
  })

  it('opens menus with external_url in the frame page', () => {
    const hr = toSidebar(tree, 'zh-CN')[1]?.children[0]
    expect(hr?.kind).toBe('frame')
    expect(hr?.key).toBe('/portal/frame?menu=31')
    expect(frameRoute('a b')).toBe('/portal/frame?menu=a%20b')
  })

  it('never frames a javascript: or data: address', () => {
    const evil = [
      m({ id: 90, code: 'js', type: 'menu', external_url: 'javascript:alert(document.cookie)' }),
      m({ id: 91, code: 'data', type: 'menu', external_url: 'data:text/html,<script>alert(1)</script>' }),
      m({ id: 92, code: 'ok', type: 'menu', external_url: 'https://sys.example/' }),
    ]
    expect(toSidebar(evil, 'zh-CN').map((i) => i.code)).toEqual(['ok'])
    expect(isSafeExternalUrl(' JavaScript:void(0)')).toBe(false)
    expect(isSafeExternalUrl('http://10.1.2.3:8080/app')).toBe(true)
    expect(isSafeExternalUrl('/relative/page')).toBe(true)
    expect(isSafeExternalUrl('')).toBe(false)
  })

  it('uses English names in English, falling back to Chinese', () => {
    const items = toSidebar(tree, 'en')
    expect(items[0]?.title).toBe('System')
    expect(items[0]?.children.map((c) => c.title)).toEqual(['Users', '组织机构'])
  })

  it('ignores buttons and copes with null children', () => {
    const withButton = [
      m({ id: 5, code: 'd', type: 'dir', children: [{ ...m({ id: 51, code: 'btn', type: 'menu', path: '/x' }), type: 'button' as UserMenu['type'] }] }),
      m({ id: 6, code: 'n', type: 'menu', path: '/n', children: null }),
    ]
    expect(toSidebar(withButton, 'zh-CN').map((i) => i.code)).toEqual(['n'])
    expect(toSidebar(null, 'zh-CN')).toEqual([])
  })

  it('lists every group key, nested ones too, to open them by default', () => {
    const nested = [m({ id: 7, code: 'a', type: 'dir', children: [m({ id: 8, code: 'b', type: 'dir', children: [m({ id: 9, code: 'c', type: 'menu', path: '/c' })] })] })]
    expect(groupKeys(toSidebar(nested, 'zh-CN'))).toEqual(['dir:7', 'dir:8'])
  })

  it('finds a menu by id whatever the id type in the query', () => {
    expect(findUserMenu(tree, '31')?.external_url).toBe('https://hr.example/app')
    expect(findUserMenu(tree, 31)?.code).toBe('hr')
    expect(findUserMenu(tree, '999')).toBeUndefined()
    expect(findUserMenu(tree, '')).toBeUndefined()
  })

  it('highlights the frame entry of the current menu', () => {
    expect(activeSidebarKey('/portal/frame', '31')).toBe('/portal/frame?menu=31')
    expect(activeSidebarKey('/system/users', undefined)).toBe('/system/users')
  })
})
