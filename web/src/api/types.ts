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

// ---- Sharing gateway (数据共享网关): internal/consumer, internal/calllog, internal/gateway ----

export type ConsumerStatus = 'active' | 'disabled'

export interface ConsumerInput {
  code: string
  name: string
  org_name: string
  contact: string
  phone: string
  description: string
  status: ConsumerStatus
}

export type KeyKind = 'hmac' | 'sm2'

/** An access key as the console shows it: never the secret. */
export interface GatewayKey {
  id: Id
  key_id: string
  consumer_id: Id
  kind: KeyKind
  public_pem?: string
  status: 'active' | 'revoked'
  expires_at: string | null
  created_at: string
  revoked_at: string | null
}

/** The answer to issuing or rotating a key: the secret or private key appears here once. */
export interface IssuedKey extends GatewayKey {
  secret?: string
  private_pem?: string
}

export interface DataKey {
  id: Id
  key_id: string
  consumer_id: Id
  envelope: string
  status: 'active' | 'revoked'
  expires_at: string | null
  created_at: string
}

export interface Consumer extends ConsumerInput {
  id: Id
  created_at: string
  updated_at: string
  keys?: GatewayKey[] | null
  data_keys?: DataKey[] | null
}

export interface KeyInput {
  kind: KeyKind
  public_pem?: string
  generate?: boolean
  passphrase?: string
  expires_in_days?: number
}

export interface RotateInput {
  overlap_hours: number
  public_pem?: string
  generate?: boolean
  passphrase?: string
}

export interface PlatformKey {
  id: Id
  key_id: string
  public_pem: string
  status: 'active' | 'previous'
  created_at: string
}

export type GatewayMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'
export const GATEWAY_METHODS: readonly GatewayMethod[] = ['GET', 'POST', 'PUT', 'DELETE']

export interface FieldClass {
  path: string
  category: string
}

export type ApiStatus = 'published' | 'offline'

export interface GatewayApiInput {
  code: string
  name: string
  method: GatewayMethod
  path: string
  upstream_url: string
  timeout_ms: number
  retries: number
  fields: FieldClass[]
  status: ApiStatus
}

export interface GatewayApi extends GatewayApiInput {
  id: Id
  created_at: string
  updated_at: string
}

export type GrantStatus = 'active' | 'suspended'

export interface GrantInput {
  consumer_id: Id | null
  api_id: Id | null
  fields: string[]
  plaintext_categories: string[]
  rate_per_sec: number
  burst: number
  quota_day: number
  quota_month: number
  valid_from: string | null
  valid_to: string | null
  ip_allowlist: string[]
  methods: GatewayMethod[]
  status: GrantStatus
}

export interface Grant extends GrantInput {
  id: Id
  consumer_id: Id
  api_id: Id
  consumer_code: string
  api_code: string
  created_at: string
  updated_at: string
}

export interface GrantListParams extends ListParams {
  consumer_id?: Id | null
  api_id?: Id | null
}

export interface GrantOption {
  id: Id
  code: string
  name: string
}

export interface GrantOptions {
  consumers: GrantOption[] | null
  apis: GrantOption[] | null
  categories: string[] | null
}

export interface BreakerState {
  upstream: string
  state: string
  requests: number
  total_failures: number
  consecutive_failures: number
}

/** Per-grant usage; docs/console-api.md lists it, the server may not send it yet. */
export interface GrantLimitState {
  grant_id: Id
  consumer_code: string
  api_code: string
  rate_per_sec: number
  burst: number
  day_used: number
  day_limit: number
  month_used: number
  month_limit: number
}

export interface GatewayStatus {
  version: number
  apis: number
  keys: number
  grants: number
  state: string
  breakers: BreakerState[] | null
  limits?: GrantLimitState[] | null
}

export interface GatewayCall {
  call_id: string
  at: string
  consumer_code: string
  key_id: string
  api_code: string
  method: string
  path: string
  client_ip: string
  status: number
  code: string
  latency_us: number
  bytes_in: number
  bytes_out: number
  records: number
  subject: string
}

export interface CallFilters {
  consumer?: string
  api?: string
  status?: string
  code?: string
  client_ip?: string
  from?: string
  to?: string
  subject?: string
}

// ---- Data services (数据服务): data sources (数据源) and data APIs (数据API) ----

export type SourceFamily = 'sql' | 'file' | 'api'

