package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// requestStore is what the demo needs to write applications; *store.DB has it.
type requestStore interface {
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	RequestSettings(ctx context.Context) (requests.Settings, error)
	SubmitApplication(ctx context.Context, actor audit.Actor, unitID int64, token string, a requests.Application) (store.RequestApp, string, bool, error)
	AppendRequestEvent(ctx context.Context, actor audit.Actor, id int64, e requests.Event) (requests.State, error)
	AddRequestAppeal(ctx context.Context, actor audit.Actor, a *requests.Appeal) error
}

var (
	demoSurnames  = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许")
	demoGiven     = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "志强", "建华", "海燕", "晓东"}
	demoCompanies = []string{"福州闽江国际贸易有限公司", "福建海峡冷链物流有限公司", "福清融侨食品进出口有限公司", "马尾港通报关有限公司", "福州长乐跨境电商产业园有限公司", "福建三明林产品进出口有限公司"}
	demoOrgs      = map[requests.ApplicantType][]string{
		requests.Research:       {"福建省海洋经济研究所", "福州大学经济与管理学院"},
		requests.PublicInterest: {"福州市消费者权益保护协会", "福建省绿色发展促进会"},
		requests.LegalServices:  {"福建闽海律师事务所", "福建至理律师事务所"},
		requests.OtherOrg:       {"福州市进出口商会", "马尾区个体私营经济协会"},
	}
	// demoTopics are what the demo's applications ask for, each with the
	// subjects (申请内容分类, of requests.DefaultSubjects) a handler gives it.
	demoTopics = []struct {
		text     string
		subjects []string
	}{
		{"%d年福州海关行政处罚决定书（涉及本公司进口冻品）", []string{"行政执法信息"}},
		{"%d年马尾港进口冷链食品检验检疫抽检结果", []string{"统计数据"}},
		{"本公司%d年报关单修改、撤销的审批记录", []string{"报关单证", "行政许可"}},
		{"%d年福州海关关于跨境电商零售进口的监管规定及执行口径", []string{"政策文件"}},
		{"%d年福清口岸进口粮食检疫处理的数量统计", []string{"统计数据"}},
		{"%d年长乐机场海关旅客携带物品罚没处理情况", []string{"行政执法信息"}},
		{"%d年福州海关行政许可事项的受理和办结数量", []string{"统计数据", "行政许可"}},
		{"我个人%d年入境时被查扣物品的处理依据和文书", []string{"行政执法信息"}},
		{"%d年福州关区企业信用等级认定的依据文件", []string{"企业信息", "政策文件"}},
		{"%d年马尾海关查验科对本公司货物查验的记录", []string{"报关单证", "行政执法信息"}},
	}
)

// residentID makes a valid 18-digit 身份证号码 for a demo applicant: a 福州
// region code, a birth date, a sequence and the MOD 11-2 check.
func residentID(rng *rand.Rand) string {
	body := fmt.Sprintf("350102%04d%02d%02d%03d", 1955+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(1000))
	for _, c := range "0123456789X" {
		if id, err := requests.ValidateResidentID(body + string(c)); err == nil {
			return id
		}
	}
	return ""
}

// creditCode makes a valid 统一社会信用代码 for a demo organisation.
func creditCode(rng *rand.Rand) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	body := "91350100"
	for len(body) < 17 {
		body += string(chars[rng.IntN(len(chars))])
	}
	for _, c := range chars {
		if code, err := requests.ValidateCreditCode(body + string(c)); err == nil {
			return code
		}
	}
	return ""
}

func demoApplicant(rng *rand.Rand, t requests.ApplicantType) (name, id string) {
	switch t {
	case requests.NaturalPerson:
		return string(demoSurnames[rng.IntN(len(demoSurnames))]) + demoGiven[rng.IntN(len(demoGiven))], residentID(rng)
	case requests.Commercial:
		return demoCompanies[rng.IntN(len(demoCompanies))], creditCode(rng)
	}
	list := demoOrgs[t]
	return list[rng.IntN(len(list))], creditCode(rng)
}

func pickType(rng *rand.Rand) requests.ApplicantType {
	switch n := rng.IntN(100); {
	case n < 72:
		return requests.NaturalPerson
	case n < 90:
		return requests.Commercial
	case n < 93:
		return requests.Research
	case n < 95:
		return requests.PublicInterest
	case n < 98:
		return requests.LegalServices
	default:
		return requests.OtherOrg
	}
}

