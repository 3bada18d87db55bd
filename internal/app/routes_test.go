package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/testutil"
)

// concrete turns a pattern into a path the mux routes to it.
func concrete(path string) string {
	return strings.ReplaceAll(path, "{id}", "1")
}

func body(method string) any {
	if method == http.MethodGet || method == http.MethodDelete {
		return nil
	}
	return "{}"
}

// TestEveryRouteIsGuarded walks the whole route table: an anonymous call
// gets 401 on every non-public route, a logged-in user with no role gets
// 403 on every permission route, and a user who must still change the
// first password gets 403 password_change_required everywhere else.
func TestEveryRouteIsGuarded(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		tree := sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "")
		var orgs []struct{ ID int64 }
		tree.JSON(t, &orgs)
		for _, u := range []string{"nobody", "newbie"} {
			sys.Do("POST", "/api/v1/users", map[string]any{"username": u, "display_name": "无角色", "org_id": orgs[0].ID, "password": "First#Pass-2026"}).Want(t, 201, "")
		}

		anon := s.Client(t)
		fresh := s.Client(t)
		fresh.Login("newbie", "First#Pass-2026")
		noRole := s.Client(t)
		noRole.LoginChanging("nobody", "First#Pass-2026", "Second#Pass-2026")

		var permitted, authenticated int
		for _, rt := range s.App.Routes {
			if rt.Access == httpx.Public {
				continue
			}
			path := concrete(rt.Path)
			t.Run(rt.Pattern(), func(t *testing.T) {
				anon.Do(rt.Method, path, body(rt.Method)).Want(t, 401, "unauthenticated")
				if !rt.DuringPasswordChange {
					fresh.Do(rt.Method, path, body(rt.Method)).Want(t, 403, "password_change_required")
				}
				if rt.Access == httpx.Permitted {
					noRole.Do(rt.Method, path, body(rt.Method)).Want(t, 403, "forbidden")
				}
			})
			if rt.Access == httpx.Permitted {
				permitted++
			} else {
				authenticated++
			}
		}
		if permitted < 40 || authenticated < 5 {
			t.Fatalf("walked %d permission and %d session routes: the table shrank?", permitted, authenticated)
		}
		// The denials of unsafe calls are audited.
		aud := s.Admin(t, "auditadmin")
		r := aud.Do("GET", "/api/v1/audit/events?actor=nobody&action=access.denied&page_size=200", nil).Want(t, 200, "")
		if n := int(r.Map(t)["total"].(float64)); n < 20 {
			t.Fatalf("only %d denied calls audited", n)
		}
	})
}

// TestEveryPermissionRouteHasAHolder: each permission route's URL resource
// is bound to a menu that one of the three built-in admin roles uses, so
// nothing in the table is unreachable, and the three admins' permissions
// do not overlap (三员分立).
func TestEveryPermissionRouteHasAHolder(t *testing.T) {
	d := testutil.Dialects(t)[0]
	s := newTestServer(t, d)
	holders := map[string][]string{}
	for _, name := range []string{"sysadmin", "secadmin", "auditadmin"} {
		c := s.Admin(t, name)
		var me struct{ Permissions []string }
		c.Do("GET", "/api/v1/me", nil).Want(t, 200, "").JSON(t, &me)
		for _, p := range me.Permissions {
			holders[p] = append(holders[p], name)
		}
	}
	for _, rt := range s.App.Routes {
		if rt.Access != httpx.Permitted {
			continue
		}
		h := holders[rt.Pattern()]
		if len(h) != 1 {
			t.Errorf("%s is held by %v, want exactly one admin", rt.Pattern(), h)
		}
	}
}

// TestOpenAPIMatchesRouter keeps /api/openapi.json in step with the route table.
func TestOpenAPIMatchesRouter(t *testing.T) {
	s := newTestServer(t, testutil.Dialects(t)[0])
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	s.Client(t).Do("GET", "/api/openapi.json", nil).Want(t, 200, "").JSON(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	seen := 0
	for _, rt := range s.App.Routes {
		op, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s missing from the OpenAPI document", rt.Pattern())
			continue
		}
		seen++
		if rt.Access == httpx.Permitted && op["x-permission"] != rt.Pattern() {
			t.Errorf("%s: x-permission %v", rt.Pattern(), op["x-permission"])
		}
	}
	total := 0
	for _, ops := range doc.Paths {
		total += len(ops)
	}
	if total != seen {
		t.Fatalf("document has %d operations, router %d", total, seen)
	}
}
