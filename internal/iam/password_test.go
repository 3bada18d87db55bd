package iam

import (
	"errors"
	"testing"

	"github.com/xietong/xietong/internal/httpx"
)

func TestCheckStrength(t *testing.T) {
	p := DefaultPolicy
	cases := []struct {
		pass string
		ok   bool
		code string
	}{
		{"Abcdefgh123!", true, ""},
		{"abcdefgh1234", false, "too_few_classes"}, // two classes
		{"ABCdef123456", true, ""},                 // three classes, no symbol
		{"Ab1!", false, "too_short"},
		{"Zhangsan#2026x", false, "contains_username"},
		{"密码很长很长很长很长Ab1", true, ""}, // Chinese characters count as characters, symbols class
	}
	for _, c := range cases {
		err := checkStrength(p, "zhangsan", c.pass)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok=%v", c.pass, err, c.ok)
			continue
		}
		if err != nil {
			var pr *httpx.Problem
			if !errors.As(err, &pr) || pr.Code != "password_weak" {
				t.Fatalf("%q: %v", c.pass, err)
			}
			found := false
			for _, e := range pr.Errors {
				found = found || e.Code == c.code
			}
			if !found {
				t.Errorf("%q: errors %+v lack %s", c.pass, pr.Errors, c.code)
			}
		}
	}
}

func TestResourceCode(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"GET", "/api/v1/users/{id}"}:           "users.id.get",
		{"PUT", "/api/v1/menus/{id}/resources"}: "menus.id.resources.put",
		{"POST", "/api/v1/auth/login"}:          "auth.login.post",
	} {
		if got := resourceCode(in[0], in[1]); got != want {
			t.Errorf("%v: %s, want %s", in, got, want)
		}
	}
}

func TestAdminKindInherited(t *testing.T) {
	one, two := int64(1), int64(2)
	byID := indexMroles([]*ManagementRole{{ID: 1, AdminKind: AdminAudit}, {ID: 2, ParentID: &one}, {ID: 3, ParentID: &two}, {ID: 4}})
	if adminKindOf(byID, 3) != AdminAudit || adminKindOf(byID, 4) != "" {
		t.Fatal("admin kind not inherited down the tree")
	}
}
