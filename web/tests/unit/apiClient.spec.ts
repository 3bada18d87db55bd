import { describe, expect, it, vi } from 'vitest'
import { ApiError, buildQuery, createApiClient, filenameFromDisposition, parseProblem } from '@/api/client'
import { json, mockFetch, noContent, problem } from './helpers'

describe('api client: CSRF header', () => {
  const token = 'tok-123'

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('adds X-CSRF-Token to %s', async (method) => {
    const { fetch, calls } = mockFetch(() => json({}))
    const api = createApiClient({ fetch, getCsrfToken: () => token })
    await api.request(method, '/users/1', { body: {} })
    expect(calls[0]?.headers['X-CSRF-Token']).toBe(token)
    expect(calls[0]?.init.method).toBe(method)
  })

  it.each(['GET', 'HEAD'])('does not add X-CSRF-Token to %s', async (method) => {
    const { fetch, calls } = mockFetch(() => (method === 'HEAD' ? noContent() : json({})))
    const api = createApiClient({ fetch, getCsrfToken: () => token })
    await api.request(method, '/me')
    expect(calls[0]?.headers).not.toHaveProperty('X-CSRF-Token')
  })

  it('uploads a file as multipart with the CSRF header and no JSON content type', async () => {
    const { fetch, calls } = mockFetch(() => json({ id: 3 }))
    const api = createApiClient({ fetch, getCsrfToken: () => token })
    const file = new File(['证明材料'], '核查报告.txt', { type: 'text/plain' })
    expect(await api.upload('/supervision/agency/warnings/9/files', 'file', file)).toEqual({ id: 3 })
    const body = calls[0]?.init.body
    expect(body).toBeInstanceOf(FormData)
    expect((body as FormData).get('file')).toBeInstanceOf(File)
    expect(((body as FormData).get('file') as File).name).toBe('核查报告.txt')
    expect(calls[0]?.headers['X-CSRF-Token']).toBe(token)
    expect(calls[0]?.headers).not.toHaveProperty('Content-Type')
  })

  it('treats lower-case unsafe methods as unsafe', async () => {
    const { fetch, calls } = mockFetch(() => noContent())
    const api = createApiClient({ fetch, getCsrfToken: () => token })
    await api.request('delete', '/orgs/7')
    expect(calls[0]?.init.method).toBe('DELETE')
    expect(calls[0]?.headers['X-CSRF-Token']).toBe(token)
  })

  it('reads the token at request time, so a token set after login is used', async () => {
    const { fetch, calls } = mockFetch(() => noContent())
    let current = ''
    const api = createApiClient({ fetch, getCsrfToken: () => current })
    await api.post('/auth/logout')
    current = 'fresh'
    await api.post('/auth/logout')
    expect(calls[0]?.headers).not.toHaveProperty('X-CSRF-Token')
    expect(calls[1]?.headers['X-CSRF-Token']).toBe('fresh')
  })

  it('sends the cookie same-origin, JSON bodies and the /api/v1 prefix', async () => {
    const { fetch, calls } = mockFetch(() => json({ id: 1 }, 201))
    const api = createApiClient({ fetch })
    const res = await api.post<{ id: number }>('/users', { username: 'a' })
    expect(res).toEqual({ id: 1 })
    expect(calls[0]?.url).toBe('/api/v1/users')
    expect(calls[0]?.init.credentials).toBe('same-origin')
    expect(calls[0]?.headers['Content-Type']).toBe('application/json')
    expect(calls[0]?.init.body).toBe('{"username":"a"}')
  })

  it('returns undefined for 204', async () => {
    const { fetch } = mockFetch(() => noContent())
    const api = createApiClient({ fetch })
    await expect(api.del('/users/1')).resolves.toBeUndefined()
  })

  it('encodes list parameters and leaves out empty ones', async () => {
    const { fetch, calls } = mockFetch(() => json({ items: [], total: 0, page: 1, page_size: 20 }))
    const api = createApiClient({ fetch })
    await api.get('/users', { page: 2, page_size: 20, q: '张 三', org_id: null, status: '', locked: true })
    expect(calls[0]?.url).toBe('/api/v1/users?page=2&page_size=20&q=%E5%BC%A0+%E4%B8%89&locked=true')
  })
})

