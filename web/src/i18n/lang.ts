export type Lang = 'zh-CN' | 'en'

export const LANGS: readonly Lang[] = ['zh-CN', 'en']

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v)
}
