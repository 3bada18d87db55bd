// Delete a record after 确定删除“…”吗？, then toast 删除成功 and refresh what shows it.
import { useI18n } from '@/i18n'
import { useConfirmedAction } from './useConfirmedAction'

export interface RemoveOptions<T> {
  /** How the record is named in the question. */
  name: (row: T) => string
  remove: (row: T) => Promise<unknown>
  /** After the delete, e.g. list.reloadAfterDelete or clearing a selection. */
  after: () => unknown
}

export function useRemove<T>(options: RemoveOptions<T>) {
  const { t } = useI18n()
  return useConfirmedAction<T>({
    question: (row) => t('common.deleteConfirm', { name: options.name(row) }),
    run: options.remove,
    done: () => t('common.deleted'),
    after: options.after,
  })
}
