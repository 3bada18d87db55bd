// A small fetch wrapper for the console API.
//
// It sends the session cookie (same-origin), adds X-CSRF-Token to unsafe
// methods, turns application/problem+json answers into ApiError, shows the
// error in the current language and lets the application react to 401 and
// to 403 password_change_required through hooks (so this module depends on
// neither the router nor the store and can be unit-tested on its own).

import type { Lang } from '../i18n/lang'

export type { Lang }

export const API_BASE = '/api/v1'

export interface FieldError {
  field: string
  code: string
  /** Optional explanation (English) the server may add, e.g. "ok|denied|failed". */
  message?: string
  /** Not in the contract; shown when a server sends them. */
  detail?: string
  detail_en?: string
}

export interface ProblemBody {
  type?: string
  title?: string
  status?: number
  code?: string
  detail?: string
  detail_en?: string
  errors?: FieldError[]
  /** Members a route adds to its problems (e.g. `pos`, `db_message` of a data API's trial run). */
  [member: string]: unknown
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly detailEn: string
  readonly errors: FieldError[]
  /** The whole problem as the server sent it, for the members a route adds. */
  readonly problem: ProblemBody

  constructor(status: number, problem: ProblemBody) {
    super(problem.detail_en || problem.detail || problem.title || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = problem.code || codeForStatus(status)
    this.title = problem.title || ''
    this.detail = problem.detail || ''
    this.detailEn = problem.detail_en || ''
    this.errors = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : []
    this.problem = problem
  }

  /** The message to show a person: detail (zh) or detail_en (en), each falling back to the other. */
  localizedMessage(lang: Lang): string {
    const primary = lang === 'en' ? this.detailEn : this.detail
    const secondary = lang === 'en' ? this.detail : this.detailEn
    return primary || secondary || this.title || `HTTP ${this.status}`
  }
}

function isFieldError(v: unknown): v is FieldError {
  return typeof v === 'object' && v !== null && typeof (v as FieldError).field === 'string'
}

function codeForStatus(status: number): string {
  switch (status) {
    case 0:
      return 'network_error'
    case 401:
      return 'unauthenticated'
    case 403:
      return 'forbidden'
    case 404:
      return 'not_found'
    case 409:
      return 'conflict'
    case 422:
      return 'validation_failed'
    default:
      return status >= 500 ? 'internal' : 'http_error'
  }
}

/** Builds an ApiError from a failed response's status, content type and body text. */
export function parseProblem(status: number, statusText: string, contentType: string, text: string): ApiError {
  const looksJson = /json/i.test(contentType) || /^\s*\{/.test(text)
  if (looksJson && text.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === 'object' && parsed !== null) {
        return new ApiError(status, parsed as ProblemBody)
      }
    } catch {
      // fall through to the plain-text form
    }
  }
  return new ApiError(status, { title: statusText || text.slice(0, 200) })
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase())
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

/** Encodes a query string, leaving out empty values. Returns '' or '?a=b&…'. */
export function buildQuery(query?: Query): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, String(value))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Do not show a message for an error; the caller shows it inline. */
  silent?: boolean
  /** Do not call onUnauthorized / onPasswordChangeRequired; the caller handles them (the router guard does). */
  skipAuthHooks?: boolean
  /** A multipart body (an upload); the browser sets its Content-Type with the boundary. */
  form?: FormData
}

export interface ClientHooks {
  getCsrfToken: () => string
  getLang: () => Lang
  notify: (message: string) => void
  /** Called on any 401 except from POST /auth/login. */
  onUnauthorized: (err: ApiError) => void
  /** Called on 403 password_change_required. */
  onPasswordChangeRequired: (err: ApiError) => void
}

export interface ClientOptions extends Partial<ClientHooks> {
  baseUrl?: string
  fetch?: typeof fetch
}

export interface Download {
  blob: Blob
  filename: string
}

