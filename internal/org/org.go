// Package org models the agency: its hierarchy of units (单位), their
// departments (内设部门), and the staff accounts with their roles per unit.
//
// A unit is an administrative body that publishes its own annual report, such
// as 海关总署 → 福州海关 → 马尾海关. A unit's 本级机关 is the unit itself:
// figures "for the unit" never include its subordinate units unless a
// roll-up is asked for.
package org

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
)

// Unit is an administrative body in the hierarchy (单位).
type Unit struct {
	ID        int64
	ParentID  int64  // 0 for a root unit
	Code      string // stable short identifier, e.g. "fuzhou"
	Name      string // e.g. "福州海关"
	CreatedAt time.Time
}

// Department is an internal department of a unit (内设部门), the maker of
// documents that decides their disclosure attribute (谁制作、谁认定).
type Department struct {
	ID     int64
	UnitID int64
	Name   string
}

// Role is what a staff member may do in a unit (角色).
type Role string

// The roles. Each is granted per unit.
const (
	RoleAdmin        Role = "admin"        // 系统管理员: users, units, settings, calendar
	RoleEditor       Role = "editor"       // 起草: drafts items for publication
	RoleReviewer     Role = "reviewer"     // 审查: reviews before publication (先审查、后公开)
	RoleLegal        Role = "legal"        // 法制审核: legal review of non-disclosure
	RoleHandler      Role = "handler"      // 依申请公开办理: handles applications
	RoleOfficeHead   Role = "office_head"  // 政务公开办公室负责人: approves extensions (第33条)
	RoleStatistician Role = "statistician" // 统计: builds the annual report
	RoleHotline      Role = "hotline"      // 热线坐席: 12360 hotline agent
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleEditor, RoleReviewer, RoleLegal, RoleHandler, RoleOfficeHead, RoleStatistician, RoleHotline}

var roleNames = map[Role]string{
	RoleAdmin:        "系统管理员",
	RoleEditor:       "信息起草",
	RoleReviewer:     "保密审查",
	RoleLegal:        "法制审核",
	RoleHandler:      "依申请公开办理",
	RoleOfficeHead:   "公开办负责人",
	RoleStatistician: "统计",
	RoleHotline:      "热线坐席",
}

// Label is the role's Chinese name.
func (r Role) Label() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return string(r)
}

// ParseRole accepts a role's identifier or its Chinese name.
func ParseRole(s string) (Role, error) {
	s = strings.TrimSpace(s)
	for _, r := range Roles {
		if s == string(r) || s == r.Label() {
			return r, nil
		}
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r) + "（" + r.Label() + "）"
	}
	return "", errs.E(errs.Invalid, "未知角色“%s”，可选：%s", s, strings.Join(names, "、"))
}

// Grant gives a role in a unit.
type Grant struct {
	UnitID int64
	Role   Role
}

// User is a staff account (工作人员账号).
type User struct {
	ID           int64
	Username     string
	DisplayName  string
	UnitID       int64 // home unit
	DepartmentID int64 // 0 when none
	Email        string
	Disabled     bool
	Grants       []Grant
	CreatedAt    time.Time
}

// Has reports whether the user holds role r in unit u.
func (u User) Has(r Role, unitID int64) bool {
	for _, g := range u.Grants {
		if g.Role == r && g.UnitID == unitID {
			return true
		}
	}
	return false
}

