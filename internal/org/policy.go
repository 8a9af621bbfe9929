package org

import (
	"strings"

	"gongkai/internal/errs"
)

// The access policy (权限表): which roles may take which action in a unit,
// each line with the article or the office's reason. It is declared once,
// here; the store decides with it inside the write transaction (the roles
// the actor holds in the unit at that moment), and the pages ask the same
// table what to offer. An action not in the table is allowed to no one.

// Action is something a staff member does in a unit that the policy
// decides (操作).
type Action string

// The actions.
const (
	// 依申请公开.
	ActRequestSubjects    Action = "request.subjects"     // 标注申请内容
	ActRequestSubjectList Action = "request.subject_list" // 维护申请内容分类

	// The annual report (年度报告, 条例第四十九、五十条).
	ActAnnualBuild    Action = "annual.build"    // 查看草稿、预览、导出
	ActAnnualTemplate Action = "annual.template" // 修改报告模板和单位概况
	ActAnnualPublish  Action = "annual.publish"  // 发布没有错误的年度报告
	ActAnnualOverride Action = "annual.override" // 说明理由后发布有错误的年度报告
	ActAnnualRectify  Action = "annual.rectify"  // 整改台账
	ActAnnualReview   Action = "annual.review"   // 确认或排除检查发现的问题
)

// Permission is one line of the policy.
type Permission struct {
	Action Action
	Label  string // what the action is, in Chinese
	Roles  []Role // who may take it, in the unit
	Basis  string // the article or the reason
}

// Policy is the table, in display order.
var Policy = []Permission{
	{ActRequestSubjects, "标注申请内容", []Role{RoleHandler},
		"申请由本单位的依申请公开承办人办理，申请内容的分类是办理记录的一部分，计入年度报告第一部分（二）"},
	{ActRequestSubjectList, "维护申请内容分类", []Role{RoleHandler, RoleOfficeHead, RoleAdmin},
		"分类由办理申请的承办人和公开办负责人维护，系统管理员协助设置"},
	{ActAnnualBuild, "查看、预览和导出年度报告草稿", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"年度报告由统计人员编制、公开办负责人审定（条例第四十九条、第五十条）"},
	{ActAnnualTemplate, "修改年度报告模板和单位概况", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"报告的文字部分和单位概况由编制人员维护"},
	{ActAnnualPublish, "发布年度报告", []Role{RoleStatistician, RoleOfficeHead},
		"年度报告经检查没有错误后由编制人员或公开办负责人发布（条例第四十九条）"},
	{ActAnnualOverride, "说明理由后发布有错误的年度报告", []Role{RoleOfficeHead},
		"检查发现错误仍要发布的，须由公开办负责人决定并写明理由"},
	{ActAnnualRectify, "维护整改台账", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"检查发现的问题由编制人员登记整改"},
	{ActAnnualReview, "确认或排除年度报告检查发现的问题", []Role{RoleStatistician, RoleAdmin},
		"检查发现的问题是否成立，由对本单位年报数字负责的统计人员判断（条例第五十条），系统管理员协助；每项决定须写明理由，记入审计日志"},
}

// PermissionOf returns the policy's line for an action.
func PermissionOf(a Action) (Permission, bool) {
	for _, p := range Policy {
		if p.Action == a {
			return p, true
		}
	}
	return Permission{}, false
}

// Label is the action's Chinese name.
func (a Action) Label() string {
	if p, ok := PermissionOf(a); ok {
		return p.Label
	}
	return string(a)
}

// Allows reports whether one of roles may take action a.
func Allows(roles []Role, a Action) bool {
	p, ok := PermissionOf(a)
	if !ok {
		return false
	}
	for _, r := range roles {
		for _, w := range p.Roles {
			if r == w {
				return true
			}
		}
	}
	return false
}

// May reports whether the user may take action a in unit unitID, by the
// roles granted there. A disabled account may do nothing.
func (u User) May(unitID int64, a Action) bool {
	return !u.Disabled && Allows(u.RolesIn(unitID), a)
}

// MayAnywhere reports whether the user may take action a in some unit.
func (u User) MayAnywhere(a Action) bool {
	for _, g := range u.Grants {
		if u.May(g.UnitID, a) {
			return true
		}
	}
	return false
}

// Refusal is the error for an action the policy does not allow: one
// sentence naming the action and the roles that may take it.
func Refusal(a Action) error {
	p, ok := PermissionOf(a)
	if !ok {
		return errs.E(errs.Forbidden, "没有这项操作的权限。")
	}
	names := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		names[i] = r.Label()
	}
	return errs.E(errs.Forbidden, "“%s”限本单位的%s办理。", p.Label, strings.Join(names, "、"))
}
