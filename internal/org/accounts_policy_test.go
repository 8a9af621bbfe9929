package org

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
)

// TestAuthorizeAccounts states whose accounts an administrator manages:
// his unit's and every unit's below it, never a parent's or a sibling's.
func TestAuthorizeAccounts(t *testing.T) {
	units := []Unit{
		{ID: 1, Name: "海关总署"},
		{ID: 2, ParentID: 1, Name: "福州海关"},
		{ID: 3, ParentID: 2, Name: "马尾海关"},
		{ID: 4, ParentID: 1, Name: "厦门海关"},
		{ID: 5, ParentID: 3, Name: "马尾某办事处"},
	}
	admin := func(ids ...int64) AccountsActor { return AccountsActor{Admin: ids} }
	cases := []struct {
		name    string
		who     AccountsActor
		targets []int64
		ok      bool
	}{
		{"本单位", admin(2), []int64{2}, true},
		{"下级单位", admin(2), []int64{3}, true},
		{"下级的下级", admin(2), []int64{5, 3}, true},
		{"上级单位", admin(3), []int64{2}, false},
		{"平级单位", admin(2), []int64{4}, false},
		{"授予范围外的角色", admin(3), []int64{3, 2}, false},
		{"两个单位的管理员", admin(3, 4), []int64{5, 4}, true},
		{"没有管理员角色", admin(), []int64{2}, false},
		{"系统", AccountsActor{System: true}, []int64{1, 4}, true},
		{"公众", AccountsActor{Public: true}, []int64{2}, false},
		{"公众不因系统标记而获准", AccountsActor{Public: true, System: true}, []int64{2}, false},
		{"总署管理员", admin(1), []int64{4, 5}, true},
	}
	for _, c := range cases {
		err := AuthorizeAccounts(c.who, units, c.targets)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want allowed %v", c.name, err, c.ok)
		}
		if err != nil && (!errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "本单位及下级单位")) {
			t.Errorf("%s: refusal %v", c.name, err)
		}
	}
	if err := AuthorizeAccounts(admin(3), units, []int64{4}); err == nil || !strings.Contains(err.Error(), "厦门海关") {
		t.Errorf("the refusal names the unit: %v", err)
	}
}
