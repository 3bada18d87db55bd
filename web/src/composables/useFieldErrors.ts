// Marks form fields from a problem's errors[] (422 validation_failed, password_weak…).
import { reactive } from 'vue'
import { ApiError, type FieldError } from '@/api/client'
import { useI18n } from '@/i18n'

/**
 * How a problem's field name maps to the form's: a table of names, or a function (e.g. one that
 * folds `ip_allowlist[2]` into `ip_allowlist`).
 */
export type FieldAliases = Record<string, string> | ((field: string) => string)

export function useFieldErrors(aliases: FieldAliases = {}) {
  const { t, tryT, lang } = useI18n()
  const errors = reactive<Record<string, string>>({})

  // Chinese: a server text in Chinese, else our translation of the code, else the server's English.
  // English: the server's English, else our translation, else the Chinese.
  function messageFor(fe: FieldError): string {
    const known = tryT(`fieldError.${fe.code}`)
    const text =
      lang.value === 'en'
        ? fe.detail_en || fe.message || known || fe.detail
        : fe.detail || known || fe.detail_en || fe.message
    return text || t('fieldError.generic', { code: fe.code })
  }

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key]
  }

  /** Marks the fields named in the error; true when at least one was marked. */
  function apply(err: unknown): boolean {
    clear()
    if (!(err instanceof ApiError) || err.errors.length === 0) return false
    for (const fe of err.errors) {
      const field = typeof aliases === 'function' ? aliases(fe.field) : (aliases[fe.field] ?? fe.field)
      errors[field] = errors[field] ? `${errors[field]}; ${messageFor(fe)}` : messageFor(fe)
    }
    return true
  }

  return { errors, clear, apply }
}
