// The supervision API's quiet calls (dry run, saving a rule, a city's parameters, a task group) leave
// their problems to the page. These helpers keep the problem for an in-place alert.
import type { Ref } from 'vue'
import { ApiError } from '@/api/client'

/** Runs the call; a problem it raises is kept in `error` (and raised again for the caller). */
export async function keepProblem<T>(error: Ref<ApiError | null>, call: () => Promise<T>): Promise<T> {
  error.value = null
  try {
    return await call()
  } catch (e) {
    if (e instanceof ApiError) error.value = e
    throw e
  }
}

/**
 * The field errors of a problem as lines, "sql: unknown parameter ${x}": the server's explanation
 * (often a template's or the warehouse's message, in English) is what a rule's author needs.
 */
export function problemLines(e: ApiError | null): string[] {
  if (!e) return []
  return e.errors.map((fe) => {
    const text = fe.message || fe.detail || fe.detail_en || fe.code
    return fe.field ? `${fe.field}: ${text}` : text
  })
}
