// Package demo builds the deterministic demo world: a customs hierarchy
// (海关总署 → 直属海关 → 隶属海关) with departments and one staff account per
// role. Later work adds its own records (items, applications, desk activity)
// to the same world, drawn from the same seeded generator, so that a given
// --seed always yields the same database.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// Password is the password of every demo account. The demo is for
// trying the product, never for production.
const Password = "gongkai-demo"

// SiteUnit is the unit whose portal the demo serves.
const SiteUnit = "fuzhou"

// UnitSpec describes a unit of the demo hierarchy.
type UnitSpec struct {
	Code, Name, Parent string
	Departments        []string
}

// UserSpec describes a demo account.
type UserSpec struct {
	Username, Name, Unit, Department string
	Roles                            []org.Role
}

// World is everything the demo loads.
type World struct {
	Seed uint64
	// Through is the last year of records: every loader stops at the end of
	// 31 December of that year (Beijing time), and what it loads is the
	// default world as it stood then. 0, the default, runs the records up
	// to demoUntil and adds the work still open today (applications and
	// enquiries received in the last weeks, dated from the clock) for the
	// worklists and alerts. A world always holds the seed report's two
	// years, so Through is 0 or at least PublishYear.
	Through int
	Units   []UnitSpec
	Users   []UserSpec
	// Published are the years whose 本级机关 annual report of the site unit
	// the demo publishes, as the office did.
	Published []int
	// Notes receives what the loader has to say (a font missing).
	Notes func(string)
}

func (w World) note(s string) {
	if w.Notes != nil {
		w.Notes(s)
	}
}

// lastDay is the last day the loaders make records for: demoUntil, or 31
// December of Through when that comes first.
func (w World) lastDay() calendar.Date {
	until, _ := calendar.ParseDate(demoUntil)
	if w.Through != 0 && w.Through < until.Year() {
		d, _ := calendar.NewDate(w.Through, time.December, 31)
		return d
	}
	return until
}

// end is the end of lastDay in Beijing time: no record the loaders make
// from the seed is dated after it.
func (w World) end() time.Time {
	d := w.lastDay().AddDays(1)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, cst).Add(-time.Microsecond)
}

// has reports whether a record of day d belongs to the world: the default
// world has every record its loaders make (today's open work included); a
// world cut at Through has none dated after that year.
func (w World) has(d calendar.Date) bool { return w.Through == 0 || d.Year() <= w.Through }

// hasTime is has for an instant.
func (w World) hasTime(t time.Time) bool { return w.has(calendar.DateOf(t.In(cst))) }

// Units of the demo: 海关总署, two 直属海关 and their 隶属海关.
var units = []UnitSpec{
	{Code: "gacc", Name: "海关总署", Departments: []string{"办公厅", "政策法规司", "综合业务司", "关税征管司"}},
	{Code: "fuzhou", Name: "福州海关", Parent: "gacc", Departments: []string{"办公室", "政策法规处", "综合业务处", "关税处", "监管通关处", "企业管理和稽查处", "人事处", "财务处", "12360热线服务中心"}},
	{Code: "mawei", Name: "马尾海关", Parent: "fuzhou", Departments: []string{"综合科", "查验科"}},
	{Code: "changle", Name: "福州长乐机场海关", Parent: "fuzhou", Departments: []string{"综合科", "旅检科"}},
	{Code: "fuqing", Name: "福清海关", Parent: "fuzhou", Departments: []string{"综合科"}},
	{Code: "xiamen", Name: "厦门海关", Parent: "gacc", Departments: []string{"办公室", "政策法规处"}},
	{Code: "dongdu", Name: "东渡海关", Parent: "xiamen", Departments: []string{"综合科"}},
}

// roleAccounts are the demo's one account per role, at 福州海关, each in
// the department that does that work.
var roleAccounts = []struct {
	username, dept string
	roles          []org.Role
}{
	{"admin", "办公室", []org.Role{org.RoleAdmin}},
	{"editor", "办公室", []org.Role{org.RoleEditor}}, // drafts for 办公室, which "reviewer" reviews
	{"reviewer", "办公室", []org.Role{org.RoleReviewer}},
	{"legal", "政策法规处", []org.Role{org.RoleLegal}},
	{"handler", "办公室", []org.Role{org.RoleHandler}},
	{"head", "办公室", []org.Role{org.RoleOfficeHead}},
	{"stats", "办公室", []org.Role{org.RoleStatistician}},
	{"agent", "12360热线服务中心", []org.Role{org.RoleHotline}},
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤")
var given = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "志强", "晓燕", "海燕", "丹", "宇", "鑫", "婷", "斌", "浩", "凯", "颖", "琳", "晨", "思远"}

