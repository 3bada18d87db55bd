import { describe, expect, it } from 'vitest'
import { createI18n, interpolate, type StorageLike } from '@/i18n/core'
import { en } from '@/i18n/en'
import { zhCN } from '@/i18n/zh-CN'

const messages = {
  'zh-CN': { greet: '你好，{name}', nested: { ok: '确定', zhOnly: '仅中文' } },
  en: { greet: 'Hello, {name}', nested: { ok: 'OK' } },
}

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Record<string, string> } {
  const data = { ...initial }
  return {
    data,
    getItem: (k) => (k in data ? (data[k] as string) : null),
    setItem: (k, v) => {
      data[k] = v
    },
  }
}

describe('i18n', () => {
  it('defaults to zh-CN', () => {
    const i18n = createI18n({ messages, storage: memoryStorage() })
    expect(i18n.lang.value).toBe('zh-CN')
    expect(i18n.t('nested.ok')).toBe('确定')
  })

  it('interpolates parameters', () => {
    const i18n = createI18n({ messages, storage: memoryStorage() })
    expect(i18n.t('greet', { name: '张三' })).toBe('你好，张三')
    expect(interpolate('{a}/{b}/{a}', { a: 1 })).toBe('1/{b}/1')
  })

  it('switches language and remembers it in storage', () => {
    const storage = memoryStorage()
    const i18n = createI18n({ messages, storage, storageKey: 'k' })
    i18n.setLang('en')
    expect(i18n.lang.value).toBe('en')
    expect(i18n.t('greet', { name: 'Li' })).toBe('Hello, Li')
    expect(storage.data.k).toBe('en')
  })

  it('starts in the stored language', () => {
    const i18n = createI18n({ messages, storage: memoryStorage({ 'xietong.lang': 'en' }) })
    expect(i18n.t('nested.ok')).toBe('OK')
  })

  it('ignores an unknown stored language', () => {
    const i18n = createI18n({ messages, storage: memoryStorage({ 'xietong.lang': 'fr' }) })
    expect(i18n.lang.value).toBe('zh-CN')
  })

  it('falls back to Chinese for a missing English text, then to the key', () => {
    const i18n = createI18n({ messages, storage: memoryStorage({ 'xietong.lang': 'en' }) })
    expect(i18n.t('nested.zhOnly')).toBe('仅中文')
    // A key that exists nowhere comes back as itself; tryT says there is none.
    expect(i18n.tryT('nested.missing')).toBeUndefined()
    expect(i18n.te('nested.ok')).toBe(true)
    expect(i18n.te('nested')).toBe(false)
  })

  it('is reactive: a computed text follows the language', async () => {
    const { computed } = await import('vue')
    const i18n = createI18n({ messages, storage: memoryStorage() })
    const text = computed(() => i18n.t('nested.ok'))
    expect(text.value).toBe('确定')
    i18n.setLang('en')
    expect(text.value).toBe('OK')
  })

  it('keeps working when storage throws', () => {
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      },
    }
    const i18n = createI18n({ messages, storage: broken })
    i18n.setLang('en')
    expect(i18n.lang.value).toBe('en')
  })

  it('the application messages have the same keys in both languages', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`)))
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
    const zhValues = keys(zhCN)
    expect(zhValues.length).toBeGreaterThan(100)
  })
})
