// v-test-rows="'audit-row'" on an el-table puts data-test="audit-row" on each
// of its body rows. el-table renders rows itself and takes no row attributes,
// so a MutationObserver marks rows as they appear (paging, sorting, expanding).
import type { Directive } from 'vue'

const ROW_SELECTOR = 'tr.el-table__row'

interface Marked extends HTMLElement {
  __xtRowObserver?: MutationObserver
  __xtRowName?: string
}

function mark(el: Marked): void {
  const name = el.__xtRowName
  if (!name) return
  el.querySelectorAll<HTMLElement>(ROW_SELECTOR).forEach((row) => {
    if (row.getAttribute('data-test') !== name) row.setAttribute('data-test', name)
  })
}

export const vTestRows: Directive<Marked, string> = {
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
