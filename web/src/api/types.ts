// Types of the console API (docs/console-api.md). Identifiers are kept as the
// server sends them: the contract does not say whether they are numbers or
// strings, so both are accepted and compared through String().
export type Id = number | string

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}

export interface ListParams {
  page?: number
  page_size?: number
  q?: string
}

export interface RoleRef {
  id: Id
  name: string
}

export type UserStatus = 'active' | 'disabled'

export interface User {
  id: Id
  username: string
  display_name: string
  org_id: Id | null
  org_name: string
  phone: string
  email: string
  status: UserStatus
  locked: boolean
  must_change_password: boolean
  last_login_at: string | null
  created_at: string
  updated_at: string
  management_roles: RoleRef[] | null
  business_roles: RoleRef[] | null
}

export type AdminKind = '' | 'system' | 'security' | 'audit'

export interface LoginResponse {
  user: User
  csrf_token: string
  must_change_password: boolean
}

export interface MeResponse extends LoginResponse {
  admin_kind: AdminKind
  permissions: string[] | null
}

export interface ProfileUpdate {
  display_name: string
  phone: string
  email: string
}

/** A node of GET /me/menus. */
export interface UserMenu {
  id: Id
  code: string
  name_zh: string
  name_en: string
  type: 'dir' | 'menu'
  path: string
  icon: string
  external_url: string
  children?: UserMenu[] | null
}

export interface PasswordPolicy {
  min_length: number
  min_classes: number
  history: number
  max_failures: number
  lockout_minutes: number
  idle_timeout_minutes: number
  max_age_days: number
}

export type OrgKind = 'province' | 'city' | 'county' | 'department'
export const ORG_KINDS: readonly OrgKind[] = ['province', 'city', 'county', 'department']

export interface OrgInput {
  parent_id: Id | null
  code: string
  name: string
  kind: OrgKind
  region_code: string
  sort: number
}

export interface Org extends OrgInput {
  id: Id
}

export interface OrgNode extends Org {
  children?: OrgNode[] | null
}

export interface UserCreate {
  username: string
  display_name: string
  org_id: Id | null
  phone: string
  email: string
  password: string
}

export interface UserUpdate {
  display_name: string
  org_id: Id | null
  phone: string
  email: string
  status: UserStatus
}

export interface UserListParams extends ListParams {
  org_id?: Id | null
  status?: UserStatus | ''
}

export interface UserRolesInput {
  management_role_ids: Id[]
  business_role_ids: Id[]
}

export interface ManagementRoleNode {
  id: Id
  parent_id: Id | null
  code: string
  name: string
  admin_kind: AdminKind
  builtin: boolean
  children?: ManagementRoleNode[] | null
}

export interface ManagementRoleInput {
  parent_id: Id | null
  code: string
  name: string
  description: string
  use_menu_ids: Id[]
  assign_menu_ids: Id[]
  org_ids: Id[]
  business_role_ids: Id[]
}

export interface ManagementRole extends ManagementRoleInput {
  id: Id
  admin_kind: AdminKind
  builtin: boolean
}

export interface BusinessRoleInput {
  code: string
  name: string
  description: string
  menu_ids: Id[]
}

export interface BusinessRole extends BusinessRoleInput {
  id: Id
  user_count: number
}

export type IntegrationMode = 'menu' | 'system'

export interface SystemInput {
  code: string
  name: string
  integration_mode: IntegrationMode
  base_url: string
  description: string
  enabled: boolean
}

export interface IntegratedSystem extends SystemInput {
  id: Id
}

export type MenuType = 'dir' | 'menu' | 'button'
export const MENU_TYPES: readonly MenuType[] = ['dir', 'menu', 'button']

export interface MenuInput {
  parent_id: Id | null
  system_id: Id | null
  type: MenuType
  code: string
  name_zh: string
  name_en: string
  path: string
  external_url: string
  icon: string
  sort: number
}

/** A node of GET /menus/tree and GET /menus/assignable. */
export interface MenuNode extends MenuInput {
  id: Id
  builtin: boolean
  resource_ids: Id[] | null
  children?: MenuNode[] | null
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

export interface UrlResourceInput {
  code: string
  name: string
  method: HttpMethod
  pattern: string
}

export interface UrlResource extends UrlResourceInput {
  id: Id
  builtin: boolean
  menu_ids: Id[] | null
}

export interface AccountListParams extends ListParams {
  locked?: boolean
}

export interface AuditFilters {
  from?: string
  to?: string
  actor?: string
  action?: string
  target?: string
  result?: string
}

export interface AuditEvent {
  seq: number
  at: string
  actor_id: Id | null
  actor_name: string
  action: string
  target_type: string
  target_id: string | number | null
  before: unknown
  after: unknown
  client_ip: string
  result: string
  detail: string
}

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  first_bad_seq: number
  reason: string
}
