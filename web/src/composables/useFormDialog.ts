// A form in a v-model dialog: each opening starts clean, a successful save closes it.
// The template needs `<el-form ref="formRef">` as for useFormSubmit.
import { watch, type Ref } from 'vue'
import { useFormSubmit, type FormSubmitOptions } from './useFormSubmit'

export interface FormDialogOptions<R> extends FormSubmitOptions<R> {
  /** Fills the form for this opening (from the record, or empty to create). May load more. */
  onOpen?: () => void | Promise<void>
}

export function useFormDialog<R>(visible: Ref<boolean>, options: FormDialogOptions<R>) {
  const form = useFormSubmit<R>({
    ...options,
    onSuccess: (result) => {
      visible.value = false
      options.onSuccess?.(result)
    },
  })

  watch(visible, (open) => {
    if (!open) return
    form.clearMarks()
    void options.onOpen?.()
    // On the first opening the form is not rendered yet, and filling it fires its 'change'
    // rules; clear their marks once that has happened.
    setTimeout(form.clearMarks, 0)
  })

  return form
}
