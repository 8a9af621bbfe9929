package org

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
)

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"admin": RoleAdmin, "法制审核": RoleLegal, " office_head ": RoleOfficeHead, "热线坐席": RoleHotline} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRole("boss"); err == nil || !strings.Contains(errs.MessageOf(err), "未知角色“boss”") {
		t.Errorf("unknown role: %v", err)
	}
}

func TestValidateUserReportsEveryField(t *testing.T) {
	u := User{Username: "1x", DisplayName: " ", Email: "nope"}
	err := ValidateUser(&u, "short")
	var fe *errs.FormError
	if !asForm(err, &fe) {
		t.Fatalf("want a form error, got %v", err)
	}
	for _, f := range []string{"username", "display_name", "unit", "email", "password"} {
		if fe.Of(f) == "" {
			t.Errorf("no message for field %s", f)
		}
	}
	ok := User{Username: "wang.fang", DisplayName: "王芳", UnitID: 1}
	if err := ValidateUser(&ok, "long enough pw"); err != nil {
		t.Errorf("valid user: %v", err)
	}
}

func TestTreeAndDescendants(t *testing.T) {
	units := []Unit{{ID: 1, Name: "海关总署"}, {ID: 3, ParentID: 2, Name: "马尾海关"}, {ID: 2, ParentID: 1, Name: "福州海关"}, {ID: 4, ParentID: 1, Name: "厦门海关"}}
	var got []string
	for _, n := range Tree(units) {
		got = append(got, strings.Repeat("-", n.Depth)+n.Unit.Name)
	}
	if want := "海关总署 -福州海关 --马尾海关 -厦门海关"; strings.Join(got, " ") != want {
		t.Errorf("tree %q, want %q", strings.Join(got, " "), want)
	}
	if d := Descendants(units, 2); len(d) != 2 || d[0] != 2 || d[1] != 3 {
		t.Errorf("descendants of 福州海关: %v", d)
	}
}
