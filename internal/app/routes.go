package app

import (
	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/catalog"
	"github.com/xietong/xietong/internal/consumer"
	"github.com/xietong/xietong/internal/dataapi"
	"github.com/xietong/xietong/internal/datasource"
	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
	"github.com/xietong/xietong/internal/loadjob"
	"github.com/xietong/xietong/internal/sharing"
	"github.com/xietong/xietong/internal/supervision"
)

// routes is the route table: every API route xietong answers, in one place.
// The mux, the built-in URL resources (URL资源), the OpenAPI document and the
// route-walking authorisation test all read it.
func routes(h *iam.Handler, a *audit.Handler, ops *opsHandler, c *consumer.Handler, calls *calllog.Handler, gw *gateway.Gateway, ds *datasource.Handler, da *dataapi.Handler, cat *catalog.Handler, sh *sharing.Handler, sv *supervision.Handler, ld *loadjob.Handler) []httpx.Route {
	const P, A, X = httpx.Public, httpx.Authenticated, httpx.Permitted
	return []httpx.Route{
		// Operations.
		{Method: "GET", Path: "/healthz", Access: P, Summary: "Liveness", Handler: ops.healthz},
		{Method: "GET", Path: "/readyz", Access: P, Summary: "Readiness: the metadata database answers", Handler: ops.readyz},
		{Method: "GET", Path: "/api/openapi.json", Access: P, Summary: "This API's OpenAPI 3 document", Handler: ops.openapi},

		// Sessions and the current user (统一登录、统一登出, 用户信息查看).
		{Method: "POST", Path: "/api/v1/auth/login", Access: P, Summary: "Log in", Handler: h.Login},
		{Method: "POST", Path: "/api/v1/auth/logout", Access: A, DuringPasswordChange: true, Summary: "Log out", Handler: h.Logout},
		{Method: "POST", Path: "/api/v1/auth/logout-all", Access: A, DuringPasswordChange: true, Summary: "End every session of the current user", Handler: h.LogoutAll},
		{Method: "GET", Path: "/api/v1/me", Access: A, DuringPasswordChange: true, Summary: "Current user, CSRF token and permissions", Handler: h.Me},
		{Method: "PUT", Path: "/api/v1/me", Access: A, Summary: "Edit own profile", Handler: h.UpdateMe},
		{Method: "POST", Path: "/api/v1/me/password", Access: A, DuringPasswordChange: true, Summary: "Change own password", Handler: h.ChangePassword},
		{Method: "GET", Path: "/api/v1/me/menus", Access: A, Summary: "Navigation menus the current user may use", Handler: h.MyMenus},
		{Method: "GET", Path: "/api/v1/me/password-policy", Access: A, DuringPasswordChange: true, Summary: "Password rules", Handler: h.PasswordPolicy},
		{Method: "GET", Path: "/api/v1/me/notifications", Access: A, Summary: "My in-app notifications (站内通知) and the unread count", Handler: sh.Notifications},
		{Method: "POST", Path: "/api/v1/me/notifications/{id}/read", Access: A, Summary: "Mark one of my notifications read", Handler: sh.ReadNotification},
		{Method: "POST", Path: "/api/v1/me/notifications/read-all", Access: A, Summary: "Mark all my notifications read", Handler: sh.ReadAll},

		// Organisations (组织机构).
		{Method: "GET", Path: "/api/v1/orgs/tree", Access: X, Menu: "system.orgs", Name: "查询机构树", Summary: "Organisation tree", Handler: h.OrgTree},
		{Method: "GET", Path: "/api/v1/orgs/{id}", Access: X, Menu: "system.orgs", Name: "查看机构", Summary: "One organisation", Handler: h.GetOrg},
		{Method: "GET", Path: "/api/v1/orgs/{id}/users", Access: X, Menu: "system.orgs", Name: "机构下的用户", Summary: "Users of an organisation (subtree)", Handler: h.OrgUsers},
		{Method: "POST", Path: "/api/v1/orgs", Access: X, Menu: "system.orgs.write", Name: "新增机构", Summary: "Create an organisation", Handler: h.SaveOrg},
		{Method: "PUT", Path: "/api/v1/orgs/{id}", Access: X, Menu: "system.orgs.write", Name: "修改机构", Summary: "Edit an organisation", Handler: h.SaveOrg},
		{Method: "DELETE", Path: "/api/v1/orgs/{id}", Access: X, Menu: "system.orgs.write", Name: "删除机构", Summary: "Delete an empty organisation", Handler: h.DeleteOrg},

		// Users (用户管理).
		{Method: "GET", Path: "/api/v1/users", Access: X, Menu: "system.users", Name: "查询用户", Summary: "List users", Handler: h.Users},
		{Method: "GET", Path: "/api/v1/users/{id}", Access: X, Menu: "system.users", Name: "查看用户", Summary: "One user", Handler: h.GetUser},
		{Method: "POST", Path: "/api/v1/users", Access: X, Menu: "system.users.write", Name: "新增用户", Summary: "Create a user", Handler: h.CreateUser},
		{Method: "PUT", Path: "/api/v1/users/{id}", Access: X, Menu: "system.users.write", Name: "修改用户", Summary: "Edit a user", Handler: h.UpdateUser},
		{Method: "DELETE", Path: "/api/v1/users/{id}", Access: X, Menu: "system.users.write", Name: "删除用户", Summary: "Delete a user", Handler: h.DeleteUser},
		{Method: "POST", Path: "/api/v1/users/{id}/password", Access: X, Menu: "system.users.password", Name: "重置密码", Summary: "Reset a user's password", Handler: h.ResetPassword},
		{Method: "PUT", Path: "/api/v1/users/{id}/roles", Access: X, Menu: "system.users.roles", Name: "分配角色", Summary: "Assign roles to a user", Handler: h.SetUserRoles},

		// Management roles (管理角色).
		{Method: "GET", Path: "/api/v1/management-roles/tree", Access: X, Menu: "system.mroles", Name: "查询管理角色", Summary: "Management-role tree", Handler: h.ManagementRoleTree},
		{Method: "GET", Path: "/api/v1/management-roles/{id}", Access: X, Menu: "system.mroles", Name: "查看管理角色", Summary: "One management role", Handler: h.GetManagementRole},
		{Method: "POST", Path: "/api/v1/management-roles", Access: X, Menu: "system.mroles.write", Name: "新增管理角色", Summary: "Create a lower management role", Handler: h.SaveManagementRole},
		{Method: "PUT", Path: "/api/v1/management-roles/{id}", Access: X, Menu: "system.mroles.write", Name: "修改管理角色", Summary: "Edit a lower management role", Handler: h.SaveManagementRole},
		{Method: "DELETE", Path: "/api/v1/management-roles/{id}", Access: X, Menu: "system.mroles.write", Name: "删除管理角色", Summary: "Delete a lower management role", Handler: h.DeleteManagementRole},

		// Business roles (业务角色).
		{Method: "GET", Path: "/api/v1/business-roles", Access: X, Menu: "system.broles", Name: "查询业务角色", Summary: "List business roles", Handler: h.BusinessRoles},
		{Method: "GET", Path: "/api/v1/business-roles/{id}", Access: X, Menu: "system.broles", Name: "查看业务角色", Summary: "One business role", Handler: h.GetBusinessRole},
		{Method: "POST", Path: "/api/v1/business-roles", Access: X, Menu: "system.broles.write", Name: "新增业务角色", Summary: "Create a business role", Handler: h.SaveBusinessRole},
		{Method: "PUT", Path: "/api/v1/business-roles/{id}", Access: X, Menu: "system.broles.write", Name: "修改业务角色", Summary: "Edit a business role", Handler: h.SaveBusinessRole},
		{Method: "DELETE", Path: "/api/v1/business-roles/{id}", Access: X, Menu: "system.broles.write", Name: "删除业务角色", Summary: "Delete a business role", Handler: h.DeleteBusinessRole},

		// Integrated systems (接入系统).
		{Method: "GET", Path: "/api/v1/systems", Access: X, Menu: "system.systems", Name: "查询接入系统", Summary: "List integrated systems", Handler: h.Systems},
		{Method: "GET", Path: "/api/v1/systems/{id}", Access: X, Menu: "system.systems", Name: "查看接入系统", Summary: "One integrated system", Handler: h.GetSystem},
		{Method: "POST", Path: "/api/v1/systems", Access: X, Menu: "system.systems.write", Name: "新增接入系统", Summary: "Create an integrated system", Handler: h.SaveSystem},
		{Method: "PUT", Path: "/api/v1/systems/{id}", Access: X, Menu: "system.systems.write", Name: "修改接入系统", Summary: "Edit an integrated system", Handler: h.SaveSystem},
		{Method: "DELETE", Path: "/api/v1/systems/{id}", Access: X, Menu: "system.systems.write", Name: "删除接入系统", Summary: "Delete an integrated system", Handler: h.DeleteSystem},

		// Menus (菜单资源).
		{Method: "GET", Path: "/api/v1/menus/tree", Access: X, Menu: "system.menus", Name: "查询菜单树", Summary: "Menu tree", Handler: h.MenuTree},
		{Method: "GET", Path: "/api/v1/menus/assignable", Access: X, Menu: "system.broles", Name: "可分配菜单", Summary: "Menus the caller may put into roles", Handler: h.AssignableMenus},
		{Method: "POST", Path: "/api/v1/menus", Access: X, Menu: "system.menus.write", Name: "新增菜单", Summary: "Create a menu node", Handler: h.SaveMenu},
		{Method: "PUT", Path: "/api/v1/menus/{id}", Access: X, Menu: "system.menus.write", Name: "修改菜单", Summary: "Edit a menu node", Handler: h.SaveMenu},
		{Method: "DELETE", Path: "/api/v1/menus/{id}", Access: X, Menu: "system.menus.write", Name: "删除菜单", Summary: "Delete a menu node", Handler: h.DeleteMenu},
		{Method: "PUT", Path: "/api/v1/menus/{id}/resources", Access: X, Menu: "system.menus.write", Name: "绑定URL资源", Summary: "Bind URL resources to a menu node", Handler: h.SetMenuResources},

		// URL resources (URL资源).
		{Method: "GET", Path: "/api/v1/url-resources", Access: X, Menu: "system.resources", Name: "查询URL资源", Summary: "List URL resources", Handler: h.Resources},
		{Method: "POST", Path: "/api/v1/url-resources", Access: X, Menu: "system.resources.write", Name: "新增URL资源", Summary: "Create a URL resource", Handler: h.SaveResource},
		{Method: "PUT", Path: "/api/v1/url-resources/{id}", Access: X, Menu: "system.resources.write", Name: "修改URL资源", Summary: "Edit a URL resource", Handler: h.SaveResource},
		{Method: "DELETE", Path: "/api/v1/url-resources/{id}", Access: X, Menu: "system.resources.write", Name: "删除URL资源", Summary: "Delete a URL resource", Handler: h.DeleteResource},

		// Security admin (安全管理员).
		{Method: "GET", Path: "/api/v1/security/policy", Access: X, Menu: "security.policy", Name: "查看安全策略", Summary: "Password and session policy", Handler: h.PasswordPolicy},
		{Method: "PUT", Path: "/api/v1/security/policy", Access: X, Menu: "security.policy.write", Name: "修改安全策略", Summary: "Edit the policy", Handler: h.SetPolicy},
		{Method: "GET", Path: "/api/v1/security/accounts", Access: X, Menu: "security.accounts", Name: "查询账号", Summary: "Accounts with lock state", Handler: h.Accounts},
		{Method: "POST", Path: "/api/v1/security/accounts/{id}/unlock", Access: X, Menu: "security.accounts.write", Name: "解锁账号", Summary: "Unlock an account", Handler: h.Unlock},
		{Method: "POST", Path: "/api/v1/security/accounts/{id}/logout", Access: X, Menu: "security.accounts.write", Name: "强制下线", Summary: "End every session of an account", Handler: h.ForceLogout},

		// Audit admin (审计管理员).
		{Method: "GET", Path: "/api/v1/audit/events", Access: X, Menu: "audit.events", Name: "查询审计日志", Summary: "Search the audit log", Handler: a.Search},
		{Method: "GET", Path: "/api/v1/audit/events/export", Access: X, Menu: "audit.events.export", Name: "导出审计日志", Summary: "Export the audit log (CSV or Excel)", Handler: a.Export},
		{Method: "GET", Path: "/api/v1/audit/verify", Access: X, Menu: "audit.events.export", Name: "校验审计日志", Summary: "Verify the SM3 hash chain", Handler: a.Verify},

		// Gateway: consumers (接入方) and APIs — the system admin.
		{Method: "GET", Path: "/api/v1/gateway/consumers", Access: X, Menu: "gateway.consumers", Name: "查询接入方", Summary: "List consumers", Handler: c.Consumers},
		{Method: "GET", Path: "/api/v1/gateway/consumers/{id}", Access: X, Menu: "gateway.consumers", Name: "查看接入方", Summary: "One consumer with its keys", Handler: c.GetConsumer},
		{Method: "POST", Path: "/api/v1/gateway/consumers", Access: X, Menu: "gateway.consumers.write", Name: "新增接入方", Summary: "Create a consumer", Handler: c.SaveConsumer},
		{Method: "PUT", Path: "/api/v1/gateway/consumers/{id}", Access: X, Menu: "gateway.consumers.write", Name: "修改接入方", Summary: "Edit a consumer", Handler: c.SaveConsumer},
		{Method: "DELETE", Path: "/api/v1/gateway/consumers/{id}", Access: X, Menu: "gateway.consumers.write", Name: "删除接入方", Summary: "Delete a consumer", Handler: c.DeleteConsumer},
		{Method: "GET", Path: "/api/v1/gateway/apis", Access: X, Menu: "gateway.apis", Name: "查询共享接口", Summary: "List gateway APIs", Handler: c.APIs},
		{Method: "GET", Path: "/api/v1/gateway/apis/{id}", Access: X, Menu: "gateway.apis", Name: "查看共享接口", Summary: "One gateway API", Handler: c.GetAPI},
		{Method: "POST", Path: "/api/v1/gateway/apis", Access: X, Menu: "gateway.apis.write", Name: "发布共享接口", Summary: "Publish an API", Handler: c.SaveAPI},
		{Method: "PUT", Path: "/api/v1/gateway/apis/{id}", Access: X, Menu: "gateway.apis.write", Name: "修改共享接口", Summary: "Edit an API", Handler: c.SaveAPI},
		{Method: "DELETE", Path: "/api/v1/gateway/apis/{id}", Access: X, Menu: "gateway.apis.write", Name: "删除共享接口", Summary: "Delete an API", Handler: c.DeleteAPI},
		{Method: "GET", Path: "/api/v1/gateway/status", Access: X, Menu: "gateway.status", Name: "网关运行状态", Summary: "Breakers and configuration version", Handler: gw.Status},

		// Gateway: credentials and grants — the security admin.
		{Method: "GET", Path: "/api/v1/gateway/grant-options", Access: X, Menu: "gateway.grants", Name: "授权可选项", Summary: "Consumers, APIs and categories a grant can name", Handler: c.GrantOptions},
		{Method: "GET", Path: "/api/v1/gateway/credential-options", Access: X, Menu: "gateway.credentials", Name: "凭证可选项", Summary: "Consumers a credential can be issued to", Handler: c.GrantOptions},
		{Method: "GET", Path: "/api/v1/gateway/consumers/{id}/credentials", Access: X, Menu: "gateway.credentials", Name: "查看接入方凭证", Summary: "A consumer's keys and data keys", Handler: c.GetConsumer},
		{Method: "POST", Path: "/api/v1/gateway/consumers/{id}/keys", Access: X, Menu: "gateway.credentials", Name: "签发访问密钥", Summary: "Issue an access key (secret shown once)", Handler: c.IssueKey},
		{Method: "POST", Path: "/api/v1/gateway/keys/{id}/rotate", Access: X, Menu: "gateway.credentials", Name: "轮换访问密钥", Summary: "Rotate a key with an overlap", Handler: c.RotateKey},
		{Method: "POST", Path: "/api/v1/gateway/keys/{id}/revoke", Access: X, Menu: "gateway.credentials", Name: "吊销访问密钥", Summary: "Revoke a key", Handler: c.RevokeKey},
		{Method: "POST", Path: "/api/v1/gateway/consumers/{id}/data-keys", Access: X, Menu: "gateway.credentials", Name: "签发数据密钥", Summary: "Issue an SM4 data key in an SM2 envelope", Handler: c.IssueDataKey},
		{Method: "POST", Path: "/api/v1/gateway/data-keys/{id}/revoke", Access: X, Menu: "gateway.credentials", Name: "吊销数据密钥", Summary: "Revoke a data key", Handler: c.RevokeDataKey},
		{Method: "GET", Path: "/api/v1/gateway/platform-keys", Access: X, Menu: "gateway.credentials", Name: "平台签名密钥", Summary: "The platform's public signing keys", Handler: c.PlatformKeys},
		{Method: "POST", Path: "/api/v1/gateway/platform-keys/rotate", Access: X, Menu: "gateway.credentials", Name: "轮换平台密钥", Summary: "Make a new platform signing key", Handler: c.RotatePlatformKey},
		{Method: "GET", Path: "/api/v1/gateway/grants", Access: X, Menu: "gateway.grants", Name: "查询授权", Summary: "List grants", Handler: c.Grants},
		{Method: "POST", Path: "/api/v1/gateway/grants", Access: X, Menu: "gateway.grants.write", Name: "新增授权", Summary: "Grant an API to a consumer", Handler: c.SaveGrant},
		{Method: "PUT", Path: "/api/v1/gateway/grants/{id}", Access: X, Menu: "gateway.grants.write", Name: "修改授权", Summary: "Edit a grant", Handler: c.SaveGrant},
		{Method: "DELETE", Path: "/api/v1/gateway/grants/{id}", Access: X, Menu: "gateway.grants.write", Name: "删除授权", Summary: "Delete a grant", Handler: c.DeleteGrant},

		// Gateway: the call log — the audit admin.
		{Method: "GET", Path: "/api/v1/gateway/calls", Access: X, Menu: "gateway.calls", Name: "查询调用日志", Summary: "Search gateway calls (by subject too)", Handler: calls.Search},
		{Method: "GET", Path: "/api/v1/gateway/calls/export", Access: X, Menu: "gateway.calls", Name: "导出调用日志", Summary: "Export gateway calls (CSV)", Handler: calls.Export},
		{Method: "GET", Path: "/api/v1/gateway/calls/retention", Access: X, Menu: "gateway.calls", Name: "查看调用日志保留期", Summary: "How many days the call log keeps a call (calllog_retention_days; 0: forever)", Handler: calls.Retention},

		// Data sources (数据源管理) — the system admin.
		{Method: "GET", Path: "/api/v1/datasources/kinds", Access: X, Menu: "data.sources", Name: "数据源类型", Summary: "Kinds of data source and their form fields", Handler: ds.Kinds},
		{Method: "GET", Path: "/api/v1/datasource-groups", Access: X, Menu: "data.sources", Name: "查询数据源分组", Summary: "List data-source groups", Handler: ds.Groups},
		{Method: "POST", Path: "/api/v1/datasource-groups", Access: X, Menu: "data.sources.write", Name: "新增数据源分组", Summary: "Create a data-source group", Handler: ds.SaveGroup},
		{Method: "PUT", Path: "/api/v1/datasource-groups/{id}", Access: X, Menu: "data.sources.write", Name: "修改数据源分组", Summary: "Rename a data-source group", Handler: ds.SaveGroup},
		{Method: "DELETE", Path: "/api/v1/datasource-groups/{id}", Access: X, Menu: "data.sources.write", Name: "删除数据源分组", Summary: "Delete an empty data-source group", Handler: ds.DeleteGroup},
		{Method: "GET", Path: "/api/v1/datasources", Access: X, Menu: "data.sources", Name: "查询数据源", Summary: "List data sources (search, kind, group)", Handler: ds.Sources},
		{Method: "GET", Path: "/api/v1/datasources/{id}", Access: X, Menu: "data.sources", Name: "查看数据源", Summary: "One data source (never its secrets)", Handler: ds.GetSource},
		{Method: "POST", Path: "/api/v1/datasources", Access: X, Menu: "data.sources.write", Name: "新增数据源", Summary: "Create a data source", Handler: ds.SaveSource},
		{Method: "PUT", Path: "/api/v1/datasources/{id}", Access: X, Menu: "data.sources.write", Name: "修改数据源", Summary: "Edit a data source", Handler: ds.SaveSource},
		{Method: "DELETE", Path: "/api/v1/datasources/{id}", Access: X, Menu: "data.sources.write", Name: "删除数据源", Summary: "Delete an unused data source", Handler: ds.DeleteSource},
		{Method: "POST", Path: "/api/v1/datasources/move", Access: X, Menu: "data.sources.write", Name: "数据源分组迁移", Summary: "Move data sources into a group", Handler: ds.Move},
		{Method: "POST", Path: "/api/v1/datasources/{id}/test", Access: X, Menu: "data.sources.write", Name: "数据源连通性测试", Summary: "Test a saved data source step by step", Handler: ds.Test},
		{Method: "POST", Path: "/api/v1/datasources/test", Access: X, Menu: "data.sources.write", Name: "测试未保存的数据源", Summary: "Test an unsaved data-source form", Handler: ds.TestInput},

		// Data APIs (数据服务: SQL published as gateway APIs) — the system admin.
		{Method: "GET", Path: "/api/v1/data-apis", Access: X, Menu: "data.apis", Name: "查询数据API", Summary: "List data APIs", Handler: da.APIs},
		{Method: "GET", Path: "/api/v1/data-apis/{id}", Access: X, Menu: "data.apis", Name: "查看数据API", Summary: "One data API with its draft", Handler: da.GetAPI},
		{Method: "GET", Path: "/api/v1/data-apis/source-options", Access: X, Menu: "data.apis", Name: "数据API可选数据源", Summary: "Database sources a data API can read", Handler: da.SourceOptions},
		{Method: "GET", Path: "/api/v1/data-apis/{id}/versions", Access: X, Menu: "data.apis", Name: "数据API版本", Summary: "A data API's versions", Handler: da.Versions},
		{Method: "GET", Path: "/api/v1/data-apis/{id}/stats", Access: X, Menu: "data.apis", Name: "数据API调用统计", Summary: "Calls, failures and latency from the call log", Handler: da.Stats},
		{Method: "POST", Path: "/api/v1/data-apis", Access: X, Menu: "data.apis.write", Name: "新增数据API", Summary: "Create a data API draft", Handler: da.Save},
		{Method: "PUT", Path: "/api/v1/data-apis/{id}", Access: X, Menu: "data.apis.write", Name: "修改数据API", Summary: "Edit a data API's draft", Handler: da.Save},
		{Method: "DELETE", Path: "/api/v1/data-apis/{id}", Access: X, Menu: "data.apis.write", Name: "删除数据API", Summary: "Delete an unpublished data API", Handler: da.Delete},
		{Method: "POST", Path: "/api/v1/data-apis/try", Access: X, Menu: "data.apis.write", Name: "试运行数据API", Summary: "Run a definition with sample values (read-only)", Handler: da.Try},
		{Method: "POST", Path: "/api/v1/data-apis/{id}/submit", Access: X, Menu: "data.apis.write", Name: "提交数据API审核", Summary: "Submit the draft as a version for review", Handler: da.Submit},
		{Method: "GET", Path: "/api/v1/data-apis/reviews", Access: X, Menu: "data.apis.review", Name: "待审核数据API", Summary: "Versions waiting for review", Handler: da.Reviews},
		{Method: "POST", Path: "/api/v1/data-apis/{id}/review", Access: X, Menu: "data.apis.review", Name: "审核数据API", Summary: "Approve (publish) or reject a version", Handler: da.Review},
		{Method: "POST", Path: "/api/v1/data-apis/{id}/rollback", Access: X, Menu: "data.apis.review", Name: "回滚数据API版本", Summary: "Publish an earlier approved version", Handler: da.Rollback},
		{Method: "POST", Path: "/api/v1/data-apis/{id}/offline", Access: X, Menu: "data.apis.review", Name: "下线数据API", Summary: "Take a data API off the gateway", Handler: da.Offline},

		// The data asset catalog (数据资产目录): cataloguing, approvals, negative list.
		{Method: "GET", Path: "/api/v1/catalog/categories", Access: X, Menu: "catalog.entries", Name: "目录分类", Summary: "The classification tree", Handler: cat.Categories},
		{Method: "POST", Path: "/api/v1/catalog/categories", Access: X, Menu: "catalog.entries.write", Name: "新增目录分类", Summary: "Create a category", Handler: cat.SaveCategory},
		{Method: "PUT", Path: "/api/v1/catalog/categories/{id}", Access: X, Menu: "catalog.entries.write", Name: "修改目录分类", Summary: "Edit a category", Handler: cat.SaveCategory},
		{Method: "DELETE", Path: "/api/v1/catalog/categories/{id}", Access: X, Menu: "catalog.entries.write", Name: "删除目录分类", Summary: "Delete an empty category", Handler: cat.DeleteCategory},
		{Method: "GET", Path: "/api/v1/catalog/entries", Access: X, Menu: "catalog.entries", Name: "查询编目", Summary: "List catalog entries (every status)", Handler: cat.Entries},
		{Method: "GET", Path: "/api/v1/catalog/entries/{id}", Access: X, Menu: "catalog.entries", Name: "查看编目", Summary: "One entry with resources and negative list", Handler: cat.GetEntry},
		{Method: "GET", Path: "/api/v1/catalog/entries/{id}/events", Access: X, Menu: "catalog.entries", Name: "编目时间线", Summary: "An entry's timeline", Handler: cat.Events},
		{Method: "GET", Path: "/api/v1/catalog/api-options", Access: X, Menu: "catalog.entries.write", Name: "可挂载接口", Summary: "Gateway APIs a resource can be", Handler: cat.APIOptions},
		{Method: "POST", Path: "/api/v1/catalog/entries", Access: X, Menu: "catalog.entries.write", Name: "新增编目", Summary: "Create a draft entry", Handler: cat.SaveEntry},
		{Method: "PUT", Path: "/api/v1/catalog/entries/{id}", Access: X, Menu: "catalog.entries.write", Name: "修改编目", Summary: "Edit a draft, or change a published entry", Handler: cat.SaveEntry},
		{Method: "DELETE", Path: "/api/v1/catalog/entries/{id}", Access: X, Menu: "catalog.entries.write", Name: "删除编目", Summary: "Delete a draft entry", Handler: cat.DeleteEntry},
		{Method: "POST", Path: "/api/v1/catalog/entries/{id}/submit", Access: X, Menu: "catalog.entries.write", Name: "提交发布审批", Summary: "Submit an entry or its change for approval", Handler: cat.Submit},
		{Method: "POST", Path: "/api/v1/catalog/entries/{id}/resources", Access: X, Menu: "catalog.entries.write", Name: "挂载资源", Summary: "Mount a resource (for approval)", Handler: cat.Mount},
		{Method: "GET", Path: "/api/v1/catalog/reviews", Access: X, Menu: "catalog.entries.review", Name: "目录待审批", Summary: "Entries, changes and mounts waiting for approval", Handler: cat.Reviews},
		{Method: "POST", Path: "/api/v1/catalog/entries/{id}/review", Access: X, Menu: "catalog.entries.review", Name: "目录发布审批", Summary: "Approve or reject an entry's publication or change", Handler: cat.Review},
		{Method: "POST", Path: "/api/v1/catalog/entries/{id}/offline", Access: X, Menu: "catalog.entries.review", Name: "目录下线", Summary: "Take an entry offline", Handler: cat.Offline},
		{Method: "POST", Path: "/api/v1/catalog/resources/{id}/review", Access: X, Menu: "catalog.entries.review", Name: "资源挂载审批", Summary: "Approve or reject a mount", Handler: cat.ReviewResource},
		{Method: "GET", Path: "/api/v1/catalog/negative-list", Access: X, Menu: "catalog.negative", Name: "查询负面清单", Summary: "The negative list (负面清单)", Handler: cat.Negatives},
		{Method: "POST", Path: "/api/v1/catalog/negative-list", Access: X, Menu: "catalog.negative.write", Name: "加入负面清单", Summary: "Put an entry or field on the negative list", Handler: cat.AddNegative},
		{Method: "DELETE", Path: "/api/v1/catalog/negative-list/{id}", Access: X, Menu: "catalog.negative.write", Name: "移出负面清单", Summary: "Take an entry or field off the negative list", Handler: cat.DeleteNegative},

		// The portal (数据门户): every department browses published entries.
		{Method: "GET", Path: "/api/v1/portal/overview", Access: X, Menu: "catalog.portal", Name: "门户首页", Summary: "Totals, newest and most used entries", Handler: cat.Overview},
		{Method: "GET", Path: "/api/v1/portal/categories", Access: X, Menu: "catalog.portal", Name: "门户分类", Summary: "The classification tree for the marketplace", Handler: cat.Categories},
		{Method: "GET", Path: "/api/v1/portal/entries", Access: X, Menu: "catalog.portal", Name: "搜索资源", Summary: "Search published entries (keywords, filters)", Handler: cat.Search},
		{Method: "GET", Path: "/api/v1/portal/entries/{id}", Access: X, Menu: "catalog.portal", Name: "资源详情", Summary: "A published entry with its resources", Handler: cat.Published},

		// Sharing requests (资源申请) and supply and demand (数据供需).
		{Method: "GET", Path: "/api/v1/sharing/consumer-options", Access: X, Menu: "sharing.mine", Name: "可申请的接入方", Summary: "Consumers a request can be for", Handler: sh.ConsumerOptions},
		{Method: "POST", Path: "/api/v1/sharing/requests", Access: X, Menu: "sharing.mine", Name: "提交资源申请", Summary: "Apply for a resource", Handler: sh.Apply},
		{Method: "GET", Path: "/api/v1/sharing/requests/mine", Access: X, Menu: "sharing.mine", Name: "我的申请", Summary: "My requests", Handler: sh.Mine},
		{Method: "GET", Path: "/api/v1/sharing/requests/{id}", Access: X, Menu: "sharing.mine", Name: "申请详情", Summary: "A request with its timeline (if it concerns me)", Handler: sh.Get},
		{Method: "POST", Path: "/api/v1/sharing/requests/{id}/withdraw", Access: X, Menu: "sharing.mine", Name: "撤回申请", Summary: "Withdraw my request", Handler: sh.Withdraw},
		{Method: "POST", Path: "/api/v1/sharing/requests/{id}/resubmit", Access: X, Menu: "sharing.mine", Name: "重新提交申请", Summary: "Resubmit my returned request", Handler: sh.Resubmit},
		{Method: "GET", Path: "/api/v1/sharing/todo", Access: X, Menu: "sharing.todo", Name: "待办审批", Summary: "Requests waiting for my department (done=1: decided by me)", Handler: sh.Todo},
		{Method: "POST", Path: "/api/v1/sharing/requests/{id}/decide", Access: X, Menu: "sharing.todo", Name: "审批资源申请", Summary: "Approve, reject or return at the current level", Handler: sh.Decide},
		{Method: "GET", Path: "/api/v1/sharing/requests", Access: X, Menu: "sharing.requests", Name: "申请管理", Summary: "Every request", Handler: sh.All},
		{Method: "POST", Path: "/api/v1/sharing/requests/{id}/revoke", Access: X, Menu: "sharing.requests", Name: "撤销授权", Summary: "Revoke an approved request and its grant", Handler: sh.Revoke},
		{Method: "GET", Path: "/api/v1/sharing/demands", Access: X, Menu: "sharing.demands", Name: "查询数据需求", Summary: "List demands", Handler: sh.Demands},
		{Method: "GET", Path: "/api/v1/sharing/demands/{id}", Access: X, Menu: "sharing.demands", Name: "查看数据需求", Summary: "A demand with its timeline", Handler: sh.GetDemand},
		{Method: "POST", Path: "/api/v1/sharing/demands", Access: X, Menu: "sharing.demands", Name: "登记数据需求", Summary: "Register a demand", Handler: sh.RegisterDemand},
		{Method: "POST", Path: "/api/v1/sharing/demands/{id}/step", Access: X, Menu: "sharing.demands.process", Name: "办理数据需求", Summary: "Approve, review, supply, accept or reject a demand", Handler: sh.StepDemand},
		// Fund supervision (基金监管): rules, runs, warnings and their lifecycle, statistics.
		{Method: "GET", Path: "/api/v1/supervision/rules", Access: X, Menu: "supervision.rules", Name: "规则库", Summary: "The rule library with settings", Handler: sv.Rules},
		{Method: "GET", Path: "/api/v1/supervision/rules/{code}", Access: X, Menu: "supervision.rules", Name: "查看规则", Summary: "One rule with its parameters and city overrides", Handler: sv.GetRule},
		{Method: "GET", Path: "/api/v1/supervision/rules/{code}/versions", Access: X, Menu: "supervision.rules", Name: "规则版本", Summary: "A custom rule's versions", Handler: sv.Versions},
		{Method: "POST", Path: "/api/v1/supervision/rules/dry-run", Access: X, Menu: "supervision.rules", Name: "规则试运行", Summary: "Dry-run a rule on the warehouse (first hits)", Handler: sv.DryRun},
		{Method: "PUT", Path: "/api/v1/supervision/rules/{code}/enabled", Access: X, Menu: "supervision.rules.write", Name: "启停规则", Summary: "Enable or disable a rule", Handler: sv.SetEnabled},
		{Method: "PUT", Path: "/api/v1/supervision/rules/{code}/params", Access: X, Menu: "supervision.rules.write", Name: "规则参数维护", Summary: "Set a city's parameter overrides", Handler: sv.SetParams},
		{Method: "POST", Path: "/api/v1/supervision/custom-rules", Access: X, Menu: "supervision.rules.write", Name: "编写规则", Summary: "Save a custom rule (a new version)", Handler: sv.SaveRule},
		{Method: "POST", Path: "/api/v1/supervision/rules/{code}/versions/{version}/activate", Access: X, Menu: "supervision.rules.write", Name: "启用规则版本", Summary: "Activate a custom rule's version", Handler: sv.Activate},
		{Method: "GET", Path: "/api/v1/supervision/groups", Access: X, Menu: "supervision.runs", Name: "任务组", Summary: "Task groups", Handler: sv.Groups},
		{Method: "GET", Path: "/api/v1/supervision/groups/{id}", Access: X, Menu: "supervision.runs", Name: "查看任务组", Summary: "One task group", Handler: sv.GetGroup},
		{Method: "POST", Path: "/api/v1/supervision/groups", Access: X, Menu: "supervision.runs.write", Name: "新增任务组", Summary: "Create a task group", Handler: sv.SaveGroup},
		{Method: "PUT", Path: "/api/v1/supervision/groups/{id}", Access: X, Menu: "supervision.runs.write", Name: "修改任务组", Summary: "Edit a task group", Handler: sv.SaveGroup},
		{Method: "DELETE", Path: "/api/v1/supervision/groups/{id}", Access: X, Menu: "supervision.runs.write", Name: "删除任务组", Summary: "Delete a task group", Handler: sv.DeleteGroup},
		{Method: "GET", Path: "/api/v1/supervision/runs", Access: X, Menu: "supervision.runs", Name: "运行记录", Summary: "Run history", Handler: sv.Runs},
		{Method: "GET", Path: "/api/v1/supervision/runs/{id}", Access: X, Menu: "supervision.runs", Name: "查看运行", Summary: "One run with hits per rule", Handler: sv.GetRun},
		{Method: "POST", Path: "/api/v1/supervision/runs", Access: X, Menu: "supervision.runs.write", Name: "手动运行", Summary: "Start a run of a task group or rules", Handler: sv.StartRun},
		{Method: "POST", Path: "/api/v1/supervision/runs/{id}/cancel", Access: X, Menu: "supervision.runs.write", Name: "取消运行", Summary: "Cancel a running run", Handler: sv.CancelRun},
		{Method: "GET", Path: "/api/v1/supervision/warnings", Access: X, Menu: "supervision.warnings", Name: "查询预警", Summary: "Warnings with filters", Handler: sv.Warnings},
		{Method: "GET", Path: "/api/v1/supervision/warnings/export", Access: X, Menu: "supervision.warnings", Name: "导出预警", Summary: "Export warnings (.xlsx, audited)", Handler: sv.ExportWarnings},
		{Method: "GET", Path: "/api/v1/supervision/warnings/{id}", Access: X, Menu: "supervision.warnings", Name: "查看预警", Summary: "One warning with its events and files", Handler: sv.GetWarning},
		{Method: "GET", Path: "/api/v1/supervision/files/{id}", Access: X, Menu: "supervision.warnings", Name: "查看核查材料", Summary: "An evidence file", Handler: sv.File},
		{Method: "GET", Path: "/api/v1/supervision/agency-options", Access: X, Menu: "supervision.warnings.dispatch", Name: "核查机构选项", Summary: "Organisations a warning can go to, its region's first", Handler: sv.AgencyOptions},
		{Method: "POST", Path: "/api/v1/supervision/warnings/{id}/dispatch", Access: X, Menu: "supervision.warnings.dispatch", Name: "派发预警", Summary: "Dispatch a warning to an agency with a deadline", Handler: sv.Dispatch},
		{Method: "POST", Path: "/api/v1/supervision/warnings/{id}/review", Access: X, Menu: "supervision.warnings.review", Name: "审核核查结果", Summary: "Review a verification (pass or send back)", Handler: sv.Review},
		{Method: "POST", Path: "/api/v1/supervision/warnings/{id}/feedback", Access: X, Menu: "supervision.warnings.feedback", Name: "监管反馈", Summary: "Close or send back a reviewed warning", Handler: sv.Feedback},
		{Method: "GET", Path: "/api/v1/supervision/samples", Access: X, Menu: "supervision.warnings.feedback", Name: "抽查记录", Summary: "Quarterly samples", Handler: sv.Samples},
		{Method: "POST", Path: "/api/v1/supervision/samples", Access: X, Menu: "supervision.warnings.feedback", Name: "抽取抽查样本", Summary: "Draw a quarter's sample of closed warnings", Handler: sv.DrawSample},
		{Method: "POST", Path: "/api/v1/supervision/warnings/{id}/recheck", Access: X, Menu: "supervision.warnings.feedback", Name: "抽查复核", Summary: "Record a re-check", Handler: sv.Recheck},
		{Method: "GET", Path: "/api/v1/supervision/agency/warnings", Access: X, Menu: "supervision.verify", Name: "核查任务", Summary: "Warnings dispatched to my agency", Handler: sv.AgencyWarnings},
		{Method: "GET", Path: "/api/v1/supervision/agency/warnings/{id}", Access: X, Menu: "supervision.verify", Name: "查看核查任务", Summary: "One warning dispatched to my agency", Handler: sv.AgencyWarning},
		{Method: "POST", Path: "/api/v1/supervision/agency/warnings/{id}/files", Access: X, Menu: "supervision.verify", Name: "上传核查材料", Summary: "Upload an evidence file (multipart)", Handler: sv.Upload},
		{Method: "POST", Path: "/api/v1/supervision/agency/warnings/{id}/verify", Access: X, Menu: "supervision.verify", Name: "提交核查结果", Summary: "Record the verification", Handler: sv.Verify},
		{Method: "GET", Path: "/api/v1/supervision/agency/files/{id}", Access: X, Menu: "supervision.verify", Name: "下载核查材料", Summary: "An evidence file of my agency", Handler: sv.AgencyFile},
		{Method: "GET", Path: "/api/v1/supervision/stats", Access: X, Menu: "supervision.stats", Name: "监管统计", Summary: "Found, verified, rectified, amounts by province, city, county", Handler: sv.Stats},
		{Method: "GET", Path: "/api/v1/supervision/stats/export", Access: X, Menu: "supervision.stats", Name: "导出监管统计", Summary: "Export the statistics (.xlsx)", Handler: sv.ExportStats},
		// Warehouse loads (数据装载): files and data-source tables into the supervision warehouse.
		{Method: "GET", Path: "/api/v1/warehouse/loads", Access: X, Menu: "supervision.loads", Name: "装载记录", Summary: "Warehouse loads, newest first (status, table filters)", Handler: ld.Jobs},
		{Method: "GET", Path: "/api/v1/warehouse/loads/{id}", Access: X, Menu: "supervision.loads", Name: "查看装载", Summary: "One load with its bad rows", Handler: ld.Job},
		{Method: "GET", Path: "/api/v1/warehouse/loads/{id}/bad-rows.csv", Access: X, Menu: "supervision.loads", Name: "导出问题行", Summary: "A load's bad rows as CSV", Handler: ld.BadRowsCSV},
		{Method: "GET", Path: "/api/v1/warehouse/tables", Access: X, Menu: "supervision.loads", Name: "仓库表", Summary: "Warehouse tables with columns and row counts", Handler: ld.Tables},
		{Method: "POST", Path: "/api/v1/warehouse/loads/file", Access: X, Menu: "supervision.loads.write", Name: "装载文件", Summary: "Load an uploaded CSV, Excel or Parquet file (multipart)", Handler: ld.StartFile},
		{Method: "POST", Path: "/api/v1/warehouse/loads/datasource", Access: X, Menu: "supervision.loads.write", Name: "装载数据源表", Summary: "Load a data-source table incrementally by a watermark column", Handler: ld.StartSource},
		{Method: "POST", Path: "/api/v1/warehouse/loads/{id}/cancel", Access: X, Menu: "supervision.loads.write", Name: "取消装载", Summary: "Cancel a queued or running load (rolls back)", Handler: ld.Cancel},
		{Method: "GET", Path: "/api/v1/warehouse/sources", Access: X, Menu: "supervision.loads.write", Name: "可装载数据源", Summary: "Database data sources a table can be loaded from", Handler: ld.Sources},
	}
}
