// Ask, act, report: the row actions that change something on the server (delete, unlock, log out).
import { ElMessage } from 'element-plus'
import { useConfirm } from './useConfirm'

export interface ConfirmedActionOptions<T> {
  /** The question in the confirmation box. */
  question: (row: T) => string
  /** False: an info box with a plain confirm button, for actions that take nothing away (unlock). */
  danger?: boolean
  run: (row: T) => Promise<unknown>
  /** The success toast. */
  done: () => string
  /** After success, e.g. reload the list. */
  after?: () => unknown
}

export function useConfirmedAction<T>(options: ConfirmedActionOptions<T>) {
  const { confirm } = useConfirm()

  /** Resolves true when the user confirmed and the request succeeded. */
  return async function act(row: T): Promise<boolean> {
    if (!(await confirm(options.question(row), options.danger ?? true))) return false
    try {
      await options.run(row)
      ElMessage.success(options.done())
      await options.after?.()
      return true
    } catch {
      // The API client has already shown the problem (409 in_use, built-in…).
      return false
    }
  }
}