describe('api client: problems', () => {
  const weak = {
    type: 'about:blank',
    title: 'Password too weak',
    status: 422,
    code: 'password_weak',
    detail: '密码至少 12 位',
    detail_en: 'The password needs at least 12 characters',
    errors: [{ field: 'password', code: 'too_short' }],
  }

  it('parses problem+json into an ApiError with code, details and field errors', async () => {
    const { fetch } = mockFetch(() => json(weak, 422, 'application/problem+json'))
    const api = createApiClient({ fetch })
    const err = await api.post('/users', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const e = err as ApiError
    expect(e.status).toBe(422)
    expect(e.code).toBe('password_weak')
    expect(e.detail).toBe('密码至少 12 位')
    expect(e.detailEn).toBe('The password needs at least 12 characters')
    expect(e.errors).toEqual([{ field: 'password', code: 'too_short' }])
  })

  it('shows the message in the current language', async () => {
    const notify = vi.fn()
    let lang: 'zh-CN' | 'en' = 'zh-CN'
    const { fetch } = mockFetch(() => json(weak, 422, 'application/problem+json'))
    const api = createApiClient({ fetch, notify, getLang: () => lang })
    await api.post('/users', {}).catch(() => undefined)
    lang = 'en'
    await api.post('/users', {}).catch(() => undefined)
    expect(notify.mock.calls).toEqual([['密码至少 12 位'], ['The password needs at least 12 characters']])
  })

  it('does not notify when the caller asks for silence', async () => {
    const notify = vi.fn()
    const { fetch } = mockFetch(() => problem(409, 'conflict', { detail: '冲突' }))
    const api = createApiClient({ fetch, notify })
    await expect(api.post('/orgs', {}, { silent: true })).rejects.toMatchObject({ code: 'conflict' })
    expect(notify).not.toHaveBeenCalled()
  })

  it('falls back from one language to the other and then to the title', () => {
    const onlyZh = new ApiError(409, { code: 'in_use', detail: '仍在使用' })
    expect(onlyZh.localizedMessage('en')).toBe('仍在使用')
    const onlyTitle = new ApiError(500, { title: 'Internal Server Error' })
    expect(onlyTitle.localizedMessage('zh-CN')).toBe('Internal Server Error')
    expect(onlyTitle.code).toBe('internal')
  })

  it('copes with a body that is not JSON', () => {
    const e = parseProblem(502, 'Bad Gateway', 'text/html', '<html>upstream down</html>')
    expect(e.status).toBe(502)
    expect(e.code).toBe('internal')
    expect(e.localizedMessage('zh-CN')).toBe('Bad Gateway')
  })

  it('ignores malformed entries in errors[]', () => {
    const e = parseProblem(422, '', 'application/problem+json', JSON.stringify({ code: 'validation_failed', errors: [{ code: 'x' }, { field: 'name', code: 'required' }] }))
    expect(e.errors).toEqual([{ field: 'name', code: 'required' }])
  })

  it('turns a network failure into a network_error with both languages', async () => {
    const notify = vi.fn()
    const fetch = vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof globalThis.fetch
    const api = createApiClient({ fetch, notify, getLang: () => 'en' })
    await expect(api.get('/me')).rejects.toMatchObject({ status: 0, code: 'network_error' })
    expect(notify).toHaveBeenCalledWith('Network error: the server cannot be reached')
  })
})

describe('api client: 401 and 403 hooks', () => {
  it('calls onUnauthorized on 401 session_expired and tells the user', async () => {
    const onUnauthorized = vi.fn()
    const notify = vi.fn()
    const { fetch } = mockFetch(() => problem(401, 'session_expired', { detail: '会话已过期' }))
    const api = createApiClient({ fetch, onUnauthorized, notify })
    await expect(api.get('/users')).rejects.toMatchObject({ status: 401, code: 'session_expired' })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(onUnauthorized.mock.calls[0]?.[0]).toBeInstanceOf(ApiError)
    expect(notify).toHaveBeenCalledWith('会话已过期')
  })

  it('does not show a message for a plain unauthenticated 401 (first visit)', async () => {
    const onUnauthorized = vi.fn()
    const notify = vi.fn()
    const { fetch } = mockFetch(() => problem(401, 'unauthenticated', { detail: '请先登录' }))
    const api = createApiClient({ fetch, onUnauthorized, notify })
    await api.get('/me').catch(() => undefined)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(notify).not.toHaveBeenCalled()
  })

  it('does not redirect on a failed login (401 bad_credentials)', async () => {
    const onUnauthorized = vi.fn()
    const { fetch } = mockFetch(() => problem(401, 'bad_credentials'))
    const api = createApiClient({ fetch, onUnauthorized })
    await expect(api.post('/auth/login', { username: 'a', password: 'b' })).rejects.toMatchObject({ code: 'bad_credentials' })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('skips the hooks when asked (the router guard handles them)', async () => {
    const onUnauthorized = vi.fn()
    const { fetch } = mockFetch(() => problem(401, 'unauthenticated'))
    const api = createApiClient({ fetch, onUnauthorized })
    await api.get('/me', undefined, { skipAuthHooks: true }).catch(() => undefined)
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('calls onPasswordChangeRequired on 403 password_change_required only', async () => {
    const onPasswordChangeRequired = vi.fn()
    const onUnauthorized = vi.fn()
    let code = 'password_change_required'
    const { fetch } = mockFetch(() => problem(403, code))
    const api = createApiClient({ fetch, onPasswordChangeRequired, onUnauthorized })
    await api.get('/users').catch(() => undefined)
    code = 'forbidden'
    await api.get('/users').catch(() => undefined)
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1)
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})

describe('api client: helpers', () => {
  it('buildQuery returns an empty string for no values', () => {
    expect(buildQuery({ a: undefined, b: '' })).toBe('')
    expect(buildQuery()).toBe('')
  })

  it('reads file names from Content-Disposition', () => {
    expect(filenameFromDisposition('attachment; filename="audit.csv"', 'x')).toBe('audit.csv')
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E5%AE%A1%E8%AE%A1.xlsx", 'x')).toBe('审计.xlsx')
    expect(filenameFromDisposition(null, 'fallback.csv')).toBe('fallback.csv')
  })

  it('downloads a blob with the server file name and the same error handling', async () => {
    const { fetch, calls } = mockFetch(
      () => new Response('seq,at\n1,x\n', { status: 200, headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="events.csv"' } }),
    )
    const api = createApiClient({ fetch })
    const file = await api.download('/audit/events/export', { format: 'csv', actor: 'admin' })
    expect(calls[0]?.url).toBe('/api/v1/audit/events/export?format=csv&actor=admin')
    expect(file.filename).toBe('events.csv')
    expect(await file.blob.text()).toBe('seq,at\n1,x\n')
  })
})
