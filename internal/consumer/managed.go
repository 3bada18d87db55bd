package consumer

import (
	"context"
	"net/http"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/httpx"
)

// API kinds: an HTTP upstream edited on the gateway's API page, or a data
// API (数据API) whose gateway API is managed by its review workflow.
const (
	KindHTTP    = "http"
	KindDataAPI = "dataapi"
)

// DataAPIScheme is the upstream URL scheme of APIs answered in process by
// a data API: dataapi://<data API code>.
const DataAPIScheme = "dataapi"

var (
	errManaged   = httpx.NewProblem(http.StatusConflict, "api_managed_by_dataapi", "该接口由数据API发布，请在数据API中修改或下线", "This API is published by a data API; change or take it offline there")
	errPathTaken = httpx.NewProblem(http.StatusConflict, "api_path_taken", "该方法和路径或编码已被其他共享接口使用", "Another gateway API already uses this method and path or code")
)

// ManagedAPI is what a data API publishes on the gateway.
type ManagedAPI struct {
	ID        int64 // 0: first publication
	Code      string
	Name      string
	Method    string
	Path      string
	TimeoutMS int
	Fields    []gateway.FieldClass
}

// PublishManaged creates or updates the gateway API of a data API, inside
// the caller's transaction, and bumps the configuration version. Grants
// keep pointing at the same API across versions.
func (s *Service) PublishManaged(ctx context.Context, m ManagedAPI) (int64, error) {
	a := &API{}
	var before *API
	if m.ID != 0 {
		b, err := s.store.API(ctx, m.ID)
		if err != nil && err != db.ErrNotFound {
			return 0, err
		}
		if b != nil && err == nil {
			before = b
			cp := *b
			a = &cp
		}
	}
	if a.ID != 0 && a.Kind != KindDataAPI {
		return 0, errPathTaken
	}
	a.Kind, a.Code, a.Name, a.Method, a.Path = KindDataAPI, m.Code, m.Name, m.Method, m.Path
	a.UpstreamURL, a.TimeoutMS, a.Retries, a.Fields, a.Status = DataAPIScheme+"://"+m.Code, m.TimeoutMS, 0, m.Fields, "published"
	if a.Fields == nil {
		a.Fields = []gateway.FieldClass{}
	}
	action := "api.update"
	if a.ID == 0 {
		action = "api.create"
	}
	ev := audit.Event{Action: action, TargetType: "api", TargetID: a.Code, Before: audit.JSON(before), After: audit.JSON(a)}
	err := s.change(ctx, ev, func(ctx context.Context) error { return s.store.SaveAPI(ctx, a) })
	if db.IsUniqueViolation(err) {
		return 0, errPathTaken
	}
	return a.ID, err
}

// OfflineManaged takes a data API's gateway API offline (grants stay, so
// publishing again restores them).
func (s *Service) OfflineManaged(ctx context.Context, id int64) error {
	b, err := s.store.API(ctx, id)
	if err != nil {
		return err
	}
	a := *b
	a.Status = "offline"
	ev := audit.Event{Action: "api.update", TargetType: "api", TargetID: a.Code, Before: audit.JSON(b), After: audit.JSON(a)}
	return s.change(ctx, ev, func(ctx context.Context) error { return s.store.SaveAPI(ctx, &a) })
}

// BumpVersion makes gateway nodes reload, inside the caller's transaction
// (a data source a data API reads has changed).
func (s *Service) BumpVersion(ctx context.Context) error { return s.store.BumpVersion(ctx) }

// DeleteManaged removes a data API's gateway API and its grants (the data
// API itself is being deleted).
func (s *Service) DeleteManaged(ctx context.Context, id int64) error {
	b, err := s.store.API(ctx, id)
	if err != nil {
		return err
	}
	if b.Kind != KindDataAPI {
		return errPathTaken
	}
	ev := audit.Event{Action: "api.delete", TargetType: "api", TargetID: b.Code, Before: audit.JSON(b)}
	return s.change(ctx, ev, func(ctx context.Context) error { return s.store.DeleteAPI(ctx, id) })
}

// GrantForRequest creates, or replaces, the grant of consumer × API that an
// approved sharing request (资源申请) stands for, inside the caller's
// transaction, and marks it with the request.
func (s *Service) GrantForRequest(ctx context.Context, requestID int64, in GrantInput) (*Grant, error) {
	existing, _, err := s.store.Grants(ctx, GrantFilter{ConsumerID: in.ConsumerID, APIID: in.APIID, Limit: 1})
	if err != nil {
		return nil, err
	}
	var id int64
	if len(existing) == 1 {
		id = existing[0].ID
	}
	g, err := s.SaveGrant(ctx, id, in)
	if err != nil {
		return nil, err
	}
	return g, s.store.MarkGrantRequest(ctx, g.ID, requestID)
}
