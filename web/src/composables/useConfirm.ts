import { ElMessageBox } from 'element-plus'
import { useI18n } from '@/i18n'

/** Asks before a destructive action; resolves true when confirmed. Deletes go through useRemove. */
export function useConfirm() {
  const { t } = useI18n()

  async function confirm(message: string, danger = true): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('common.hint'), {
        type: danger ? 'warning' : 'info',
        confirmButtonText: t('common.confirm'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: danger ? 'el-button--danger' : '',
      })
      return true
    } catch {
      return false
    }
  }

  return { confirm }
}
