package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
)

// RouteSpec is what seeding needs to know of a route: its URL resource and
// the built-in menu (or button) it belongs to. The app's route table is the
// single source of these.
type RouteSpec struct {
	Method  string
	Pattern string
	Name    string
	Menu    string
}

type menuDef struct {
	code, parent, typ, zh, en, path, icon string
}

// builtinMenus is the console's own menu tree. Buttons (type button) carry
// the write permissions, so a role can be given a page without its actions.
var builtinMenus = []menuDef{
	{"home", "", "menu", "工作台", "Home", "/home", "HomeFilled"},
	{"system", "", "dir", "系统管理", "System", "", "Setting"},
	{"system.orgs", "system", "menu", "组织机构", "Organisations", "/system/orgs", "OfficeBuilding"},
	{"system.orgs.write", "system.orgs", "button", "机构维护", "Edit organisations", "", ""},
	{"system.users", "system", "menu", "用户管理", "Users", "/system/users", "User"},
	{"system.users.write", "system.users", "button", "用户维护", "Edit users", "", ""},
	{"system.users.password", "system.users", "button", "重置密码", "Reset passwords", "", ""},
	{"system.users.roles", "system.users", "button", "分配角色", "Assign roles", "", ""},
	{"system.mroles", "system", "menu", "管理角色", "Management roles", "/system/management-roles", "Avatar"},
	{"system.mroles.write", "system.mroles", "button", "管理角色维护", "Edit management roles", "", ""},
	{"system.broles", "system", "menu", "业务角色", "Business roles", "/system/business-roles", "UserFilled"},
	{"system.broles.write", "system.broles", "button", "业务角色维护", "Edit business roles", "", ""},
	{"system.systems", "system", "menu", "接入系统", "Integrated systems", "/system/systems", "Connection"},
	{"system.systems.write", "system.systems", "button", "接入系统维护", "Edit systems", "", ""},
	{"system.menus", "system", "menu", "菜单资源", "Menus", "/system/menus", "Menu"},
	{"system.menus.write", "system.menus", "button", "菜单维护", "Edit menus", "", ""},
	{"system.resources", "system", "menu", "URL资源", "URL resources", "/system/url-resources", "Link"},
	{"system.resources.write", "system.resources", "button", "URL资源维护", "Edit URL resources", "", ""},
	{"security", "", "dir", "安全管理", "Security", "", "Lock"},
	{"security.policy", "security", "menu", "安全策略", "Security policy", "/security/policy", "Key"},
	{"security.policy.write", "security.policy", "button", "修改策略", "Edit policy", "", ""},
	{"security.accounts", "security", "menu", "账号安全", "Accounts", "/security/accounts", "Unlock"},
	{"security.accounts.write", "security.accounts", "button", "解锁与强制下线", "Unlock and force logout", "", ""},
	{"audit", "", "dir", "审计管理", "Audit", "", "Document"},
	{"audit.events", "audit", "menu", "审计日志", "Audit log", "/audit/events", "Tickets"},
	{"audit.events.export", "audit.events", "button", "导出与校验", "Export and verify", "", ""},
	{"gateway", "", "dir", "数据共享网关", "Sharing gateway", "", "Share"},
	{"gateway.consumers", "gateway", "menu", "接入方", "Consumers", "/gateway/consumers", "Connection"},
	{"gateway.consumers.write", "gateway.consumers", "button", "接入方维护", "Edit consumers", "", ""},
	{"gateway.apis", "gateway", "menu", "共享接口", "APIs", "/gateway/apis", "Guide"},
	{"gateway.apis.write", "gateway.apis", "button", "接口发布与维护", "Publish and edit APIs", "", ""},
	{"gateway.status", "gateway", "menu", "运行状态", "Breakers and limits", "/gateway/status", "Odometer"},
	{"gateway.credentials", "gateway", "menu", "密钥与凭证", "Keys and credentials", "/gateway/credentials", "Key"},
	{"gateway.grants", "gateway", "menu", "接口授权", "Grants", "/gateway/grants", "Stamp"},
	{"gateway.grants.write", "gateway.grants", "button", "授权维护", "Edit grants", "", ""},
	{"gateway.calls", "gateway", "menu", "调用日志", "Call log", "/gateway/calls", "Tickets"},
	{"data", "", "dir", "数据服务", "Data services", "", "Coin"},
	{"data.sources", "data", "menu", "数据源", "Data sources", "/data/sources", "Coin"},
	{"data.sources.write", "data.sources", "button", "数据源维护", "Edit data sources", "", ""},
	{"data.apis", "data", "menu", "数据API", "Data APIs", "/data/apis", "DataLine"},
	{"data.apis.write", "data.apis", "button", "数据API编写与提交", "Write and submit data APIs", "", ""},
	{"data.apis.review", "data.apis", "button", "数据API审核与发布", "Review and publish data APIs", "", ""},
	{"catalog", "", "dir", "数据资产", "Data assets", "", "Files"},
	{"catalog.portal", "catalog", "menu", "数据门户", "Data portal", "/catalog/portal", "Shop"},
	{"catalog.entries", "catalog", "menu", "目录编目", "Catalog entries", "/catalog/entries", "Notebook"},
	{"catalog.entries.write", "catalog.entries", "button", "编目与挂载", "Catalogue and mount", "", ""},
	{"catalog.entries.review", "catalog.entries", "button", "发布与挂载审批", "Approve publications and mounts", "", ""},
	{"catalog.negative", "catalog", "menu", "负面清单", "Negative list", "/catalog/negative-list", "CircleClose"},
	{"catalog.negative.write", "catalog.negative", "button", "负面清单维护", "Edit the negative list", "", ""},
	{"sharing", "", "dir", "数据共享", "Data sharing", "", "Promotion"},
	{"sharing.mine", "sharing", "menu", "我的申请", "My requests", "/sharing/mine", "Document"},
	{"sharing.todo", "sharing", "menu", "待办审批", "To do", "/sharing/todo", "Bell"},
	{"sharing.requests", "sharing", "menu", "申请管理", "All requests", "/sharing/requests", "List"},
	{"sharing.demands", "sharing", "menu", "数据供需", "Supply and demand", "/sharing/demands", "Switch"},
	{"sharing.demands.process", "sharing.demands", "button", "供需办理", "Process demands", "", ""},
	{"supervision", "", "dir", "基金监管", "Fund supervision", "", "Monitor"},
	{"supervision.rules", "supervision", "menu", "规则库", "Rule library", "/supervision/rules", "Collection"},
	{"supervision.rules.write", "supervision.rules", "button", "规则维护", "Edit rules", "", ""},
	{"supervision.runs", "supervision", "menu", "调度管理", "Runs", "/supervision/runs", "Timer"},
	{"supervision.runs.write", "supervision.runs", "button", "运行与任务组维护", "Run and edit task groups", "", ""},
	{"supervision.warnings", "supervision", "menu", "预警处置", "Warnings", "/supervision/warnings", "Warning"},
	{"supervision.warnings.dispatch", "supervision.warnings", "button", "派发", "Dispatch", "", ""},
	{"supervision.warnings.review", "supervision.warnings", "button", "审核", "Review", "", ""},
	{"supervision.warnings.feedback", "supervision.warnings", "button", "反馈与抽查", "Feedback and samples", "", ""},
	{"supervision.verify", "supervision", "menu", "核查任务", "Verification tasks", "/supervision/verify", "Checked"},
	{"supervision.stats", "supervision", "menu", "监管统计", "Statistics", "/supervision/stats", "DataAnalysis"},
	{"supervision.loads", "supervision", "menu", "数据装载", "Warehouse loads", "/supervision/loads", "Upload"},
	{"supervision.loads.write", "supervision.loads", "button", "发起与取消装载", "Start and cancel loads", "", ""},
	{"profile", "", "menu", "个人中心", "My profile", "/profile", "Postcard"},
}

