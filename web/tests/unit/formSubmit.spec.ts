// useFormSubmit / useFormDialog (validate → send → toast → field errors) and the dialogs built on them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref, type Ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import { ApiError } from '@/api/client'
import type { IntegratedSystem } from '@/api/types'
import { useFormDialog } from '@/composables/useFormDialog'
import { useFormSubmit, type FormSubmitOptions } from '@/composables/useFormSubmit'
import { i18n } from '@/i18n'
import { required } from '@/utils/formRules'
import SystemDialog from '@/views/system/systems/SystemDialog.vue'
import { json, problem } from './helpers'

type Submit = ReturnType<typeof useFormSubmit<string>>

// Under vitest, el-form's rules never fail: element-plus's ES build imports async-validator's CommonJS
// build, and Node's interop hands it the module object instead of the class, so validate() always
// resolves. The rule check is therefore tested against this stand-in with el-form's two methods.
const FakeForm = defineComponent({
  props: { valid: { type: Boolean, required: true } },
  setup(props, { expose }) {
    const clearValidate = vi.fn()
    expose({ validate: () => (props.valid ? Promise.resolve(true) : Promise.reject({ code: [{ message: 'required' }] })), clearValidate })
    return () => h('form')
  },
})

/** A component with a form bound as ref="formRef" whose rules pass or fail, or with no form at all. */
function mountForm(options: Partial<FormSubmitOptions<string>>, form: 'valid' | 'invalid' | 'none' = 'valid') {
  let api!: Submit
  const C = defineComponent({
    setup() {
      api = useFormSubmit<string>({ submit: async () => 'result', successMessage: () => 'ok', ...options })
      return () => (form === 'none' ? h('div') : h(FakeForm, { ref: 'formRef', valid: form === 'valid' }))
    },
  })
  const wrapper = mount(C, { global: { plugins: [ElementPlus] } })
  const clearValidate = () => (wrapper.findComponent(FakeForm).vm as unknown as { clearValidate: ReturnType<typeof vi.fn> }).clearValidate
  return { wrapper, api: () => api, clearValidate }
}

function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

