// The application's i18n instance.
import { createI18n, type MessageKey } from './core'
import { en } from './en'
import { zhCN, type Messages } from './zh-CN'

export type { Lang } from './lang'
export type AppMessageKey = MessageKey<Messages>

export const i18n = createI18n<Messages>({ messages: { 'zh-CN': zhCN, en } })

/** For components: `const { t, lang } = useI18n()`. */
export function useI18n() {
  return i18n
}
