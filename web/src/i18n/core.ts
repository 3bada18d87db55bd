// A small i18n module: nested message objects, `{name}` parameters, a
// reactive current language remembered in localStorage, and fallback to the
// default language and then to the key itself.
import { computed, ref, type ComputedRef } from 'vue'
import { isLang, type Lang } from './lang'

export interface MessageTree {
  [key: string]: string | MessageTree
}

/** Dotted paths to the string leaves of a message tree, e.g. 'login.title'. */
export type MessageKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : T[K] extends MessageTree ? `${K}.${MessageKey<T[K]>}` : never
}[keyof T & string]

/** The same shape with every leaf a string; translations must be complete. */
export type SameShape<T> = { [K in keyof T]: T[K] extends string ? string : SameShape<T[K]> }

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : DeepPartial<T[K]> }

export type Params = Record<string, string | number>

export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export interface I18nOptions<M extends MessageTree> {
  messages: { 'zh-CN': M; en: DeepPartial<M> }
  /** Used when nothing is stored, and as the fallback for missing keys. */
  defaultLang?: Lang
  storage?: StorageLike | null
  storageKey?: string
}

export interface I18n<M extends MessageTree> {
  readonly lang: ComputedRef<Lang>
  t(key: MessageKey<M>, params?: Params): string
  /** For keys built at run time (error codes…): the translation, or undefined when there is none. */
  tryT(key: string, params?: Params): string | undefined
  te(key: string): boolean
  setLang(lang: Lang): void
}

export const DEFAULT_STORAGE_KEY = 'xietong.lang'

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

export function interpolate(template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  )
}

function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

export function createI18n<M extends MessageTree>(options: I18nOptions<M>): I18n<M> {
  const fallback: Lang = options.defaultLang ?? 'zh-CN'
  const storage = options.storage === undefined ? defaultStorage() : options.storage
  const storageKey = options.storageKey ?? DEFAULT_STORAGE_KEY

  let stored: string | null = null
  try {
    stored = storage?.getItem(storageKey) ?? null
  } catch {
    stored = null
  }
  const current = ref<Lang>(isLang(stored) ? stored : fallback)

  function resolve(key: string, params?: Params): string | undefined {
    const hit = lookup(options.messages[current.value], key) ?? lookup(options.messages[fallback], key)
    return hit === undefined ? undefined : interpolate(hit, params)
  }

  function setLang(lang: Lang): void {
    if (!isLang(lang)) return
    current.value = lang
    try {
      storage?.setItem(storageKey, lang)
    } catch {
      // storage may be full or blocked; the language still changes for this page
    }
  }

  return {
    lang: computed(() => current.value),
    t: (key, params) => resolve(key, params) ?? key,
    tryT: resolve,
    te: (key) => resolve(key) !== undefined,
    setLang,
  }
}