type roleDef struct {
	code, name, kind, desc string
	use, assign            func(code string) bool
	rootOrg                bool
}

func under(prefixes ...string) func(string) bool {
	return func(code string) bool {
		for _, p := range prefixes {
			if code == p || strings.HasPrefix(code, p+".") {
				return true
			}
		}
		return false
	}
}

func none(string) bool { return false }

// is matches exactly the given codes (a directory without its children).
func is(codes ...string) func(string) bool {
	return func(code string) bool {
		for _, c := range codes {
			if code == c {
				return true
			}
		}
		return false
	}
}

func either(fs ...func(string) bool) func(string) bool {
	return func(code string) bool {
		for _, f := range fs {
			if f(code) {
				return true
			}
		}
		return false
	}
}

// The three admins (三员分立). The system admin may put any system page
// into business roles except management-role administration; the security
// and audit admins assign nothing.
var builtinRoles = []roleDef{
	{"system-admin", "系统管理员", AdminSystem, "管理组织机构、用户、角色、接入系统、菜单与URL资源；登记接入方、发布共享接口；管理数据源与数据API、数据资产目录与共享、基金监管（业务功能经业务角色分配给业务人员）",
		either(under("system", "gateway.consumers", "gateway.apis", "gateway.status", "data", "catalog", "sharing", "supervision"), is("gateway")),
		func(c string) bool {
			return under("system", "data", "catalog", "sharing", "supervision")(c) && !under("system.mroles")(c)
		}, true},
	{"security-admin", "安全管理员", AdminSecurity, "管理安全策略、账号锁定与会话；签发密钥、授权接口",
		either(under("security", "gateway.credentials", "gateway.grants"), is("gateway")), none, true},
	{"audit-admin", "审计管理员", AdminAudit, "查阅、导出并校验审计日志与网关调用日志",
		either(under("audit", "gateway.calls"), is("gateway")), none, false},
}