/** GET /datasources/kinds: what each kind of source is and which form fields it needs. */
export interface DataSourceKind {
  kind: string
  label: string
  label_en: string
  family: SourceFamily
  default_port: number
  /** host, port, database, username, password, private_key, or options.<key>. */
  fields: string[] | null
}

export interface DataSourceGroupInput {
  name: string
  sort: number
}

export interface DataSourceGroup extends DataSourceGroupInput {
  id: Id
  count: number
}

export interface PoolSettings {
  max_open: number
  max_idle: number
  lifetime_seconds: number
}

export interface LastTest {
  ok: boolean
  code: string
  at: string
}

export interface DataSource {
  id: Id
  code: string
  name: string
  kind: string
  group_id: Id | null
  group_name: string
  host: string
  port: number
  database: string
  username: string
  has_password: boolean
  has_private_key: boolean
  options: Record<string, string> | null
  pool: PoolSettings | null
  description: string
  used_by: number
  last_test: LastTest | null
  created_at: string
  updated_at: string
}

/** POST /datasources, PUT /datasources/{id}. password and private_key are write-only: left out, the stored ones stay. */
export interface DataSourceInput {
  code: string
  name: string
  kind: string
  group_id: Id | null
  host: string
  port: number
  database: string
  username: string
  password?: string
  private_key?: string
  clear_secret?: boolean
  options: Record<string, string>
  pool: PoolSettings
  description: string
}

/** POST /datasources/test: the unsaved form; with id and no password the stored one is used. */
export interface DataSourceTestInput extends DataSourceInput {
  id?: Id
}

export interface DataSourceListParams extends ListParams {
  kind?: string
  /** '' for every group; 0 for sources in no group. */
  group_id?: Id | ''
}

export type ProbeStepName = 'resolve' | 'connect' | 'tls' | 'auth' | 'permission' | 'query' | 'list' | 'http'

export interface ProbeStep {
  step: ProbeStepName | string
  ok: boolean
  code?: string
  message: string
  message_en: string
  elapsed_ms: number
}

export interface ProbeResult {
  ok: boolean
  steps: ProbeStep[] | null
  elapsed_ms: number
  /** SFTP: the server's host key fingerprint, to pin in options.host_key. */
  fingerprint?: string
}

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'id_card' | 'uscc'
export const PARAM_TYPES: readonly ParamType[] = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'id_card', 'uscc']

export interface DataApiParam {
  name: string
  type: ParamType
  required: boolean
  default?: string
  pattern?: string
  enum?: string[]
  min?: number
  max?: number
  description?: string
}

export interface DataApiField {
  name: string
  type: string
  description: string
  /** '' (not sensitive) or one of the gateway's sensitive categories. */
  category: string
}

export interface DataApiPaging {
  enabled: boolean
  default_size: number
  max_size: number
}

export interface DataApiDef {
  sql: string
  params: DataApiParam[] | null
  paging: DataApiPaging
  sortable: string[] | null
  default_sort: string
  fields: DataApiField[] | null
  cache_seconds: number
  timeout_ms: number
  max_rows: number
}

export type DataApiStatus = 'draft' | 'pending' | 'published' | 'rejected' | 'offline'
export const DATA_API_STATUSES: readonly DataApiStatus[] = ['draft', 'pending', 'published', 'rejected', 'offline']
export type DataApiMethod = 'GET' | 'POST'
export const DATA_API_METHODS: readonly DataApiMethod[] = ['GET', 'POST']

export interface DataApiInput {
  code: string
  name: string
  description: string
  source_id: Id | null
  method: DataApiMethod
  path: string
  draft: DataApiDef
}

export interface DataApi extends Omit<DataApiInput, 'source_id'> {
  id: Id
  source_id: Id
  source_name: string
  source_kind: string
  status: DataApiStatus
  draft_changed: boolean
  published_version: number | null
  pending_version: number | null
  gateway_api_code: string
  created_by: string
  updated_by: string
  created_at: string
  updated_at: string
}

export interface DataApiListParams extends ListParams {
  status?: DataApiStatus | ''
  source_id?: Id | null
}

export interface DataApiTryInput {
  source_id: Id | null
  draft: DataApiDef
  values: Record<string, string>
  page?: number
  page_size?: number
  sort?: string
}

export interface DataApiTryResult {
  columns: string[] | null
  rows: Record<string, unknown>[] | null
  total: number | null
  truncated: boolean
  elapsed_ms: number
  sql: string
}

export type VersionStatus = 'pending' | 'approved' | 'rejected'

