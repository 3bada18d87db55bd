// Package sharing is the sharing workflow (资源申请, 数据供需): a department
// applies for a catalog resource for one of its consumers (接入方), the
// request goes through the entry's approval chain level by level, and its
// approval creates exactly the gateway grant that was approved — the paper
// trail, the permission and the enforcement are one thing. Expiry and
// revocation remove the grant. It also carries supply-and-demand (数据供需)
// and the in-app notifications of both.
package sharing

import "time"

// Request statuses.
const (
	StatusPending   = "pending"
	StatusReturned  = "returned" // sent back to the applicant (退回)
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusRevoked   = "revoked"
	StatusExpired   = "expired"
	StatusWithdrawn = "withdrawn"
)

// Level is one resolved step of a request's chain: who (which
// organisation) decides at it.
type Level struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name"`
}

// Request is a sharing request (资源申请).
type Request struct {
	ID               int64      `json:"id"`
	Code             string     `json:"code"`
	ApplicantID      int64      `json:"applicant_id"`
	ApplicantName    string     `json:"applicant_name"`
	ApplicantOrgID   int64      `json:"applicant_org_id"`
	ApplicantOrgName string     `json:"applicant_org_name"`
	ConsumerID       int64      `json:"consumer_id"`
	ConsumerCode     string     `json:"consumer_code"`
	EntryID          int64      `json:"entry_id"`
	EntryCode        string     `json:"entry_code"`
	EntryName        string     `json:"entry_name"`
	ResourceID       int64      `json:"resource_id"`
	ResourceName     string     `json:"resource_name"`
	Fields           []string   `json:"fields"`
	Purpose          string     `json:"purpose"`
	LegalBasis       string     `json:"legal_basis"`
	PeriodDays       int        `json:"period_days"`
	ExpectedDaily    int64      `json:"expected_daily"`
	Chain            []Level    `json:"chain"`
	Level            int        `json:"level"`
	Status           string     `json:"status"`
	GrantID          *int64     `json:"grant_id"`
	ValidFrom        *time.Time `json:"valid_from"`
	ValidTo          *time.Time `json:"valid_to"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	Events           []Event    `json:"events,omitempty"`
}

// Event is a step on a request's timeline.
type Event struct {
	Action    string    `json:"action"`
	Level     int       `json:"level"`
	ActorID   int64     `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	Comment   string    `json:"comment"`
	At        time.Time `json:"at"`
}

// ApplyInput is what an applicant fills in.
type ApplyInput struct {
	ResourceID    int64    `json:"resource_id"`
	ConsumerID    int64    `json:"consumer_id"`
	Fields        []string `json:"fields"` // entry field names
	Purpose       string   `json:"purpose"`
	LegalBasis    string   `json:"legal_basis"`
	PeriodDays    int      `json:"period_days"`
	ExpectedDaily int64    `json:"expected_daily"`
}

// Decision is an approver's answer at the current level.
type Decision struct {
	Level    int    `json:"level"`    // the level the approver saw, so a stale page cannot decide another
	Decision string `json:"decision"` // approve | reject | return
	Comment  string `json:"comment"`
}

// Notification is an in-app message (站内通知).
type Notification struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// Demand statuses (数据供需).
const (
	DemandRegistered     = "registered"
	DemandCentreApproved = "centre_approved"
	DemandOwnerReviewed  = "owner_reviewed"
	DemandSupplied       = "supplied"
	DemandAccepted       = "accepted"
	DemandRejected       = "rejected"
)

// Demand is a registered data need (数据需求).
type Demand struct {
	ID               int64     `json:"id"`
	Code             string    `json:"code"`
	Title            string    `json:"title"`
	Description      string    `json:"description"`
	RequesterID      int64     `json:"requester_id"`
	RequesterName    string    `json:"requester_name"`
	RequesterOrgID   int64     `json:"requester_org_id"`
	RequesterOrgName string    `json:"requester_org_name"`
	OwnerOrgID       int64     `json:"owner_org_id"`
	OwnerOrgName     string    `json:"owner_org_name"`
	Status           string    `json:"status"`
	Responsible      string    `json:"responsible"` // 责任人 of the supplying department
	EntryID          *int64    `json:"entry_id"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Events           []Event   `json:"events,omitempty"`
}

// DemandInput registers a demand.
type DemandInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	OwnerOrgID  int64  `json:"owner_org_id"`
}

// DemandStep moves a demand on.
type DemandStep struct {
	Action      string `json:"action"` // approve | reject | review | supply | accept
	Comment     string `json:"comment"`
	Responsible string `json:"responsible"`
	EntryID     *int64 `json:"entry_id"`
}
