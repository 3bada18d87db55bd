// The save step every editing form shares: check the el-form's rules, send, toast, and show a
// 422's errors[] under the fields. Views keep only what to send and what to do afterwards.
import { ref, useTemplateRef } from 'vue'
import { ElMessage, type FormInstance } from 'element-plus'
import { useFieldErrors, type FieldAliases } from './useFieldErrors'

export interface FormSubmitOptions<R> {
  /** Builds the request body from the form and sends it; resolves to what the caller needs next. */
  submit: () => Promise<R>
  /** The success toast, read after the request so it can say 已创建 or 已保存. */
  successMessage: () => string
  /** Runs after the toast, e.g. emit('saved', result). */
  onSuccess?: (result: R) => void
  /** False skips the save quietly, e.g. a dialog whose record is not set. */
  canSave?: () => boolean
  /** Problem field names that differ from the form's (see useFieldErrors). */
  fieldAliases?: FieldAliases
}

/**
 * Call it in a component whose template has `<el-form ref="formRef">`: that form's rules are
 * checked before sending. A component without such a form (a lone select) has none to check.
 */
export function useFormSubmit<R>(options: FormSubmitOptions<R>) {
  const formRef = useTemplateRef<FormInstance>('formRef')
  const saving = ref(false)
  const fieldErrors = useFieldErrors(options.fieldAliases)

  /** Forgets the last attempt: the server's field errors and the rules' marks. */
  function clearMarks(): void {
    fieldErrors.clear()
    formRef.value?.clearValidate()
  }

  /** Resolves true when the request succeeded. */
  async function save(): Promise<boolean> {
    if (options.canSave && !options.canSave()) return false
    const valid = formRef.value ? await formRef.value.validate().catch(() => false) : true
    if (!valid) return false
    saving.value = true
    fieldErrors.clear()
    try {
      const result = await options.submit()
      ElMessage.success(options.successMessage())
      options.onSuccess?.(result)
      return true
    } catch (e) {
      // The API client has already shown the problem; here it only marks the fields it names.
      fieldErrors.apply(e)
      return false
    } finally {
      saving.value = false
    }
  }

  return { saving, fieldErrors, save, clearMarks }
}