export interface DataApiVersion {
  version: number
  status: VersionStatus
  def: DataApiDef
  method: DataApiMethod
  path: string
  submitted_by: string
  submitted_at: string
  submit_comment: string
  reviewed_by: string
  reviewed_at: string | null
  review_comment: string
  published: boolean
}

/** GET /data-apis/reviews: a version waiting for review, with its API. */
export interface DataApiReview extends DataApiVersion {
  api_id: Id
  api_code: string
  api_name: string
}

export type ReviewDecision = 'approve' | 'reject'

export interface DataApiStatsDay {
  day: string
  calls: number
  failures: number
  avg_ms: number
}

export interface DataApiStats {
  calls: number
  failures: number
  avg_ms: number
  p95_ms: number
  days: DataApiStatsDay[] | null
}

// ---- The data asset catalog (数据资产目录) and the portal (数据门户) ----

/** A node of the classification tree (GET /catalog/categories, /portal/categories). */
export interface CatalogCategory {
  id: Id
  parent_id: Id | null
  code: string
  name: string
  sort: number
  /** Published entries directly in it. */
  count: number
  children?: CatalogCategory[] | null
}

export interface CatalogCategoryInput {
  parent_id: Id | null
  code: string
  name: string
  sort: number
}

export type ShareAttr = 'unconditional' | 'conditional' | 'none'
export const SHARE_ATTRS: readonly ShareAttr[] = ['unconditional', 'conditional', 'none']
export type OpenAttr = 'open' | 'conditional' | 'closed'
export const OPEN_ATTRS: readonly OpenAttr[] = ['open', 'conditional', 'closed']
export type UpdateFrequency = 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular'
export const UPDATE_FREQUENCIES: readonly UpdateFrequency[] = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']
export type EntryStatus = 'draft' | 'submitted' | 'published' | 'offline'
export const ENTRY_STATUSES: readonly EntryStatus[] = ['draft', 'submitted', 'published', 'offline']

/** One data item (信息项) of an entry; `path` is where it is in the mounted API's answer. */
export interface CatalogField {
  name: string
  label: string
  type: string
  description: string
  /** Sensitive category, '' for none. */
  category: string
  path: string
}

export type LevelKind = 'applicant_dept' | 'centre' | 'owner_dept' | 'org'
export const LEVEL_KINDS: readonly LevelKind[] = ['applicant_dept', 'centre', 'owner_dept', 'org']

/** One step of an entry's approval chain (审批链); org_id for centre and org levels. */
export interface ChainLevel {
  kind: LevelKind
  org_id?: Id
  name: string
}

export interface CatalogEntryInput {
  code: string
  name: string
  description: string
  keywords: string
  org_id: Id | null
  category_id: Id | null
  source_system: string
  industry: string
  domain: string
  update_frequency: UpdateFrequency | ''
  share_attr: ShareAttr
  open_attr: OpenAttr
  fields: CatalogField[]
  chain: ChainLevel[]
}

export type ResourceKind = 'gateway_api' | 'data_api' | 'table' | 'file'
export const RESOURCE_KINDS: readonly ResourceKind[] = ['gateway_api', 'data_api', 'table', 'file']
export type ResourceStatus = 'pending' | 'mounted' | 'rejected'

/** A resource mounted on an entry (挂载资源). */
export interface CatalogResource {
  id: Id
  entry_id: Id
  kind: ResourceKind
  api_id: Id | null
  api_code: string
  api_path: string
  name: string
  description: string
  status: ResourceStatus
  created_at: string
  updated_at: string
}

export interface ResourceInput {
  kind: ResourceKind
  api_id: Id | null
  name: string
  description: string
}

export interface CatalogEntry extends Omit<CatalogEntryInput, 'org_id'> {
  id: Id
  org_id: Id
  org_name: string
  category_name: string
  status: EntryStatus
  version: number
  /** A submitted (or saved, not yet submitted) change of a published entry. */
  pending: CatalogEntryInput | null
  published_at: string | null
  created_by: string
  created_at: string
  updated_at: string
  resources?: CatalogResource[] | null
  calls: number
  negative_fields?: string[] | null
  /** Reason, when the whole entry is on the negative list. */
  negative?: string
}

export interface CatalogEntryListParams extends ListParams {
  status?: EntryStatus | ''
  category_id?: Id | null
  org_id?: Id | null
  share_attr?: ShareAttr | ''
  kind?: ResourceKind | ''
  sort?: 'newest' | ''
}