/** Reads the file name out of a Content-Disposition header (RFC 6266, with filename*). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // ignore and try the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain?.[1]?.trim() || fallback
}

const noop = (): void => undefined

export function createApiClient(options: ClientOptions = {}) {
  const hooks: ClientHooks = {
    getCsrfToken: options.getCsrfToken ?? (() => ''),
    getLang: options.getLang ?? (() => 'zh-CN'),
    notify: options.notify ?? noop,
    onUnauthorized: options.onUnauthorized ?? noop,
    onPasswordChangeRequired: options.onPasswordChangeRequired ?? noop,
  }
  const baseUrl = options.baseUrl ?? API_BASE
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  function configure(next: Partial<ClientHooks>): void {
    Object.assign(hooks, next)
  }

  function handleError(method: string, path: string, err: ApiError, opts: RequestOptions): never {
    const silent = opts.silent ?? false
    const isLogin = method === 'POST' && path === '/auth/login'
    if (err.status === 401 && !isLogin) {
      // A first visit without a session is not worth a message; an expired one is.
      if (err.code !== 'unauthenticated' && !silent) hooks.notify(err.localizedMessage(hooks.getLang()))
      if (!opts.skipAuthHooks) hooks.onUnauthorized(err)
      throw err
    }
    if (err.status === 403 && err.code === 'password_change_required') {
      if (!opts.skipAuthHooks) hooks.onPasswordChangeRequired(err)
      throw err
    }
    if (!silent) hooks.notify(err.localizedMessage(hooks.getLang()))
    throw err
  }

  async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
    const upper = method.toUpperCase()
    const headers: Record<string, string> = { Accept: accept }
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
    const token = hooks.getCsrfToken()
    if (isUnsafeMethod(upper) && token) headers['X-CSRF-Token'] = token
    const init: RequestInit = { method: upper, headers, credentials: 'same-origin' }
    if (opts.body !== undefined) init.body = JSON.stringify(opts.body)
    else if (opts.form !== undefined) init.body = opts.form
    let res: Response
    try {
      res = await doFetch(baseUrl + path + buildQuery(opts.query), init)
    } catch {
      const err = new ApiError(0, {
        code: 'network_error',
        detail: '网络错误，无法连接服务器',
        detail_en: 'Network error: the server cannot be reached',
      })
      return handleError(upper, path, err, opts)
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '')
      const err = parseProblem(res.status, res.statusText, res.headers.get('Content-Type') ?? '', text)
      return handleError(upper, path, err, opts)
    }
    return res
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await send(method, path, opts, 'application/json, application/problem+json')
    if (res.status === 204) return undefined as T
    const text = await res.text()
    if (text.trim() === '') return undefined as T
    return JSON.parse(text) as T
  }

  async function download(path: string, query?: Query, fallbackName = 'download'): Promise<Download> {
    const res = await send('GET', path, { query }, '*/*')
    const blob = await res.blob()
    return { blob, filename: filenameFromDisposition(res.headers.get('Content-Disposition'), fallbackName) }
  }

  return {
    configure,
    request,
    download,
    get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}) =>
      request<T>('GET', path, { ...opts, query }),
    post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
      request<T>('POST', path, { ...opts, body }),
    put: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
      request<T>('PUT', path, { ...opts, body }),
    patch: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
      request<T>('PATCH', path, { ...opts, body }),
    del: <T = void>(path: string, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('DELETE', path, opts),
    /** POSTs one file as multipart/form-data in the part named `field`. */
    upload: <T>(path: string, field: string, file: File, opts: Omit<RequestOptions, 'body' | 'form'> = {}) => {
      const form = new FormData()
      form.append(field, file, file.name)
      return request<T>('POST', path, { ...opts, form })
    },
  }
}

export type ApiClient = ReturnType<typeof createApiClient>

/** The application's client; src/api/setup.ts connects its hooks to the store, router and messages. */
export const http: ApiClient = createApiClient()
