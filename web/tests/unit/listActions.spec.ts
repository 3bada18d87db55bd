// useRecordDialog, useConfirmedAction and useRemove: the row actions of the list pages.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/client'
import { useConfirmedAction } from '@/composables/useConfirmedAction'
import { useRecordDialog } from '@/composables/useRecordDialog'
import { useRemove } from '@/composables/useRemove'
import { i18n } from '@/i18n'

interface Row {
  id: number
  name: string
}
const row: Row = { id: 4, name: '张三' }

beforeEach(() => {
  i18n.setLang('zh-CN')
})

/** The user's answer in the ElMessageBox. */
function answer(confirmed: boolean) {
  return vi.spyOn(ElMessageBox, 'confirm').mockImplementation(() => (confirmed ? Promise.resolve('confirm') : Promise.reject('cancel')) as never)
}

describe('useRecordDialog', () => {
  it('opens on a record, or on null to create', () => {
    const d = useRecordDialog<Row>()
    expect(d.visible.value).toBe(false)
    d.open(row)
    expect(d.record.value).toBe(row)
    expect(d.visible.value).toBe(true)
    d.visible.value = false
    d.open(null)
    expect(d.record.value).toBeNull()
    expect(d.visible.value).toBe(true)
  })
})

describe('useConfirmedAction', () => {
  function action(run = vi.fn(async () => undefined), after = vi.fn(), danger?: boolean) {
    const act = useConfirmedAction<Row>({ question: (r) => `unlock ${r.name}?`, danger, run, done: () => 'done', after })
    return { act, run, after }
  }

  it('runs after a yes, then toasts and calls after', async () => {
    const confirm = answer(true)
    const success = vi.spyOn(ElMessage, 'success')
    const { act, run, after } = action()
    expect(await act(row)).toBe(true)
    expect(confirm.mock.calls[0]?.[0]).toBe('unlock 张三?')
    expect(confirm.mock.calls[0]?.[2]).toMatchObject({ type: 'warning', confirmButtonClass: 'el-button--danger' })
    expect(run).toHaveBeenCalledWith(row)
    expect(success).toHaveBeenCalledWith('done')
    expect(after).toHaveBeenCalledTimes(1)
  })

  it('asks in an info box when the action is not dangerous', async () => {
    const confirm = answer(true)
    await action(undefined, undefined, false).act(row)
    expect(confirm.mock.calls[0]?.[2]).toMatchObject({ type: 'info', confirmButtonClass: '' })
  })

  it('does nothing after a no', async () => {
    answer(false)
    const success = vi.spyOn(ElMessage, 'success')
    const { act, run, after } = action()
    expect(await act(row)).toBe(false)
    expect(run).not.toHaveBeenCalled()
    expect(success).not.toHaveBeenCalled()
    expect(after).not.toHaveBeenCalled()
  })

  it('neither toasts nor refreshes when the server refuses', async () => {
    answer(true)
    const success = vi.spyOn(ElMessage, 'success')
    const { act, after } = action(vi.fn(async () => Promise.reject(new ApiError(409, { code: 'in_use' }))))
    expect(await act(row)).toBe(false)
    expect(success).not.toHaveBeenCalled()
    expect(after).not.toHaveBeenCalled()
  })
})

describe('useRemove', () => {
  it('asks to delete the named record, deletes it, says so and refreshes', async () => {
    const confirm = answer(true)
    const success = vi.spyOn(ElMessage, 'success')
    const remove = vi.fn(async () => undefined)
    const after = vi.fn()
    const act = useRemove<Row>({ name: (r) => r.name, remove, after })
    expect(await act(row)).toBe(true)
    expect(confirm.mock.calls[0]?.[0]).toBe('确定删除“张三”吗？此操作不可恢复。')
    expect(confirm.mock.calls[0]?.[2]).toMatchObject({ type: 'warning' })
    expect(remove).toHaveBeenCalledWith(row)
    expect(success).toHaveBeenCalledWith('删除成功')
    expect(after).toHaveBeenCalledTimes(1)
    expect(after).toHaveBeenCalledWith() // no arguments: after may be reloadAfterDelete(count = 1)
  })
})
