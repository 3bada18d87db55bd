// FormDialog, ActionsColumn, RowAction and MultiSelect: where their data-test hooks land and what they emit.
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElOption, ElTable, ElTableColumn } from 'element-plus'
import ActionsColumn from '@/components/ActionsColumn.vue'
import FormDialog from '@/components/FormDialog.vue'
import MultiSelect from '@/components/MultiSelect.vue'
import RowAction from '@/components/RowAction.vue'
import { i18n } from '@/i18n'

beforeEach(() => {
  i18n.setLang('zh-CN')
})

describe('FormDialog', () => {
  function mountDialog(props: Record<string, unknown> = {}) {
    return mount(FormDialog, {
      props: { modelValue: true, title: 'T', width: '500px', saving: false, saveTest: 'x-save', ...props },
      attrs: { 'data-test': 'x-dialog' },
      slots: { default: () => h('p', { class: 'body' }, 'form') },
      global: { plugins: [ElementPlus] },
    })
  }

  it('puts the dialog hook on the dialog and the save hook on the save button', async () => {
    const w = mountDialog()
    await flushPromises()
    const dialog = w.find('[data-test="x-dialog"]')
    expect(dialog.classes()).toContain('el-dialog')
    expect(dialog.find('.body').exists()).toBe(true)
    const save = w.find('[data-test="x-save"]')
    expect(save.element.tagName).toBe('BUTTON')
    expect(save.text()).toBe('保存')
    await save.trigger('click')
    expect(w.emitted('save')).toHaveLength(1)
    w.unmount()
  })

  it('closes on cancel; the cancel hook is there only when asked for', async () => {
    const w = mountDialog()
    await flushPromises()
    const buttons = w.findAll('.el-dialog__footer button')
    expect(buttons).toHaveLength(2)
    expect(buttons[0]?.attributes('data-test')).toBeUndefined()
    await buttons[0]?.trigger('click')
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false])
    expect(w.emitted('save')).toBeUndefined()
    w.unmount()

    const named = mountDialog({ cancelTest: 'x-cancel' })
    await flushPromises()
    expect(named.find('[data-test="x-cancel"]').text()).toBe('取消')
    named.unmount()
  })

  it('shows saving on the save button and takes another label', async () => {
    const w = mountDialog({ saving: true, saveLabel: '确定' })
    await flushPromises()
    const save = w.find('[data-test="x-save"]')
    expect(save.classes()).toContain('is-loading')
    expect(save.text()).toBe('确定')
    w.unmount()
  })
})

describe('ActionsColumn and RowAction', () => {
  it('render the buttons of each row, with their hooks on the <button>', async () => {
    const clicked: string[] = []
    const Page = defineComponent({
      setup() {
        const rows = [{ code: 'a' }, { code: 'b' }]
        return () =>
          h(ElTable, { data: rows }, () => [
            h(ElTableColumn, { prop: 'code', label: 'code' }),
            h(ActionsColumn, { width: 120 }, {
              default: ({ row }: { row: { code: string } }) => [
                h(RowAction, { 'data-test': `x-edit-${row.code}`, onClick: () => clicked.push(row.code) }, () => '编辑'),
                h(RowAction, { type: 'danger', 'data-test': `x-delete-${row.code}` }, () => '删除'),
              ],
            }),
          ])
      },
    })
    const w = mount(Page, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    expect(w.text()).toContain('操作')
    const edit = w.find('[data-test="x-edit-b"]')
    expect(edit.element.tagName).toBe('BUTTON')
    expect(edit.classes()).toEqual(expect.arrayContaining(['is-link', 'el-button--primary', 'el-button--small']))
    expect(w.find('[data-test="x-delete-a"]').classes()).toContain('el-button--danger')
    await edit.trigger('click')
    expect(clicked).toEqual(['b'])
    // el-table-column's probe call (an empty row) must not leave buttons in its hidden DOM.
    expect(w.findAll('[data-test^="x-edit-"]').map((b) => b.attributes('data-test'))).toEqual(['x-edit-a', 'x-edit-b'])
    w.unmount()
  })
})

describe('MultiSelect', () => {
  it('is a multiple select with its hook on the root div', async () => {
    const picked = ref<number[]>([2])
    const w = mount(
      defineComponent({
        setup: () => () =>
          h(MultiSelect<number>, { modelValue: picked.value, 'onUpdate:modelValue': (v: number[]) => (picked.value = v), 'data-test': 'x-pick' }, () => [
            h(ElOption, { value: 1, label: 'one' }),
            h(ElOption, { value: 2, label: 'two' }),
          ]),
      }),
      { global: { plugins: [ElementPlus] } },
    )
    await flushPromises()
    const root = w.find('[data-test="x-pick"]')
    expect(root.element.tagName).toBe('DIV')
    expect(root.classes()).toContain('el-select')
    expect(w.text()).toContain('two')
    w.unmount()
  })
})
