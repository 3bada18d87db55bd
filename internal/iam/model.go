// Package iam is identity and access (统一门户, 用户管理, 权限管理):
// organisations, users, sessions, management and business roles, integrated
// systems, menus and URL resources, and the authorisation that the HTTP
// layer applies to every route.
package iam

import "time"

// Org is an organisation (组织机构): province → city → county, or a department.
type Org struct {
	ID         int64     `json:"id"`
	ParentID   *int64    `json:"parent_id"`
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"` // province | city | county | department
	RegionCode string    `json:"region_code"`
	Sort       int       `json:"sort"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Children   []*Org    `json:"children,omitempty"`
}

// OrgKinds are the allowed Org.Kind values.
var OrgKinds = []string{"province", "city", "county", "department"}

// User is an account. The password hash never leaves the store.
type User struct {
	ID                 int64      `json:"id"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	OrgID              int64      `json:"org_id"`
	OrgName            string     `json:"org_name"`
	Phone              string     `json:"phone"`
	Email              string     `json:"email"`
	Status             string     `json:"status"` // active | disabled
	Locked             bool       `json:"locked"`
	MustChangePassword bool       `json:"must_change_password"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	ManagementRoles    []RoleRef  `json:"management_roles"`
	BusinessRoles      []RoleRef  `json:"business_roles"`

	passwordHash      string
	passwordChangedAt time.Time
	failedLogins      int
	lockedUntil       *time.Time
}

// RoleRef names a role held by a user.
type RoleRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Policy is the password and session policy the security admin sets.
type Policy struct {
	MinLength          int `json:"min_length"`
	MinClasses         int `json:"min_classes"`
	History            int `json:"history"`
	MaxFailures        int `json:"max_failures"`
	LockoutMinutes     int `json:"lockout_minutes"`
	IdleTimeoutMinutes int `json:"idle_timeout_minutes"`
	MaxAgeDays         int `json:"max_age_days"`
}

// DefaultPolicy meets GB/T 22239 level 3 expectations.
var DefaultPolicy = Policy{MinLength: 12, MinClasses: 3, History: 5, MaxFailures: 5, LockoutMinutes: 15, IdleTimeoutMinutes: 30, MaxAgeDays: 90}

// System is an integrated system (接入系统).
type System struct {
	ID              int64     `json:"id"`
	Code            string    `json:"code"`
	Name            string    `json:"name"`
	IntegrationMode string    `json:"integration_mode"` // menu (菜单级集成) | system (系统级集成)
	BaseURL         string    `json:"base_url"`
	Description     string    `json:"description"`
	Enabled         bool      `json:"enabled"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Menu is a node of the menu tree (菜单资源): a directory, a page or a button.
type Menu struct {
	ID          int64     `json:"id"`
	ParentID    *int64    `json:"parent_id"`
	SystemID    *int64    `json:"system_id"`
	Type        string    `json:"type"` // dir | menu | button
	Code        string    `json:"code"`
	NameZH      string    `json:"name_zh"`
	NameEN      string    `json:"name_en"`
	Path        string    `json:"path"`
	ExternalURL string    `json:"external_url"`
	Icon        string    `json:"icon"`
	Sort        int       `json:"sort"`
	Builtin     bool      `json:"builtin"`
	ResourceIDs []int64   `json:"resource_ids"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Children    []*Menu   `json:"children,omitempty"`
}

// URLResource is a method and route pattern (URL资源). Requests are allowed
// by the URL resources bound to the menus a user's roles grant.
type URLResource struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Method    string    `json:"method"`
	Pattern   string    `json:"pattern"`
	Builtin   bool      `json:"builtin"`
	MenuIDs   []int64   `json:"menu_ids"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Key is "METHOD pattern", the form permissions take.
func (r URLResource) Key() string { return r.Method + " " + r.Pattern }

// Admin kinds of the three-admin separation (三员分立).
const (
	AdminSystem   = "system"
	AdminSecurity = "security"
	AdminAudit    = "audit"
)

// ManagementRole is a node of the management-role hierarchy (管理角色).
type ManagementRole struct {
	ID              int64             `json:"id"`
	ParentID        *int64            `json:"parent_id"`
	Code            string            `json:"code"`
	Name            string            `json:"name"`
	Description     string            `json:"description"`
	AdminKind       string            `json:"admin_kind"`
	Builtin         bool              `json:"builtin"`
	UseMenuIDs      []int64           `json:"use_menu_ids"`
	AssignMenuIDs   []int64           `json:"assign_menu_ids"`
	OrgIDs          []int64           `json:"org_ids"`
	BusinessRoleIDs []int64           `json:"business_role_ids"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
	Children        []*ManagementRole `json:"children,omitempty"`
}

// BusinessRole is a business role (业务角色) with the menus it may use.
type BusinessRole struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	OwnerRoleID *int64    `json:"owner_role_id"`
	MenuIDs     []int64   `json:"menu_ids"`
	UserCount   int       `json:"user_count"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Session is a logged-in browser session; only SM3(id) is stored.
type Session struct {
	IDHash     string
	UserID     int64
	CSRFToken  string
	ClientIP   string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}
