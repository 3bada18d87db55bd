package supervision

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/xietong/xietong/internal/iam"
)

// KeyVerify is the route permission of the agency's verification: the
// users of an agency who hold it are told of warnings dispatched to them.
const KeyVerify = "POST /api/v1/supervision/agency/warnings/{id}/verify"

// Notifier stores a console notification for users (the sharing
// workflow's notification bell).
type Notifier interface {
	Notify(ctx context.Context, userIDs []int64, kind, title, link string) error
}

// SetNotifier makes dispatches and send-backs notify the agency's users.
func (s *Service) SetNotifier(n Notifier) { s.notifier = n }

// AgencyOption is an organisation a warning can be dispatched to.
type AgencyOption struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	RegionCode string `json:"region_code"`
	// Match says how close the organisation's region is to the warning's:
	// 3 the same county, 2 the same city, 1 the same province, 0 none.
	Match int `json:"match"`
}

// regionKey is the statistics key of an organisation's 6-digit region
// code at its own level: 52 for a province, 5201 for a city, 520102 for
// a county ("" when the code does not fit the kind).
func regionKey(o *iam.Org) string {
	c := o.RegionCode
	if len(c) < 6 {
		return ""
	}
	switch o.Kind {
	case "province":
		return c[:2]
	case "city":
		return c[:4]
	case "county":
		return c[:6]
	}
	return ""
}

func matchLevel(orgCode, region string) int {
	switch {
	case len(orgCode) < 6 || len(region) < 6:
		return 0
	case orgCode[:6] == region[:6]:
		return 3
	case orgCode[:4] == region[:4]:
		return 2
	case orgCode[:2] == region[:2]:
		return 1
	}
	return 0
}

// AgencyOptions lists the organisations a warning of region can go to,
// the closest first (the county's own agency, then its city's, …), then
// by name; q filters by name.
func (s *Service) AgencyOptions(ctx context.Context, region, q string) ([]AgencyOption, error) {
	if s.iam == nil {
		return []AgencyOption{}, nil
	}
	orgs, err := s.iam.AllOrgs(ctx)
	if err != nil {
		return nil, err
	}
	out := []AgencyOption{}
	for _, o := range orgs {
		if q != "" && !strings.Contains(o.Name, q) {
			continue
		}
		out = append(out, AgencyOption{ID: o.ID, Name: o.Name, Kind: o.Kind, RegionCode: o.RegionCode, Match: matchLevel(o.RegionCode, region)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Match > out[j].Match })
	return out, nil
}

// regionNames names region keys (52, 5201, 520102) after the
// organisations of that level whose region code they are.
func (s *Service) regionNames(ctx context.Context) (map[string]string, error) {
	names := map[string]string{}
	if s.iam == nil {
		return names, nil
	}
	orgs, err := s.iam.AllOrgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if k := regionKey(o); k != "" {
			if _, seen := names[k]; !seen {
				names[k] = o.Name
			}
		}
	}
	return names, nil
}

// notifyAgency tells the agency's verifiers that a warning waits for them
// (in the step's transaction: the notice and the step land together).
func (s *Service) notifyAgency(ctx context.Context, w *Warning, title string) error {
	if s.notifier == nil || s.iam == nil || w.AgencyID == nil {
		return nil
	}
	users, err := s.iam.UsersWithPermission(ctx, *w.AgencyID, KeyVerify)
	if err != nil || len(users) == 0 {
		return err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return s.notifier.Notify(ctx, ids, "supervision_warning.todo", title, "/supervision/verify?id="+strconv.FormatInt(w.ID, 10))
}
