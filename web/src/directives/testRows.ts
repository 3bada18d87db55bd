// v-test-rows="'audit-row'" on an el-table puts data-test="audit-row" on each
// of its body rows. el-table renders rows itself and takes no row attributes,
// so a MutationObserver marks rows as they appear (paging, sorting, expanding).
//
// The keyed form, v-test-rows="{ name: 'ds-row', keys: items.map((r) => r.code) }", names each
// row after its record instead: data-test="ds-row-<key>", the keys in the order of the table's
// data (the body rows of this table only, not those of a table nested in an expanded row).
import type { Directive } from 'vue'

const ROW_SELECTOR = 'tr.el-table__row'

export type TestRowsValue = string | { name: string; keys: readonly (string | number)[] }

interface Marked extends HTMLElement {
  __xtRowObserver?: MutationObserver
  __xtRowName?: TestRowsValue
}

function mark(el: Marked): void {
  const value = el.__xtRowName
  if (!value) return
  const rows = [...el.querySelectorAll<HTMLElement>(ROW_SELECTOR)]
  if (typeof value === 'string') {
    rows.forEach((row) => {
      if (row.getAttribute('data-test') !== value) row.setAttribute('data-test', value)
    })
    return
  }
  rows
    .filter((row) => row.closest('.el-table') === el)
    .forEach((row, i) => {
      const key = value.keys[i]
      const name = key === undefined ? value.name : `${value.name}-${key}`
      if (row.getAttribute('data-test') !== name) row.setAttribute('data-test', name)
    })
}

export const vTestRows: Directive<Marked, TestRowsValue> = {
  mounted(el, binding) {
    el.__xtRowName = binding.value
    mark(el)
    const observer = new MutationObserver(() => mark(el))
    observer.observe(el, { childList: true, subtree: true })
    el.__xtRowObserver = observer
  },
  updated(el, binding) {
    el.__xtRowName = binding.value
    mark(el)
  },
  beforeUnmount(el) {
    el.__xtRowObserver?.disconnect()
    delete el.__xtRowObserver
  },
}
