// el-form rules the editing forms share. Call them inside a computed, so that the messages
// follow a language switch.
import type { FormItemRule } from 'element-plus'
import { i18n, type AppMessageKey } from '@/i18n'

/** 请填写{field}, with the field's label as the form shows it. */
export function required(label: AppMessageKey, trigger: 'blur' | 'change' = 'blur'): FormItemRule[] {
  return [{ required: true, message: i18n.t('common.required', { field: i18n.t(label) }), trigger }]
}
