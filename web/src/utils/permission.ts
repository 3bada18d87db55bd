// Permission strings come from GET /me as Go ServeMux patterns,
// "METHOD /api/v1/path/{id}". A button is shown when the pattern of the
// route it calls is in that list.

/**
 * Normalises a permission string: upper-case method, single space, and
 * wildcard names erased ("{id}", "{userId}" and "{id...}" all become "{}"),
 * since the name of a ServeMux wildcard does not change what it matches.
 */
export function normalizePermission(permission: string): string {
  const trimmed = permission.trim()
  const space = trimmed.search(/\s/)
  if (space < 0) return trimmed
  const method = trimmed.slice(0, space).toUpperCase()
  const path = trimmed.slice(space).trim().replace(/\{[^}/]*\}/g, '{}')
  return `${method} ${path}`
}

export type PermissionChecker = (permission: string) => boolean

export function createPermissionChecker(permissions: readonly string[] | null | undefined): PermissionChecker {
  const set = new Set((permissions ?? []).map(normalizePermission))
  return (permission: string) => set.has(normalizePermission(permission))
}

export function hasPermission(permissions: readonly string[] | null | undefined, permission: string): boolean {
  return createPermissionChecker(permissions)(permission)
}

export function hasAnyPermission(permissions: readonly string[] | null | undefined, wanted: readonly string[]): boolean {
  const can = createPermissionChecker(permissions)
  return wanted.some(can)
}

