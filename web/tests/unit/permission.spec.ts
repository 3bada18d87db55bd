import { describe, expect, it } from 'vitest'
import { createPermissionChecker, hasAnyPermission, hasPermission, normalizePermission, PERM } from '@/utils/permission'

const granted = ['GET /api/v1/users', 'POST /api/v1/users', 'PUT /api/v1/users/{id}', 'DELETE /api/v1/orgs/{id}']

describe('permissions', () => {
  it('matches exact ServeMux patterns', () => {
    expect(hasPermission(granted, 'POST /api/v1/users')).toBe(true)
    expect(hasPermission(granted, 'PUT /api/v1/users/{id}')).toBe(true)
    expect(hasPermission(granted, 'DELETE /api/v1/orgs/{id}')).toBe(true)
  })

  it('does not confuse methods or paths', () => {
    expect(hasPermission(granted, 'DELETE /api/v1/users/{id}')).toBe(false)
    expect(hasPermission(granted, 'POST /api/v1/orgs')).toBe(false)
    expect(hasPermission(granted, 'PUT /api/v1/users')).toBe(false)
    expect(hasPermission(granted, 'PUT /api/v1/users/{id}/roles')).toBe(false)
  })

  it('ignores method case, extra spaces and wildcard names', () => {
    expect(normalizePermission('put   /api/v1/users/{userID}')).toBe('PUT /api/v1/users/{}')
    expect(hasPermission(granted, 'put /api/v1/users/{uid}')).toBe(true)
  })

  it('is false for no permissions at all', () => {
    expect(hasPermission(null, PERM.userCreate)).toBe(false)
    expect(hasPermission([], PERM.userCreate)).toBe(false)
  })

  it('hasAnyPermission', () => {
    expect(hasAnyPermission(granted, [PERM.orgCreate, PERM.orgDelete])).toBe(true)
    expect(hasAnyPermission(granted, [PERM.orgCreate, PERM.mroleCreate])).toBe(false)
  })

  it('the console checks the exact patterns of the contract', () => {
    expect(PERM.userCreate).toBe('POST /api/v1/users')
    expect(PERM.userUpdate).toBe('PUT /api/v1/users/{id}')
    expect(PERM.orgDelete).toBe('DELETE /api/v1/orgs/{id}')
    expect(PERM.userRoles).toBe('PUT /api/v1/users/{id}/roles')
    for (const p of Object.values(PERM)) expect(p).toMatch(/^(GET|POST|PUT|DELETE) \/api\/v1\/[a-z/{}-]+$/)
  })

  it('a checker built once answers many questions', () => {
    const can = createPermissionChecker(granted)
    expect([PERM.userCreate, PERM.userDelete, PERM.userUpdate].map(can)).toEqual([true, false, true])
  })
})