beforeEach(() => {
  i18n.setLang('zh-CN')
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('useFormSubmit', () => {
  it('does not send while a rule fails', async () => {
    const submit = vi.fn(async () => 'x')
    const { api, wrapper } = mountForm({ submit }, 'invalid')
    expect(await api().save()).toBe(false)
    expect(submit).not.toHaveBeenCalled()
    expect(api().saving.value).toBe(false)
    wrapper.unmount()
  })

  it('sends, shows saving meanwhile, toasts and hands the result on', async () => {
    const success = vi.spyOn(ElMessage, 'success')
    const answer = deferred<string>()
    const onSuccess = vi.fn()
    const { api, wrapper } = mountForm({ submit: () => answer.promise, successMessage: () => '已保存', onSuccess })
    const saving = api().save()
    await flushPromises()
    expect(api().saving.value).toBe(true)
    answer.resolve('saved-record')
    expect(await saving).toBe(true)
    expect(api().saving.value).toBe(false)
    expect(success).toHaveBeenCalledWith('已保存')
    expect(onSuccess).toHaveBeenCalledWith('saved-record')
    wrapper.unmount()
  })

  it('marks the fields a 422 names and does not report success', async () => {
    const success = vi.spyOn(ElMessage, 'success')
    const onSuccess = vi.fn()
    const submit = vi.fn(async () => {
      throw new ApiError(422, { code: 'validation_failed', errors: [{ field: 'code', code: 'duplicate' }] })
    })
    const { api, wrapper, clearValidate } = mountForm({ submit, onSuccess })
    expect(await api().save()).toBe(false)
    expect(api().fieldErrors.errors.code).toBe('已存在')
    expect(api().saving.value).toBe(false)
    expect(success).not.toHaveBeenCalled()
    expect(onSuccess).not.toHaveBeenCalled()
    api().clearMarks()
    expect(api().fieldErrors.errors.code).toBeUndefined()
    expect(clearValidate()).toHaveBeenCalled()
    wrapper.unmount()
  })

  it('clears the last field errors when sending again', async () => {
    let fail = true
    const submit = vi.fn(async () => {
      if (fail) throw new ApiError(422, { errors: [{ field: 'code', code: 'duplicate' }] })
      return 'ok'
    })
    const { api, wrapper } = mountForm({ submit })
    await api().save()
    expect(api().fieldErrors.errors.code).toBeTruthy()
    fail = false
    expect(await api().save()).toBe(true)
    expect(api().fieldErrors.errors.code).toBeUndefined()
    wrapper.unmount()
  })

  it('sends at once when the component has no form to check', async () => {
    const submit = vi.fn(async () => 'x')
    const { api, wrapper } = mountForm({ submit }, 'none')
    expect(await api().save()).toBe(true)
    expect(submit).toHaveBeenCalledTimes(1)
    wrapper.unmount()
  })

  it('does nothing while canSave says no', async () => {
    const submit = vi.fn(async () => 'x')
    const { api, wrapper } = mountForm({ submit, canSave: () => false }, 'invalid')
    expect(await api().save()).toBe(false)
    expect(submit).not.toHaveBeenCalled()
    wrapper.unmount()
  })
})

describe('useFormDialog', () => {
  function mountDialog(visible: Ref<boolean>, submit: () => Promise<string>, onOpen = vi.fn(), onSuccess = vi.fn()) {
    let api!: Submit
    const C = defineComponent({
      setup() {
        api = useFormDialog<string>(visible, { submit, successMessage: () => 'ok', onOpen, onSuccess })
        return () => h('div')
      },
    })
    const wrapper = mount(C, { global: { plugins: [ElementPlus] } })
    return { wrapper, api: () => api, onOpen, onSuccess }
  }

  it('fills the form and forgets old field errors on each opening', async () => {
    const visible = ref(false)
    const { api, onOpen, wrapper } = mountDialog(visible, async () => {
      throw new ApiError(422, { errors: [{ field: 'code', code: 'duplicate' }] })
    })
    visible.value = true
    await nextTick()
    expect(onOpen).toHaveBeenCalledTimes(1)
    await api().save()
    expect(api().fieldErrors.errors.code).toBe('已存在')
    expect(visible.value).toBe(true) // a failed save keeps the dialog open
    visible.value = false
    await nextTick()
    expect(onOpen).toHaveBeenCalledTimes(1) // closing does not refill
    visible.value = true
    await nextTick()
    expect(onOpen).toHaveBeenCalledTimes(2)
    expect(api().fieldErrors.errors.code).toBeUndefined()
    wrapper.unmount()
  })

  it('closes after a successful save, then reports', async () => {
    const visible = ref(true)
    const onSuccess = vi.fn(() => expect(visible.value).toBe(false))
    const { api, wrapper } = mountDialog(visible, async () => 'created', vi.fn(), onSuccess)
    expect(await api().save()).toBe(true)
    expect(visible.value).toBe(false)
    expect(onSuccess).toHaveBeenCalledWith('created')
    wrapper.unmount()
  })
})

describe('required()', () => {
  it('names the field in the current language', () => {
    expect(required('system.code')).toEqual([{ required: true, message: '请填写系统编码', trigger: 'blur' }])
    i18n.setLang('en')
    expect(required('system.mode', 'change')[0]).toMatchObject({ message: 'Integration mode is required', trigger: 'change' })
  })
})

describe('SystemDialog (useFormDialog + FormDialog)', () => {
  const system: IntegratedSystem = { id: 9, code: 'HR', name: '人社系统', integration_mode: 'system', base_url: 'https://hr.example', description: '', enabled: true }

  async function mountSystemDialog(props: { system: IntegratedSystem | null }, respond: (url: string, init: RequestInit) => Response) {
    const calls: { url: string; method: string; body: unknown }[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined })
        return respond(url, init)
      }),
    )
    const wrapper = mount(SystemDialog, {
      props: { modelValue: false, ...props },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    return { wrapper, calls }
  }

  it('creates with trimmed values, closes and reports', async () => {
    const success = vi.spyOn(ElMessage, 'success')
    const { wrapper, calls } = await mountSystemDialog({ system: null }, () => json({ ...system, id: 10 }, 201))
    expect(wrapper.find('[data-test="system-dialog"]').exists()).toBe(true)
    await wrapper.find('[data-test="system-code"]').setValue(' OA ')
    await wrapper.find('[data-test="system-name"]').setValue(' 办公系统 ')
    await wrapper.find('[data-test="system-save"]').trigger('click')
    await flushPromises()
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ url: '/api/v1/systems', method: 'POST', body: { code: 'OA', name: '办公系统', integration_mode: 'menu' } })
    expect(success).toHaveBeenCalledWith('新增成功')
    expect(wrapper.emitted('saved')).toHaveLength(1)
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([false])
    wrapper.unmount()
  })

  it('updates the record it was opened with and shows a 422 under the field', async () => {
    const { wrapper, calls } = await mountSystemDialog({ system }, () =>
      problem(422, 'validation_failed', { errors: [{ field: 'base_url', code: 'invalid_url' }] }),
    )
    expect((wrapper.find('[data-test="system-code"]').element as HTMLInputElement).value).toBe('HR')
    await wrapper.find('[data-test="system-save"]').trigger('click')
    await flushPromises()
    expect(calls[0]).toMatchObject({ url: '/api/v1/systems/9', method: 'PUT', body: { code: 'HR', base_url: 'https://hr.example' } })
    expect(wrapper.emitted('saved')).toBeUndefined()
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
    await nextTick()
    expect(wrapper.find('.el-form-item.is-error [data-test="system-base-url"]').exists()).toBe(true)
    wrapper.unmount()
  })
})
