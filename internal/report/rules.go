// Package report makes the annual report on government information
// disclosure (政府信息公开工作年度报告, 条例第四十九条、第五十条) out of the
// system's own records: it gathers the figures of every area into a
// catalogue of named statistics, fills the unit's template with them, lays
// out sections 一 to 六 and tables 二, 三 and 四 (annual.Document), checks
// the result, and keeps each published version frozen.
//
// A report is a record: one per unit, year and scope (本级机关 / 全系统). A
// draft is built from the records on demand and never stored as figures; a
// published version is the document as it was built, with its exports and
// their SHA-256, and never changes when the records change later. A
// correction (更正) is a new version with its reason.
//
// The package imports neither net/http nor a SQL driver: it declares what it
// needs of the store (Sources, Store) and the store implements it.
package report

import (
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file holds the rules of the report: who may build, edit, publish and
// override, and when a report is due.
//
//   - 条例第五十条: the report is the agency's own; in this system its
//     statistician (统计) builds it and the head of the disclosure office
//     (政务公开办公室负责人, org.RoleOfficeHead) answers for its publication.
//   - A report whose checks find errors is not published unless the office
//     head overrides them with a reason (an audited decision, never a
//     silent one); a statistician may publish a report without errors.
//   - 条例第四十九条: a department publishes its report for the year by 31
//     January of the next year; the 政府信息公开工作主管部门 of a 县级以上地方
//     人民政府 publishes the whole government's report by 31 March (a unit
//     setting, Profile.GovernmentWide).
//   - The system itself (the command line, the demo loader, an importer)
//     acts as SystemActor: it may build and export, and load published
//     history; it states no reason of its own for an override.

// Action is something done to a report.
type Action string

// The actions on a report.
const (
	ActBuild    Action = "build"    // build a draft, preview it, export it
	ActTemplate Action = "template" // edit the unit's template and report settings
	ActPublish  Action = "publish"  // publish a report, or a correction
	ActOverride Action = "override" // publish despite errors, with a reason
)

// Actor is whoever acts on a report: a staff member with their roles in the
// report's unit, or the system.
type Actor struct {
	UserID int64
	Name   string
	Roles  []org.Role
	System bool
}

// ActorOf is a user acting on a unit's report.
func ActorOf(u org.User, unitID int64) Actor {
	return Actor{UserID: u.ID, Name: u.DisplayName, Roles: u.RolesIn(unitID)}
}

// SystemActor is the system acting on its own (what names it: "cli",
// "demo").
func SystemActor(what string) Actor { return Actor{Name: "系统(" + what + ")", System: true} }

// policyAction is each action's line in the declared access policy
// (org.Policy), which says which roles may take it.
var policyAction = map[Action]org.Action{
	ActBuild:    org.ActAnnualBuild,
	ActTemplate: org.ActAnnualTemplate,
	ActPublish:  org.ActAnnualPublish,
	ActOverride: org.ActAnnualOverride,
}

// Authorize says whether a may take action on a unit's report: a staff
// member by the access policy, the system for everything but an override.
func Authorize(a Actor, act Action) error {
	pa, ok := policyAction[act]
	if !ok {
		return errs.E(errs.Invalid, "未知操作“%s”", act)
	}
	if a.System && act != ActOverride {
		return nil
	}
	if org.Allows(a.Roles, pa) {
		return nil
	}
	p, _ := org.PermissionOf(pa)
	var names []string
	for _, r := range p.Roles {
		names = append(names, "“"+r.Label()+"”")
	}
	if act == ActOverride {
		return errs.E(errs.Forbidden, "年报检查有错误：只有%s可以说明理由后仍予发布", strings.Join(names, "、"))
	}
	return errs.E(errs.Forbidden, "%s需要%s角色", p.Label, strings.Join(names, "或"))
}

// MaxReason bounds a stated reason (更正说明, the override's reason).
const MaxReason = 500

// AuthorizePublish checks a publication: the actor may publish; a report
// with errors needs the office head's override with a reason; a correction
// (a version after the first) needs its reason. It is called inside the
// transaction that stores the version.
func AuthorizePublish(a Actor, errors int, override, correction string, firstVersion bool) error {
	if err := Authorize(a, ActPublish); err != nil {
		return err
	}
	var f errs.Fields
	if !firstVersion && strings.TrimSpace(correction) == "" {
		f.Add("reason", "这是更正：请说明更正的内容和原因（将与更正后的年报一同公开）")
	}
	if len([]rune(correction)) > MaxReason {
		f.Add("reason", "更正说明不能超过 %d 个字", MaxReason)
	}
	if errors > 0 {
		if strings.TrimSpace(override) == "" {
			f.Add("override", "年报检查发现 %d 处错误，请先改正；确需发布的，由公开办负责人说明理由", errors)
		} else if err := Authorize(a, ActOverride); err != nil {
			f.Add("override", "%s", errs.MessageOf(err))
		}
	}
	if len([]rune(override)) > MaxReason {
		f.Add("override", "理由不能超过 %d 个字", MaxReason)
	}
	return f.Err()
}

// Deadline is the day by which the report for year is due (条例第四十九条):
// 31 January of the next year, or 31 March for the 主管部门 of a 本级政府's
// whole-government report.
func Deadline(year int, governmentWide bool) calendar.Date {
	if governmentWide {
		d, _ := calendar.NewDate(year+1, time.March, 31)
		return d
	}
	d, _ := calendar.NewDate(year+1, time.January, 31)
	return d
}

// DueYear is the report year a dashboard follows on day: from 1 December
// the year under way, and the year just ended until 31 March; ok is false
// from April to November, when no report is due.
func DueYear(day calendar.Date) (year int, ok bool) {
	switch {
	case day.Month() == time.December:
		return day.Year(), true
	case day.Month() <= time.March:
		return day.Year() - 1, true
	}
	return 0, false
}

// State is where a unit's report for a year stands.
type State string

// The states a dashboard shows.
const (
	StateNone      State = "none"      // 未生成: no draft built yet
	StateDraft     State = "draft"     // 草稿: a draft without errors
	StateErrors    State = "errors"    // 有错误: the last draft had errors
	StatePublished State = "published" // 已发布
)

// Label is the state in Chinese.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "草稿"
	case StateErrors:
		return "有错误"
	case StatePublished:
		return "已发布"
	}
	return "未生成"
}

// StateOf derives a report's state from its record.
func StateOf(r Record) State {
	switch {
	case r.CurrentVersion > 0:
		return StatePublished
	case r.DraftAt.IsZero():
		return StateNone
	case r.DraftErrors > 0:
		return StateErrors
	}
	return StateDraft
}

// Record is a report's record: one per unit, year and scope, with the last
// draft built and the version now current.
type Record struct {
	ID             int64
	UnitID         int64
	Year           int
	Scope          annual.Scope
	DraftAt        time.Time
	DraftBy        string
	DraftErrors    int
	DraftWarnings  int
	CurrentVersion int
	PublishedAt    time.Time
}
