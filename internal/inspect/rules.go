package inspect

import (
	"strings"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file holds who may do what with inspections, and to whom a finding
// is sent. The store calls Authorize inside the write transaction.
//
//   - Running an inspection on demand, and reading runs, findings and the
//     assessment (org.ActInspectRun): the unit's statisticians, office head
//     and administrators — the office that organises the checks of
//     国办秘函〔2019〕19号.
//   - Changing the thresholds, the columns' classes, the list of expressions,
//     the sites inspected and the new-media channels (org.ActInspectSettings):
//     the office head and administrators.
//   - Sending a finding to the rectification register (org.ActInspectRectify):
//     the roles that manage the register (org.ActAnnualRectify); the register
//     itself then checks rectify.Authorize in the same transaction.
//   - Setting the assessment's weights (org.ActInspectWeights): the office
//     head, whose office sets the assessment rules.
//   - The system (the scheduled job, the command line) runs inspections and
//     records their results; it changes no setting and sends nothing to the
//     register on its own.
//
// A finding is the responsibility of the staff member who wrote the item
// (or answers the message) and of their department; one that is on no
// record (the home page, availability, a new-media account) is the unit's
// office's: its notices go to those who may run inspections.

// Action is something done with inspections.
type Action string

// The actions.
const (
	ActRun      Action = "run"
	ActSettings Action = "settings"
	ActRectify  Action = "rectify"
	ActWeights  Action = "weights"
)

var policyAction = map[Action]org.Action{
	ActRun:      org.ActInspectRun,
	ActSettings: org.ActInspectSettings,
	ActRectify:  org.ActInspectRectify,
	ActWeights:  org.ActInspectWeights,
}

// Actor is who acts: a staff member with their roles in the unit, or the
// system.
type Actor struct {
	UserID int64
	Name   string
	Roles  []org.Role
	System bool
}

// ActorOf is a user acting in a unit.
func ActorOf(u org.User, unitID int64) Actor {
	return Actor{UserID: u.ID, Name: u.DisplayName, Roles: u.RolesIn(unitID)}
}

// SystemActor is the system, named for the history ("定时检查", "命令行").
func SystemActor(what string) Actor { return Actor{Name: "系统（" + what + "）", System: true} }

// Authorize says whether a may take act in the unit.
func Authorize(a Actor, act Action) error {
	pa, ok := policyAction[act]
	if !ok {
		return errs.E(errs.Invalid, "未知操作“%s”", act)
	}
	if a.System {
		if act == ActRun {
			return nil
		}
		return errs.E(errs.Forbidden, "系统不能自行%s", pa.Label())
	}
	if org.Allows(a.Roles, pa) {
		return nil
	}
	p, _ := org.PermissionOf(pa)
	names := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		names[i] = "“" + r.Label() + "”"
	}
	return errs.E(errs.Forbidden, "“%s”需要%s角色", p.Label, strings.Join(names, "或"))
}

// Recipients says who is told of a finding: its responsible staff member
// when there is one, else the staff of its department, else the unit's
// inspection office (those who may run inspections). The store resolves
// the three lists; this is the rule of which one applies.
func Recipients(f Finding, staff []int64, department []int64, office []int64) []int64 {
	switch {
	case f.StaffID != 0 && contains(staff, f.StaffID):
		return []int64{f.StaffID}
	case f.DepartmentID != 0 && len(department) > 0:
		return department
	}
	return office
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