/** A step on an entry's timeline. */
export interface CatalogEvent {
  id: Id
  resource_id: Id | null
  action: string
  actor_name: string
  comment: string
  at: string
}

export interface NegativeItem {
  id: Id
  entry_id: Id
  entry_code: string
  entry_name: string
  /** '' : the whole entry. */
  field: string
  reason: string
  created_by: string
  created_at: string
}

export interface NegativeInput {
  entry_id: Id | null
  field: string
  reason: string
}

/** GET /catalog/reviews */
export interface CatalogReviews {
  entries: CatalogEntry[] | null
  changes: CatalogEntry[] | null
  resources: CatalogResource[] | null
}

/** GET /catalog/api-options: the gateway APIs a resource can be. */
export interface ApiOption {
  id: Id
  code: string
  name: string
  kind: string
  path: string
}

/** GET /portal/overview */
export interface PortalOverview {
  entries: number
  resources: Partial<Record<ResourceKind, number>> | null
  newest: CatalogEntry[] | null
  most_used: CatalogEntry[] | null
  by_share: Partial<Record<ShareAttr, number>> | null
  by_org: { org: string; entries: number }[] | null
}

// ---- Sharing requests (资源申请), supply and demand (数据供需), notifications ----

export type RequestStatus = 'pending' | 'returned' | 'approved' | 'rejected' | 'revoked' | 'expired' | 'withdrawn'
export const REQUEST_STATUSES: readonly RequestStatus[] = ['pending', 'returned', 'approved', 'rejected', 'revoked', 'expired', 'withdrawn']

/** A resolved level of a request's chain: which organisation decides it. */
export interface RequestLevel {
  kind: LevelKind
  name: string
  org_id: Id
  org_name: string
}

/** A step on a request's or demand's timeline; level -1 for steps outside the chain. */
export interface SharingEvent {
  action: string
  level: number
  actor_id: Id
  actor_name: string
  comment: string
  at: string
}

export interface SharingRequest {
  id: Id
  code: string
  applicant_id: Id
  applicant_name: string
  applicant_org_id: Id
  applicant_org_name: string
  consumer_id: Id
  consumer_code: string
  entry_id: Id
  entry_code: string
  entry_name: string
  resource_id: Id
  resource_name: string
  fields: string[] | null
  purpose: string
  legal_basis: string
  period_days: number
  expected_daily: number
  chain: RequestLevel[] | null
  level: number
  status: RequestStatus
  grant_id: Id | null
  valid_from: string | null
  valid_to: string | null
  created_at: string
  updated_at: string
  events?: SharingEvent[] | null
}

export interface ApplyInput {
  resource_id: Id | null
  consumer_id: Id | null
  fields: string[]
  purpose: string
  legal_basis: string
  period_days: number
  expected_daily: number
}

export type Decision = 'approve' | 'reject' | 'return'

export interface DecisionInput {
  level: number
  decision: Decision
  comment: string
}

export interface RequestListParams extends ListParams {
  status?: RequestStatus | ''
}

/** GET /sharing/consumer-options */
export interface ConsumerOption {
  id: Id
  code: string
  name: string
  org_name: string
}

export type DemandStatus = 'registered' | 'centre_approved' | 'owner_reviewed' | 'supplied' | 'accepted' | 'rejected'
export const DEMAND_STATUSES: readonly DemandStatus[] = ['registered', 'centre_approved', 'owner_reviewed', 'supplied', 'accepted', 'rejected']
export type DemandAction = 'approve' | 'reject' | 'review' | 'supply' | 'accept'

export interface Demand {
  id: Id
  code: string
  title: string
  description: string
  requester_id: Id
  requester_name: string
  requester_org_id: Id
  requester_org_name: string
  owner_org_id: Id
  owner_org_name: string
  status: DemandStatus
  /** 责任人 named by the supplying department. */
  responsible: string
  entry_id: Id | null
  created_at: string
  updated_at: string
  events?: SharingEvent[] | null
}

export interface DemandInput {
  title: string
  description: string
  owner_org_id: Id | null
}

export interface DemandStepInput {
  action: DemandAction
  comment: string
  responsible?: string
  entry_id?: Id | null
}

export interface Notification {
  id: Id
  kind: string
  title: string
  link: string
  created_at: string
  read_at: string | null
}

/** GET /me/notifications */
export interface NotificationPage {
  items: Notification[] | null
  total: number
  unread: number
  page: number
  page_size: number
}