var builtinUsers = []struct{ username, name, role string }{
	{"sysadmin", "系统管理员", "system-admin"},
	{"secadmin", "安全管理员", "security-admin"},
	{"auditadmin", "审计管理员", "audit-admin"},
}

// Bootstrap is what seeding created that the operator must be told.
type Bootstrap struct {
	// Passwords maps each new admin account to its first password when it
	// was generated (empty when XIETONG_BOOTSTRAP_PASSWORD was given).
	Passwords map[string]string
	Created   []string
}

// Seed makes sure the built-in organisation root, menus, URL resources (one
// per permission route), the three admin roles and accounts exist. It is
// idempotent and never undoes what administrators changed: bindings are set
// only when a built-in object is first created.
func (s *Service) Seed(ctx context.Context, routes []RouteSpec, bootstrapPassword string) (*Bootstrap, error) {
	out := &Bootstrap{Passwords: map[string]string{}}
	if bootstrapPassword != "" {
		if err := checkStrength(DefaultPolicy, "", bootstrapPassword); err != nil {
			return nil, fmt.Errorf("iam: XIETONG_BOOTSTRAP_PASSWORD is too weak: %w", err)
		}
	}
	ctx = audit.WithActor(ctx, audit.Actor{Name: "xietong", IP: "local"})
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		orgs, err := s.store.Orgs(ctx)
		if err != nil {
			return err
		}
		var rootID int64
		if len(orgs) == 0 {
			root := &Org{Code: "root", Name: "人力资源和社会保障厅", Kind: "province"}
			if err := s.store.CreateOrg(ctx, root); err != nil {
				return err
			}
			rootID = root.ID
			out.Created = append(out.Created, "org root")
		} else {
			for _, o := range orgs {
				if o.ParentID == nil {
					rootID = o.ID
					break
				}
			}
		}
		menuIDs := map[string]int64{}
		var added []string // built-in menus new in this version
		for i, d := range builtinMenus {
			m, err := s.store.MenuByCode(ctx, d.code)
			if errors.Is(err, db.ErrNotFound) {
				added = append(added, d.code)
				m = &Menu{Type: d.typ, Code: d.code, NameZH: d.zh, NameEN: d.en, Path: d.path, Icon: d.icon, Sort: i * 10, Builtin: true}
				if d.parent != "" {
					pid := menuIDs[d.parent]
					m.ParentID = &pid
				}
				if err := s.store.CreateMenu(ctx, m); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			menuIDs[d.code] = m.ID
		}
		for _, r := range routes {
			if r.Menu == "" {
				continue
			}
			menuID, ok := menuIDs[r.Menu]
			if !ok {
				return fmt.Errorf("iam: route %s %s names unknown menu %q", r.Method, r.Pattern, r.Menu)
			}
			_, err := s.store.ResourceByRoute(ctx, r.Method, r.Pattern)
			if err == nil {
				continue
			}
			if !errors.Is(err, db.ErrNotFound) {
				return err
			}
			res := &URLResource{Code: resourceCode(r.Method, r.Pattern), Name: r.Name, Method: r.Method, Pattern: r.Pattern, Builtin: true}
			if err := s.store.CreateResource(ctx, res); err != nil {
				return fmt.Errorf("iam: resource %s: %w", res.Code, err)
			}
			if _, err := s.db.Exec(ctx, "INSERT INTO menu_resources (menu_id, resource_id) VALUES (?, ?)", menuID, res.ID); err != nil {
				return err
			}
		}
		roleIDs := map[string]int64{}
		for _, d := range builtinRoles {
			r, err := s.store.ManagementRoleByCode(ctx, d.code)
			if err == nil {
				roleIDs[d.code] = r.ID
				// A new version's built-in menus go to the built-in roles
				// their rules name; what administrators changed stays.
				for _, code := range added {
					if err := s.store.addRoleMenu(ctx, r.ID, menuIDs[code], d.use(code), d.assign(code)); err != nil {
						return err
					}
				}
				continue
			}
			if !errors.Is(err, db.ErrNotFound) {
				return err
			}
			r = &ManagementRole{Code: d.code, Name: d.name, Description: d.desc, AdminKind: d.kind, Builtin: true}
			for _, m := range builtinMenus {
				if d.use(m.code) {
					r.UseMenuIDs = append(r.UseMenuIDs, menuIDs[m.code])
				}
				if d.assign(m.code) {
					r.AssignMenuIDs = append(r.AssignMenuIDs, menuIDs[m.code])
				}
			}
			if d.rootOrg {
				r.OrgIDs = []int64{rootID}
			}
			if err := s.store.SaveManagementRole(ctx, r); err != nil {
				return err
			}
			roleIDs[d.code] = r.ID
			out.Created = append(out.Created, "management role "+d.code)
		}
		for _, bu := range builtinUsers {
			if _, err := s.store.UserByName(ctx, bu.username); err == nil {
				continue
			} else if !errors.Is(err, db.ErrNotFound) {
				return err
			}
			pass := bootstrapPassword
			if pass == "" {
				pass = generatedPassword()
				out.Passwords[bu.username] = pass
			}
			hash, err := gm.HashPassword(pass, s.iterations)
			if err != nil {
				return err
			}
			u := &User{Username: bu.username, DisplayName: bu.name, OrgID: rootID, Status: "active", MustChangePassword: true}
			if err := s.store.CreateUser(ctx, u, hash); err != nil {
				return err
			}
			if err := s.store.SetUserRoles(ctx, u.ID, []int64{roleIDs[bu.role]}, nil); err != nil {
				return err
			}
			if err := s.audit.Record(ctx, audit.Event{Action: "user.bootstrap", TargetType: "user", TargetID: u.Username, After: audit.JSON(u)}); err != nil {
				return err
			}
			out.Created = append(out.Created, "user "+bu.username)
		}
		return nil
	})
	return out, err
}

// resourceCode derives a URL resource code from a route: GET
// /api/v1/users/{id} → users.id.get.
func resourceCode(method, pattern string) string {
	p := strings.TrimPrefix(pattern, "/api/v1/")
	p = strings.NewReplacer("{", "", "}", "", "/", ".").Replace(p)
	return p + "." + strings.ToLower(method)
}

// generatedPassword meets any policy this package allows: four classes and
// 24 characters.
func generatedPassword() string {
	return "Xt#7" + gm.Token(15)
}
