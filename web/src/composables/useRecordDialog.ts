// Which record a list page's dialog shows (null: create a new one) and whether it is open.
import { ref, shallowRef } from 'vue'

export function useRecordDialog<T>() {
  const record = shallowRef<T | null>(null)
  const visible = ref(false)

  function open(value: T | null): void {
    record.value = value
    visible.value = true
  }

  return { record, visible, open }
}
