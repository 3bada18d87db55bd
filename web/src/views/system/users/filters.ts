import type { Id, UserStatus } from '@/api/types'

export interface UserFilterValues {
  q: string
  org_id: Id | null
  status: UserStatus | ''
}