/** The permission strings the console checks, one per button-bearing route of the contract. */
export const PERM = {
  orgCreate: 'POST /api/v1/orgs',
  orgUpdate: 'PUT /api/v1/orgs/{id}',
  orgDelete: 'DELETE /api/v1/orgs/{id}',
  orgUsers: 'GET /api/v1/orgs/{id}/users',
  userCreate: 'POST /api/v1/users',
  userUpdate: 'PUT /api/v1/users/{id}',
  userDelete: 'DELETE /api/v1/users/{id}',
  userResetPassword: 'POST /api/v1/users/{id}/password',
  userRoles: 'PUT /api/v1/users/{id}/roles',
  mroleCreate: 'POST /api/v1/management-roles',
  mroleUpdate: 'PUT /api/v1/management-roles/{id}',
  mroleDelete: 'DELETE /api/v1/management-roles/{id}',
  broleCreate: 'POST /api/v1/business-roles',
  broleUpdate: 'PUT /api/v1/business-roles/{id}',
  broleDelete: 'DELETE /api/v1/business-roles/{id}',
  systemCreate: 'POST /api/v1/systems',
  systemUpdate: 'PUT /api/v1/systems/{id}',
  systemDelete: 'DELETE /api/v1/systems/{id}',
  menuCreate: 'POST /api/v1/menus',
  menuUpdate: 'PUT /api/v1/menus/{id}',
  menuDelete: 'DELETE /api/v1/menus/{id}',
  menuResources: 'PUT /api/v1/menus/{id}/resources',
  urlResCreate: 'POST /api/v1/url-resources',
  urlResUpdate: 'PUT /api/v1/url-resources/{id}',
  urlResDelete: 'DELETE /api/v1/url-resources/{id}',
  policyUpdate: 'PUT /api/v1/security/policy',
  accountUnlock: 'POST /api/v1/security/accounts/{id}/unlock',
  accountLogout: 'POST /api/v1/security/accounts/{id}/logout',
  auditExport: 'GET /api/v1/audit/events/export',
  auditVerify: 'GET /api/v1/audit/verify',
  consumerCreate: 'POST /api/v1/gateway/consumers',
  consumerUpdate: 'PUT /api/v1/gateway/consumers/{id}',
  consumerDelete: 'DELETE /api/v1/gateway/consumers/{id}',
  gwApiCreate: 'POST /api/v1/gateway/apis',
  gwApiUpdate: 'PUT /api/v1/gateway/apis/{id}',
  gwApiDelete: 'DELETE /api/v1/gateway/apis/{id}',
  grantOptions: 'GET /api/v1/gateway/grant-options',
  credentialOptions: 'GET /api/v1/gateway/credential-options',
  credentialsView: 'GET /api/v1/gateway/consumers/{id}/credentials',
  keyIssue: 'POST /api/v1/gateway/consumers/{id}/keys',
  keyRotate: 'POST /api/v1/gateway/keys/{id}/rotate',
  keyRevoke: 'POST /api/v1/gateway/keys/{id}/revoke',
  dataKeyIssue: 'POST /api/v1/gateway/consumers/{id}/data-keys',
  dataKeyRevoke: 'POST /api/v1/gateway/data-keys/{id}/revoke',
  platformKeys: 'GET /api/v1/gateway/platform-keys',
  platformKeyRotate: 'POST /api/v1/gateway/platform-keys/rotate',
  grantCreate: 'POST /api/v1/gateway/grants',
  grantUpdate: 'PUT /api/v1/gateway/grants/{id}',
  grantDelete: 'DELETE /api/v1/gateway/grants/{id}',
  callsExport: 'GET /api/v1/gateway/calls/export',
  // 数据源 (button data.sources.write)
  dsCreate: 'POST /api/v1/datasources',
  dsUpdate: 'PUT /api/v1/datasources/{id}',
  dsDelete: 'DELETE /api/v1/datasources/{id}',
  dsMove: 'POST /api/v1/datasources/move',
  dsTest: 'POST /api/v1/datasources/{id}/test',
  dsTestInput: 'POST /api/v1/datasources/test',
  dsGroupCreate: 'POST /api/v1/datasource-groups',
  dsGroupUpdate: 'PUT /api/v1/datasource-groups/{id}',
  dsGroupDelete: 'DELETE /api/v1/datasource-groups/{id}',
  // 数据API (buttons data.apis.write and data.apis.review)
  dapiCreate: 'POST /api/v1/data-apis',
  dapiUpdate: 'PUT /api/v1/data-apis/{id}',
  dapiDelete: 'DELETE /api/v1/data-apis/{id}',
  dapiTry: 'POST /api/v1/data-apis/try',
  dapiSubmit: 'POST /api/v1/data-apis/{id}/submit',
  dapiReviews: 'GET /api/v1/data-apis/reviews',
  dapiReview: 'POST /api/v1/data-apis/{id}/review',
  dapiRollback: 'POST /api/v1/data-apis/{id}/rollback',
  dapiOffline: 'POST /api/v1/data-apis/{id}/offline',
  // 数据资产目录 (buttons catalog.entries.write, catalog.entries.review, catalog.negative.write)
  catEntries: 'GET /api/v1/catalog/entries',
  catCategoryCreate: 'POST /api/v1/catalog/categories',
  catCategoryUpdate: 'PUT /api/v1/catalog/categories/{id}',
  catCategoryDelete: 'DELETE /api/v1/catalog/categories/{id}',
  catEntryCreate: 'POST /api/v1/catalog/entries',
  catEntryUpdate: 'PUT /api/v1/catalog/entries/{id}',
  catEntryDelete: 'DELETE /api/v1/catalog/entries/{id}',
  catEntrySubmit: 'POST /api/v1/catalog/entries/{id}/submit',
  catMount: 'POST /api/v1/catalog/entries/{id}/resources',
  catApiOptions: 'GET /api/v1/catalog/api-options',
  catReviews: 'GET /api/v1/catalog/reviews',
  catReview: 'POST /api/v1/catalog/entries/{id}/review',
  catOffline: 'POST /api/v1/catalog/entries/{id}/offline',
  catResourceReview: 'POST /api/v1/catalog/resources/{id}/review',
  negativeAdd: 'POST /api/v1/catalog/negative-list',
  negativeDelete: 'DELETE /api/v1/catalog/negative-list/{id}',
  portalEntry: 'GET /api/v1/portal/entries/{id}',
  orgTree: 'GET /api/v1/orgs/tree',
  // 资源申请 and 数据供需 (menus sharing.mine, sharing.todo, sharing.requests; button sharing.demands.process)
  shareApply: 'POST /api/v1/sharing/requests',
  shareConsumerOptions: 'GET /api/v1/sharing/consumer-options',
  shareGet: 'GET /api/v1/sharing/requests/{id}',
  shareWithdraw: 'POST /api/v1/sharing/requests/{id}/withdraw',
  shareResubmit: 'POST /api/v1/sharing/requests/{id}/resubmit',
  shareTodo: 'GET /api/v1/sharing/todo',
  shareDecide: 'POST /api/v1/sharing/requests/{id}/decide',
  shareAll: 'GET /api/v1/sharing/requests',
  shareRevoke: 'POST /api/v1/sharing/requests/{id}/revoke',
  demandRegister: 'POST /api/v1/sharing/demands',
  demandStep: 'POST /api/v1/sharing/demands/{id}/step',
  // 基金监管 (menus supervision.*; buttons supervision.rules.write, supervision.runs.write,
  // supervision.warnings.dispatch/.review/.feedback)
  svRuleWrite: 'PUT /api/v1/supervision/rules/{code}/enabled',
  svRuleParams: 'PUT /api/v1/supervision/rules/{code}/params',
  svRuleSave: 'POST /api/v1/supervision/custom-rules',
  svRuleActivate: 'POST /api/v1/supervision/rules/{code}/versions/{version}/activate',
  svDryRun: 'POST /api/v1/supervision/rules/dry-run',
  svGroupCreate: 'POST /api/v1/supervision/groups',
  svGroupUpdate: 'PUT /api/v1/supervision/groups/{id}',
  svGroupDelete: 'DELETE /api/v1/supervision/groups/{id}',
  svRunStart: 'POST /api/v1/supervision/runs',
  svRunCancel: 'POST /api/v1/supervision/runs/{id}/cancel',
  svWarnings: 'GET /api/v1/supervision/warnings',
  svWarningGet: 'GET /api/v1/supervision/warnings/{id}',
  svWarningsExport: 'GET /api/v1/supervision/warnings/export',
  svDispatch: 'POST /api/v1/supervision/warnings/{id}/dispatch',
  svAgencyOptions: 'GET /api/v1/supervision/agency-options',
  svReview: 'POST /api/v1/supervision/warnings/{id}/review',
  svFeedback: 'POST /api/v1/supervision/warnings/{id}/feedback',
  svSamples: 'GET /api/v1/supervision/samples',
  svDrawSample: 'POST /api/v1/supervision/samples',
  svRecheck: 'POST /api/v1/supervision/warnings/{id}/recheck',
  svVerify: 'POST /api/v1/supervision/agency/warnings/{id}/verify',
  svUpload: 'POST /api/v1/supervision/agency/warnings/{id}/files',
  svStatsExport: 'GET /api/v1/supervision/stats/export',
  // 数据装载 (menu supervision.loads, button supervision.loads.write)
  ldStartFile: 'POST /api/v1/warehouse/loads/file',
  ldStartSource: 'POST /api/v1/warehouse/loads/datasource',
  ldCancel: 'POST /api/v1/warehouse/loads/{id}/cancel',
} as const

export type PermKey = keyof typeof PERM
