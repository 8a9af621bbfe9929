package org

import (
	"testing"

	"gongkai/internal/errs"
)

// TestAuthorizeSettings states who may change which unit setting: the key's
// area decides, an undeclared key is the administrator's, the system may
// change any, the public none.
func TestAuthorizeSettings(t *testing.T) {
	staff := func(rs ...Role) SettingsActor { return SettingsActor{Roles: rs} }
	cases := []struct {
		name string
		who  SettingsActor
		keys []string
		ok   bool
	}{
		{"统计人员改年报概况", staff(RoleStatistician), []string{"report.postcode", "report.email"}, true},
		{"公开办负责人改年报模板", staff(RoleOfficeHead), []string{"report.template.self"}, true},
		{"系统管理员改年报模板", staff(RoleAdmin), []string{"report.template.all"}, true},
		{"审查人员不能改年报概况", staff(RoleReviewer), []string{"report.postcode"}, false},
		{"无角色不能改年报概况", staff(), []string{"report.postcode"}, false},
		{"系统管理员改检查设置", staff(RoleAdmin), []string{"inspect.expressions", "inspect.class.xxgk"}, true},
		{"统计人员不能改检查设置", staff(RoleStatistician), []string{"inspect.expressions"}, false},
		{"考核权重仅限公开办负责人", staff(RoleOfficeHead), []string{"inspect.weights"}, true},
		{"系统管理员不能改考核权重", staff(RoleAdmin), []string{"inspect.weights"}, false},
		{"承办人开关公开日志", staff(RoleHandler), []string{"requests.public_log"}, true},
		{"系统管理员不能开关公开日志", staff(RoleAdmin), []string{"requests.public_log"}, false},
		{"未声明的设置仅限系统管理员", staff(RoleAdmin), []string{"misc.x"}, true},
		{"非管理员不能改未声明的设置", staff(RoleOfficeHead, RoleStatistician), []string{"misc.x"}, false},
		{"一项不许则全部不许", staff(RoleStatistician), []string{"report.email", "inspect.expressions"}, false},
		{"前缀须以点分隔", staff(RoleStatistician), []string{"reportx"}, false},
		{"系统可改任何设置", SettingsActor{System: true}, []string{"report.email", "inspect.weights", "misc.x"}, true},
		{"公众不能改设置", SettingsActor{Public: true, System: true}, []string{"report.email"}, false},
		{"没有要改的设置", staff(), nil, true},
	}
	for _, c := range cases {
		err := AuthorizeSettings(c.who, c.keys)
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok=%v", c.name, err, c.ok)
		}
		if err != nil && errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("%s: code = %v, want Forbidden", c.name, errs.CodeOf(err))
		}
	}
	if SettingAction("inspect.weights") != ActInspectWeights || SettingAction("inspect.weightsx") != ActInspectSettings {
		t.Error("inspect.weights is matched exactly, other inspect. keys by prefix")
	}
}
