// Package catalog is the data asset catalog (数据资产目录): entries (编目)
// owned by a department and classified (分级分类), published through an
// approval (目录发布审批), with resources mounted on them after their own
// approval (目录资源挂载审批), a negative list (负面清单) of what must not
// be shared, and the portal every department browses like a shop.
package catalog

import "time"

// Category is a node of the classification tree (分类).
type Category struct {
	ID       int64       `json:"id"`
	ParentID *int64      `json:"parent_id"`
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	Sort     int         `json:"sort"`
	Count    int         `json:"count"` // published entries directly in it
	Children []*Category `json:"children,omitempty"`
}

// Share attributes (共享属性) and open attributes (开放属性).
const (
	ShareUnconditional = "unconditional" // 无条件共享
	ShareConditional   = "conditional"   // 有条件共享
	ShareNone          = "none"          // 不予共享
)

// Entry statuses.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted" // waiting for publish approval (first or a change)
	StatusPublished = "published"
	StatusOffline   = "offline"
)

// Field is one data item of an entry. Path is where it appears in the
// mounted API's answer (data[].aac003), which a grant names.
type Field struct {
	Name        string `json:"name"`
	Label       string `json:"label"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Category    string `json:"category"` // sensitive category, '' for none
	Path        string `json:"path"`
}

// Level kinds of an approval chain.
const (
	LevelApplicantDept = "applicant_dept" // the applicant's own department
	LevelCentre        = "centre"         // the information centre (a fixed organisation)
	LevelOwnerDept     = "owner_dept"     // the department owning the entry
	LevelOrg           = "org"            // any fixed organisation
)

// Level is one step of an approval chain (审批链); OrgID is set for
// centre and org levels.
type Level struct {
	Kind  string `json:"kind"`
	OrgID int64  `json:"org_id,omitempty"`
	Name  string `json:"name"`
}

// Entry is a catalog entry (编目).
type Entry struct {
	ID              int64      `json:"id"`
	Code            string     `json:"code"`
	Name            string     `json:"name"`
	Description     string     `json:"description"`
	Keywords        string     `json:"keywords"`
	OrgID           int64      `json:"org_id"`
	OrgName         string     `json:"org_name"`
	CategoryID      *int64     `json:"category_id"`
	CategoryName    string     `json:"category_name"`
	SourceSystem    string     `json:"source_system"`
	Industry        string     `json:"industry"`
	Domain          string     `json:"domain"`
	UpdateFrequency string     `json:"update_frequency"`
	ShareAttr       string     `json:"share_attr"`
	OpenAttr        string     `json:"open_attr"`
	Fields          []Field    `json:"fields"`
	Chain           []Level    `json:"chain"`
	Status          string     `json:"status"`
	Version         int        `json:"version"`
	Pending         *Input     `json:"pending"` // a submitted change of a published entry
	PublishedAt     *time.Time `json:"published_at"`
	CreatedBy       string     `json:"created_by"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Resources       []Resource `json:"resources,omitempty"`
	Calls           int64      `json:"calls"` // gateway calls of its mounted APIs (the portal's "most used")
	NegativeFields  []string   `json:"negative_fields,omitempty"`
	Negative        string     `json:"negative,omitempty"` // reason, when the whole entry is on the negative list

	submittedByID *int64
}

// Input is what a cataloguer sets on an entry.
type Input struct {
	Code            string  `json:"code"`
	Name            string  `json:"name"`
	Description     string  `json:"description"`
	Keywords        string  `json:"keywords"`
	OrgID           int64   `json:"org_id"`
	CategoryID      *int64  `json:"category_id"`
	SourceSystem    string  `json:"source_system"`
	Industry        string  `json:"industry"`
	Domain          string  `json:"domain"`
	UpdateFrequency string  `json:"update_frequency"`
	ShareAttr       string  `json:"share_attr"`
	OpenAttr        string  `json:"open_attr"`
	Fields          []Field `json:"fields"`
	Chain           []Level `json:"chain"`
}

// Resource kinds.
const (
	KindGatewayAPI = "gateway_api"
	KindDataAPI    = "data_api"
	KindTable      = "table"
	KindFile       = "file"
)

// Resource is something mounted on an entry (挂载资源).
type Resource struct {
	ID          int64     `json:"id"`
	EntryID     int64     `json:"entry_id"`
	Kind        string    `json:"kind"`
	APIID       *int64    `json:"api_id"`
	APICode     string    `json:"api_code"`
	APIPath     string    `json:"api_path"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Status      string    `json:"status"` // pending | mounted | rejected
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	submittedByID *int64
}

// ResourceInput mounts a resource.
type ResourceInput struct {
	Kind        string `json:"kind"`
	APIID       *int64 `json:"api_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Event is a step on an entry's or resource's timeline.
type Event struct {
	ID         int64     `json:"id"`
	ResourceID *int64    `json:"resource_id"`
	Action     string    `json:"action"`
	ActorName  string    `json:"actor_name"`
	Comment    string    `json:"comment"`
	At         time.Time `json:"at"`
}

// Negative is an entry of the negative list (负面清单).
type Negative struct {
	ID        int64     `json:"id"`
	EntryID   int64     `json:"entry_id"`
	EntryCode string    `json:"entry_code"`
	EntryName string    `json:"entry_name"`
	Field     string    `json:"field"` // '': the whole entry
	Reason    string    `json:"reason"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Decision is an approver's answer.
type Decision struct {
	Decision string `json:"decision"` // approve | reject
	Comment  string `json:"comment"`
}

// Overview is the portal's front page (数据门户首页).
type Overview struct {
	Entries   int              `json:"entries"`
	Resources map[string]int   `json:"resources"` // by kind
	Newest    []*Entry         `json:"newest"`
	MostUsed  []*Entry         `json:"most_used"`
	ByShare   map[string]int   `json:"by_share"`
	ByOrg     []map[string]any `json:"by_org"`
}