// demoUntil is the last day of the demo's records, fixed so that a seed
// always yields the same database.
const demoUntil = "2026-11-20"

// loadRequests writes the demo's applications: 福州海关本级's 2024 exactly as
// its annual report has them (6 received — 5 自然人, 1 商业企业; 2 disclosed;
// 4 withdrawn), and for 2025 and 2026 a plausible flow at 福州海关 and its
// 隶属海关, each application a legal life drawn by requests.Simulate; and a
// few received in the last working weeks before today, still open, for the
// worklists and reminders.
func loadRequests(ctx context.Context, st Store, w World, unitIDs map[string]int64) error {
	rs, ok := st.(requestStore)
	if !ok {
		return nil // a store without applications (tests of the spine)
	}
	cal, err := rs.Calendar(ctx)
	if err != nil {
		return err
	}
	set, err := rs.RequestSettings(ctx)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(w.Seed, 0x4a9b))
	until, _ := calendar.ParseDate(demoUntil)
	handler := audit.System("demo")
	// 分办: the office head assigns each application to the unit's handler on
	// the day it arrives; a few of the open ones are left 待分办.
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	handlerOf := map[int64]int64{}
	for _, u := range users {
		for _, g := range u.Grants {
			if g.Role == org.RoleHandler && handlerOf[g.UnitID] == 0 {
				handlerOf[g.UnitID] = u.ID
			}
		}
	}
	leaveUnassigned := false
	n := 0
	add := func(unit string, t requests.ApplicantType, received calendar.Date, desc string, subjects []string, evs []requests.Event) (int64, error) {
		n++
		name, id := demoApplicant(rng, t)
		a := requests.Application{Channel: requests.ChannelOnline, ApplicantType: t, Name: name, IDNumber: id,
			Phone: fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000)), Description: desc,
			Form: requests.Forms[rng.IntN(2)], Delivery: "网上获取", ReceivedOn: received}
		if rng.IntN(5) == 0 {
			a.Channel, a.Delivery, a.Address = requests.ChannelRegistered, "邮寄", "福州市鼓楼区五四路"+fmt.Sprint(1+rng.IntN(300))+"号"
		}
		if !w.has(received) {
			return 0, nil // after the world's last year (drawn all the same, so the years before come out alike)
		}
		app, _, _, err := rs.SubmitApplication(ctx, handler, unitIDs[unit], fmt.Sprintf("demo-seed-%d-application-%06d", w.Seed, n), a)
		if err != nil {
			return 0, fmt.Errorf("demo application %d: %w", n, err)
		}
		// The handler marks what it is about on the day it arrives.
		evs = append([]requests.Event{{Kind: requests.SubjectsMarked, On: received, Role: org.RoleHandler, Subjects: subjects}}, evs...)
		if h := handlerOf[unitIDs[unit]]; h != 0 && !leaveUnassigned {
			evs = append([]requests.Event{{Kind: requests.Assigned, On: received, Role: org.RoleOfficeHead, Assignee: h}}, evs...)
		}
		for _, e := range evs {
			if !w.has(e.On) {
				break
			}
			if e.Kind == requests.Registered {
				continue
			}
			if _, err := rs.AppendRequestEvent(ctx, handler, app.ID, e); err != nil {
				return 0, fmt.Errorf("demo application %d %s: %w", n, e.Kind, err)
			}
		}
		return app.ID, nil
	}
	date := func(s string) calendar.Date { d, _ := calendar.ParseDate(s); return d }
	topic := func(year int) (string, []string) {
		tp := demoTopics[rng.IntN(len(demoTopics))]
		return fmt.Sprintf(tp.text, year), tp.subjects
	}

	// 福州海关本级 2024, as its annual report: two disclosed, four withdrawn,
	// 「内容涉及统计数据、报关单证和行政执法信息等」: 统计数据 3, 报关单证 2,
	// 行政执法信息 1, 行政许可 1.
	seed2024 := []struct {
		t         requests.ApplicantType
		rec, done string
		disclosed bool
		desc      string
		subjects  []string
	}{
		{requests.NaturalPerson, "2024-03-11", "2024-03-29", true, "2024年福清口岸进口粮食检疫处理的数量统计", []string{"统计数据"}},
		{requests.NaturalPerson, "2024-05-20", "2024-05-24", false, "2024年马尾港进口冷链食品检验检疫抽检结果", []string{"统计数据"}},
		{requests.Commercial, "2024-06-17", "2024-06-21", false, "本公司2024年报关单修改、撤销的审批记录", []string{"报关单证"}},
		{requests.NaturalPerson, "2024-08-05", "2024-08-27", true, "2024年福州海关行政许可事项的受理和办结数量", []string{"统计数据", "行政许可"}},
		{requests.NaturalPerson, "2024-09-23", "2024-09-26", false, "本人2024年跨境电商零售进口商品的申报清单", []string{"报关单证"}},
		{requests.NaturalPerson, "2024-11-04", "2024-11-08", false, "我个人2024年入境时被查扣物品的处理依据和文书", []string{"行政执法信息"}},
	}
	for _, s := range seed2024 {
		evs := []requests.Event{{Kind: requests.Withdrawn, On: date(s.done), Note: "申请人撤回申请"}}
		if s.disclosed {
			evs = []requests.Event{{Kind: requests.Decided, On: date(s.done), Outcome: annual.RowDisclosed},
				{Kind: requests.Answered, On: date(s.done), Note: "所申请的信息详见附件。"},
				{Kind: requests.Delivered, On: date(s.done).AddDays(1)}}
		}
		topic(2024) // drawn and set aside, so that the later years come out as they did before subjects
		if _, err := add("fuzhou", s.t, date(s.rec), s.desc, s.subjects, evs); err != nil {
			return err
		}
	}

	// 2025 and 2026: 福州海关 about 16 a year, each 隶属海关 a few.
	perYear := map[string]int{"fuzhou": 16, "mawei": 5, "changle": 4, "fuqing": 3}
	for _, unit := range []string{"fuzhou", "mawei", "changle", "fuqing"} {
		if unitIDs[unit] == 0 {
			continue
		}
		for _, year := range []int{2025, 2026} {
			for i := 0; i < perYear[unit]; i++ {
				last := 365
				if year == 2026 {
					last = until.Sub(date("2026-01-01")) - 1
				}
				rec := date(fmt.Sprintf("%d-01-01", year)).AddDays(rng.IntN(last))
				if wd := rec.Weekday(); wd == 0 || wd == 6 {
					rec = rec.AddDays(2)
				}
				if rec.After(until) {
					rec = until
				}
				evs := requests.Simulate(rng, cal, set, rec, until)
				typ := pickType(rng)
				desc, subjects := topic(year)
				id, err := add(unit, typ, rec, desc, subjects, evs)
				if err != nil {
					return err
				}
				// One reconsideration a year at 福州海关 against a refusal.
				if unit == "fuzhou" && i == 3 && year == 2025 && id != 0 && w.has(rec.AddDays(40)) {
					ap := requests.Appeal{ApplicationID: id, Kind: requests.Reconsideration, FiledOn: rec.AddDays(40), Result: requests.ResultUpheld, DecidedOn: rec.AddDays(100)}
					if !w.has(ap.DecidedOn) {
						ap.Result, ap.DecidedOn = requests.ResultPending, calendar.Date{}
					}
					if err := rs.AddRequestAppeal(ctx, handler, &ap); err != nil {
						return err
					}
				}
			}
		}
	}
	// A few applications still open today, so that the worklists show what
	// is due soon and what is overdue: received 3 to 24 working days ago.
	today := calendar.Today(shanghai())
	for i, back := range []int{3, 9, 15, 19, 22, 24} {
		rec := today
		for k := 0; k < back; {
			rec = rec.AddDays(-1)
			if ok, _ := cal.IsWorkday(rec); ok {
				k++
			}
		}
		unit := "fuzhou"
		if i%3 == 2 {
			unit = "mawei"
		}
		leaveUnassigned = i == 0 || i == 3
		var evs []requests.Event
		if i == 1 {
			evs = []requests.Event{{Kind: requests.ConsultStarted, On: rec.AddDays(2), Note: "书面征求第三方意见"}}
		}
		typ := pickType(rng)
		desc, subjects := topic(today.Year())
		if _, err := add(unit, typ, rec, desc, subjects, evs); err != nil {
			return err
		}
	}
	return nil
}

func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