// Generate builds the default world for a seed: records up to demoUntil
// (Through = 0). The same seed always gives the same world.
func Generate(seed uint64) World {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	w := World{Seed: seed, Units: units, Published: []int{2023, 2024, 2025}}
	used := map[string]bool{}
	name := func() string {
		for {
			n := string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))]
			if !used[n] {
				used[n] = true
				return n
			}
		}
	}
	for _, a := range roleAccounts {
		w.Users = append(w.Users, UserSpec{Username: a.username, Name: name(), Unit: SiteUnit, Department: a.dept, Roles: a.roles})
	}
	// Each 隶属海关 has its own handler, who also administers it.
	for _, u := range units {
		if u.Parent == SiteUnit {
			w.Users = append(w.Users, UserSpec{Username: u.Code + "-handler", Name: name(), Unit: u.Code, Department: u.Departments[0],
				Roles: []org.Role{org.RoleHandler, org.RoleEditor, org.RoleReviewer}})
		}
	}
	return w
}

// Store is what Load writes through.
type Store interface {
	org.Store
	SetSetting(ctx context.Context, actor audit.Actor, key, value string) error
}

// Load writes the world into an empty database. It refuses a database that
// already has units, so that demo data never mixes with real records.
func Load(ctx context.Context, st Store, w World, params auth.Params) error {
	existing, err := st.Units(ctx)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return errs.E(errs.Conflict, "数据库中已有单位数据，演示数据只能载入空数据库")
	}
	if w.Through != 0 && w.Through < PublishYear {
		return errs.E(errs.Invalid, "演示数据至少包含%d年和%d年（示例年报的年份），截止年份不能早于%d年", PublishYear-1, PublishYear, PublishYear)
	}
	actor := audit.System("demo")
	unitIDs := map[string]int64{}
	deptIDs := map[string]int64{}
	for _, us := range w.Units {
		u := org.Unit{Code: us.Code, Name: us.Name, ParentID: unitIDs[us.Parent]}
		if err := st.CreateUnit(ctx, actor, &u); err != nil {
			return fmt.Errorf("demo unit %s: %w", us.Code, err)
		}
		unitIDs[us.Code] = u.ID
		for _, dn := range us.Departments {
			d := org.Department{UnitID: u.ID, Name: dn}
			if err := st.CreateDepartment(ctx, actor, &d); err != nil {
				return fmt.Errorf("demo department %s: %w", dn, err)
			}
			deptIDs[us.Code+"/"+dn] = d.ID
		}
	}
	hash, err := auth.HashPassword(Password, params)
	if err != nil {
		return err
	}
	for _, us := range w.Users {
		u := org.User{Username: us.Username, DisplayName: us.Name, UnitID: unitIDs[us.Unit], DepartmentID: deptIDs[us.Unit+"/"+us.Department]}
		for _, r := range us.Roles {
			u.Grants = append(u.Grants, org.Grant{UnitID: u.UnitID, Role: r})
		}
		if err := st.CreateUser(ctx, actor, &u, hash); err != nil {
			return fmt.Errorf("demo user %s: %w", us.Username, err)
		}
	}
	if err := loadRCEP(ctx, st, w); err != nil {
		return err
	}
	if err := loadDesk(ctx, st, w, unitIDs[SiteUnit]); err != nil {
		return fmt.Errorf("demo desk: %w", err)
	}
	if err := loadPublish(ctx, st, w, params); err != nil {
		return err
	}
	if err := loadRequests(ctx, st, w, unitIDs); err != nil {
		return err
	}
	if err := loadProblems(ctx, st, w, unitIDs[SiteUnit], deptIDs[SiteUnit+"/办公室"]); err != nil {
		return err
	}
	var publish []int
	for _, y := range w.Published {
		if w.Through == 0 || y <= w.Through {
			publish = append(publish, y) // a world cut at a year has no later report
		}
	}
	if err := loadReport(ctx, st, unitIDs[SiteUnit], publish, w.note); err != nil {
		return err
	}
	return st.SetSetting(ctx, actor, "site_unit", SiteUnit)
}

// Worlds are the named worlds `gongkai demo --world NAME` loads.
var Worlds = []struct{ Name, About string }{
	{"fuzhou-2024", "福州海关 2023 年和 2024 年的业务记录（2024 年度报告即种子报告），2023 年度报告已发布"},
}

// Named returns a named world for a seed.
func Named(name string, seed uint64) (World, error) {
	switch name {
	case "fuzhou-2024":
		w := Generate(seed)
		w.Through, w.Published = PublishYear, []int{PublishYear - 1}
		return w, nil
	}
	var names []string
	for _, x := range Worlds {
		names = append(names, x.Name)
	}
	return World{}, errs.E(errs.Invalid, "没有名为“%s”的演示数据，可选：%s", name, strings.Join(names, "、"))
}
