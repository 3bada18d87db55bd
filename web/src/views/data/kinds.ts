// The kinds of data source (GET /datasources/kinds): their names in the current language, their
// family (sql / file / api) and the form fields each needs.
import { ref } from 'vue'
import { dataSourceApi } from '@/api/data'
import type { DataSourceKind, SourceFamily } from '@/api/types'
import type { Lang } from '@/i18n'

export function kindLabel(kinds: readonly DataSourceKind[], kind: string, lang: Lang): string {
  const k = kinds.find((x) => x.kind === kind)
  if (!k) return kind
  return lang === 'en' ? k.label_en || k.label || k.kind : k.label || k.label_en || k.kind
}

export function familyOf(kinds: readonly DataSourceKind[], kind: string): SourceFamily | undefined {
  return kinds.find((x) => x.kind === kind)?.family
}

/** Loads the kinds once per page; an error leaves the list empty (the API client has said why). */
export function useSourceKinds() {
  const kinds = ref<DataSourceKind[]>([])
  async function load(): Promise<void> {
    try {
      kinds.value = (await dataSourceApi.kinds()) ?? []
    } catch {
      kinds.value = []
    }
  }
  return { kinds, load }
}
