import { vi } from 'vitest'

export interface RecordedCall {
  url: string
  init: RequestInit
  headers: Record<string, string>
}

/** A fetch stand-in that records calls and answers from a queue (or a function). */
export function mockFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: RecordedCall[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    calls.push({ url, init, headers: { ...((init.headers as Record<string, string>) ?? {}) } })
    return respond(url, init)
  })
  return { fetch: fn as unknown as typeof fetch, calls }
}

export function json(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } })
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}): Response {
  return json({ type: 'about:blank', title: code, status, code, ...extra }, status, 'application/problem+json')
}

export function noContent(): Response {
  return new Response(null, { status: 204 })
}
