package app

import (
	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/consumer"
	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
)

// routes is the route table: every API route xietong answers, in one place.
// The mux, the built-in URL resources (URL资源), the OpenAPI document and the
// route-walking authorisation test all read it.
func routes(h *iam.Handler, a *audit.Handler, ops *opsHandler, c *consumer.Handler, calls *calllog.Handler, gw *gateway.Gateway) []httpx.Route {
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
	}
}