// HasAnywhere reports whether the user holds role r in any unit.
func (u User) HasAnywhere(r Role) bool {
	for _, g := range u.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// RolesIn lists the user's roles in a unit, in display order.
func (u User) RolesIn(unitID int64) []Role {
	var out []Role
	for _, r := range Roles {
		if u.Has(r, unitID) {
			out = append(out, r)
		}
	}
	return out
}

// Store keeps units, departments and users. Every mutation is written to the
// audit log in the same transaction, attributed to actor.
type Store interface {
	CreateUnit(ctx context.Context, actor audit.Actor, u *Unit) error
	Unit(ctx context.Context, id int64) (Unit, error)
	UnitByCode(ctx context.Context, code string) (Unit, error)
	Units(ctx context.Context) ([]Unit, error)

	CreateDepartment(ctx context.Context, actor audit.Actor, d *Department) error
	Departments(ctx context.Context, unitID int64) ([]Department, error)

	// CreateUser stores a new account with its password hash and grants.
	CreateUser(ctx context.Context, actor audit.Actor, u *User, passwordHash string) error
	User(ctx context.Context, id int64) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	Users(ctx context.Context) ([]User, error)
	SetGrants(ctx context.Context, actor audit.Actor, userID int64, grants []Grant) error
	SetDisabled(ctx context.Context, actor audit.Actor, userID int64, disabled bool) error
	SetPassword(ctx context.Context, actor audit.Actor, userID int64, passwordHash string) error
}

var (
	codeRE     = regexp.MustCompile(`^[a-z][a-z0-9_-]{1,31}$`)
	usernameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{2,31}$`)
)

// ValidateUnit checks a unit before it is stored.
func ValidateUnit(u *Unit) error {
	var f errs.Fields
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	if !codeRE.MatchString(u.Code) {
		f.Add("code", "单位代码须为 2–32 位小写字母、数字、下划线或连字符，并以字母开头")
	}
	if u.Name == "" {
		f.Add("name", "请填写单位名称")
	} else if utf8.RuneCountInString(u.Name) > 64 {
		f.Add("name", "单位名称不能超过 64 个字")
	}
	return f.Err()
}

// ValidateDepartment checks a department before it is stored.
func ValidateDepartment(d *Department) error {
	var f errs.Fields
	d.Name = strings.TrimSpace(d.Name)
	if d.UnitID == 0 {
		f.Add("unit", "请选择所属单位")
	}
	if d.Name == "" {
		f.Add("name", "请填写部门名称")
	} else if utf8.RuneCountInString(d.Name) > 64 {
		f.Add("name", "部门名称不能超过 64 个字")
	}
	return f.Err()
}

// MinPasswordLen is the shortest password accepted for a staff account.
const MinPasswordLen = 10

// ValidateUser checks a new account and its initial password.
func ValidateUser(u *User, password string) error {
	var f errs.Fields
	u.Username = strings.TrimSpace(u.Username)
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	u.Email = strings.TrimSpace(u.Email)
	if !usernameRE.MatchString(u.Username) {
		f.Add("username", "用户名须为 3–32 位英文字母、数字或 _ . -，并以字母开头")
	}
	if u.DisplayName == "" {
		f.Add("display_name", "请填写姓名")
	} else if utf8.RuneCountInString(u.DisplayName) > 32 {
		f.Add("display_name", "姓名不能超过 32 个字")
	}
	if u.UnitID == 0 {
		f.Add("unit", "请选择所属单位")
	}
	if u.Email != "" && !strings.Contains(u.Email, "@") {
		f.Add("email", "电子邮箱格式不正确")
	}
	if err := ValidatePassword(password); err != nil {
		f.Add("password", "%s", errs.MessageOf(err))
	}
	return f.Err()
}

// ValidatePassword enforces the minimum password policy.
func ValidatePassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLen {
		return errs.FieldError("password", "密码至少 %d 位", MinPasswordLen)
	}
	return nil
}

// Tree orders units depth-first under their parents, with their depth, for
// display as an indented tree.
func Tree(units []Unit) []TreeNode {
	children := map[int64][]Unit{}
	ids := map[int64]bool{}
	for _, u := range units {
		ids[u.ID] = true
	}
	for _, u := range units {
		p := u.ParentID
		if !ids[p] {
			p = 0
		}
		children[p] = append(children[p], u)
	}
	for _, c := range children {
		sort.Slice(c, func(i, j int) bool { return c[i].ID < c[j].ID })
	}
	var out []TreeNode
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, u := range children[parent] {
			out = append(out, TreeNode{Unit: u, Depth: depth})
			walk(u.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

// TreeNode is a unit placed in the tree.
type TreeNode struct {
	Unit  Unit
	Depth int
}

// Descendants returns the ids of unit id and every unit below it.
func Descendants(units []Unit, id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, u := range units {
			if u.ParentID == out[i] {
				out = append(out, u.ID)
			}
		}
	}
	return out
}
