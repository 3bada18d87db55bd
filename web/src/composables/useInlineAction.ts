// A dialog's action whose refusals are shown in the dialog itself (the API call is silent): the
// step being taken (busy), the server's field errors under their fields, any other problem as
// one message with its code. Dispatch, review, feedback, re-check and verify dialogs share it.
import { computed, ref } from 'vue'
import { ApiError } from '@/api/client'
import { useI18n } from '@/i18n'
import { useFieldErrors, type FieldAliases } from './useFieldErrors'

export function useInlineAction<K extends string = string>(aliases?: FieldAliases) {
  const { lang } = useI18n()
  const busy = ref<K | null>(null)
  const error = ref<ApiError | null>(null)
  const fieldErrors = useFieldErrors(aliases)

  /** Forgets the last attempt's errors. */
  function reset(): void {
    error.value = null
    fieldErrors.clear()
  }

  /** Runs fn as step `key`; resolves to its result, or undefined when it was refused. */
  async function run<R>(key: K, fn: () => Promise<R>): Promise<R | undefined> {
    reset()
    busy.value = key
    try {
      return await fn()
    } catch (e) {
      if (e instanceof ApiError && !fieldErrors.apply(e)) error.value = e
      else if (!(e instanceof ApiError)) throw e
      return undefined
    } finally {
      busy.value = null
    }
  }

  const errorMessage = computed(() => error.value?.localizedMessage(lang.value) ?? '')
  return { busy, error, errorMessage, fieldErrors, reset, run }
}
