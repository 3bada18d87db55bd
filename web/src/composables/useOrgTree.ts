import { ref } from 'vue'
import { orgApi } from '@/api/iam'
import type { OrgNode } from '@/api/types'

/** GET /orgs/tree for pickers and the organisation page. */
export function useOrgTree() {
  const orgs = ref<OrgNode[]>([])
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      orgs.value = (await orgApi.tree()) ?? []
    } catch {
      orgs.value = []
    } finally {
      loading.value = false
    }
  }

  return { orgs, loading, load }
}
