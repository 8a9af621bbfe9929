package report_test

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/auth"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/report"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// rollUnit is a unit of the roll-up world with its staff.
type rollUnit struct {
	id                               int64
	editor, reviewer, handler, agent org.User
	office                           int64
}

func (w *writer) newUnit(code, name string, parent int64) rollUnit {
	w.t.Helper()
	u := org.Unit{Code: code, Name: name, ParentID: parent}
	w.fatal("unit "+code, w.db.CreateUnit(ctx, actor, &u))
	d := org.Department{UnitID: u.ID, Name: "办公室"}
	w.fatal("department", w.db.CreateDepartment(ctx, actor, &d))
	hash, err := auth.HashPassword("report-test", auth.Params{Memory: 1024, Time: 1, Threads: 1})
	w.fatal("hash", err)
	r := rollUnit{id: u.ID, office: d.ID}
	for _, s := range []struct {
		dst  *org.User
		role org.Role
	}{{&r.editor, org.RoleEditor}, {&r.reviewer, org.RoleReviewer}, {&r.handler, org.RoleHandler}, {&r.agent, org.RoleHotline}} {
		x := org.User{Username: fmt.Sprintf("%s-%s", code, s.role), DisplayName: fmt.Sprintf("%s%s", name, s.role), UnitID: u.ID, DepartmentID: d.ID,
			Grants: []org.Grant{{UnitID: u.ID, Role: s.role}}}
		w.fatal("user", w.db.CreateUser(ctx, actor, &x, hash))
		*s.dst = x
	}
	_, err = w.db.EnsureCatalogue(ctx, actor, u.ID, publish.CustomsCatalogue())
	w.fatal("catalogue", err)
	return r
}

// publications imports n items of a category published in a year, one a
// day from 1 March.
func (w *writer) publications(u rollUnit, slug string, year, n int) {
	w.t.Helper()
	var specs []itemSpec
	for i := 0; i < n; i++ {
		made := day(fmt.Sprintf("%d-03-01", year)).AddDays(i)
		specs = append(specs, itemSpec{unitID: u.id, dept: u.office, cat: w.categoryID(u.id, slug), editor: u.editor, reviewer: u.reviewer,
			made: made, published: time.Date(made.Year(), made.Month(), made.Day(), 16, 0, 0, 0, cst)})
	}
	w.items(u.id, specs...)
}

func (w *writer) enquiries(u rollUnit, kind string, n int, handled time.Duration) {
	w.t.Helper()
	for i := 0; i < n; i++ {
		w.enquiry(u.id, kind, at("2024-04-01", 9, 0).AddDate(0, 0, 7*i), handled, u.agent, u.reviewer)
	}
}

func (w *writer) calls(u rollUnit, ratings ...int) {
	w.t.Helper()
	for i, r := range ratings {
		w.call(u.id, at("2024-05-06", 9, 0).Add(time.Duration(i)*time.Hour), r)
	}
}

// numberCells are a table's number cells as the document lays it out,
// by where they are.
func numberCells(t *testing.T, d *report.Draft, table string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, row := range d.Doc.Grid(table).Rows {
		for _, c := range row.Cells {
			if c.Kind != annual.CellNumber || c.Where == "table2.fees_wan_yuan" || c.Blank {
				continue
			}
			n, err := strconv.ParseInt(c.Text, 10, 64)
			if err != nil {
				t.Fatalf("%s cell %s: %q", table, c.Where, c.Text)
			}
			out[c.Where] = n
		}
	}
	return out
}

// creditCode makes a valid 统一社会信用代码 from a sequence number.
func creditCode(n int) string {
	body := fmt.Sprintf("9135010000%07d", n%10000000)
	for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
		if code, err := requests.ValidateCreditCode(body + string(c)); err == nil {
			return code
		}
	}
	panic("no check character for " + body)
}

func statText(t *testing.T, d *report.Draft, key string) string {
	t.Helper()
	s, ok := d.Stat(key)
	if !ok {
		t.Fatalf("no statistic %s", key)
	}
	return s.Figure.Text
}

// TestRollUp builds 全系统 reports over a unit, two units below it and one
// below one of those, with records whose figures cannot come out right by
// summing or averaging the units' own figures: the tables and the counts
// are the sums of the units' 本级机关 ones, cell by cell and statistic by
// statistic; the rates, scores, averages and growth figures are
// recomputed from the pooled records; a unit outside the tree counts in
// none. 全系统 of a unit with nothing below it is its 本级机关 report.
func TestRollUp(t *testing.T) {
	for _, dialect := range storetest.Backends {
		t.Run(string(dialect), func(t *testing.T) {
			db := storetest.Open(t, dialect, store.Options{})
			w := &writer{t: t, db: db}
			p := w.newUnit("prov", "省级海关", 0)
			a := w.newUnit("sub-a", "甲海关", p.id)
			b := w.newUnit("sub-b", "乙海关", p.id)
			g := w.newUnit("grand", "甲海关驻港办事处", a.id)
			x := w.newUnit("other", "另一海关", 0) // outside the tree: its records would spoil every figure below

			// 12360 calls: 省级海关 99 of 100 answered, 甲海关 5 of 10,
			// 驻港办事处 10 of 10: 114 ÷ 120 = 95.0% (the units' rates
			// 99%, 50%, 100% average 83%).
			w.cdr(p.id, at("2024-02-01", 9, 0), 99, 1)
			w.cdr(a.id, at("2024-02-01", 9, 0), 5, 5)
			w.cdr(g.id, at("2024-02-01", 9, 0), 10, 0)
			w.cdr(x.id, at("2024-02-01", 9, 0), 0, 1000)
			// Ratings: 省级海关 nine 5s and a 1 (92.00), 甲海关 a 1 (20.00),
			// 乙海关 a 4 (80.00): 51 ÷ 12 × 20 = 85.00 (the units' scores
			// average 64.00).
			w.calls(p, 5, 5, 5, 5, 5, 5, 5, 5, 5, 1)
			w.calls(a, 1)
			w.calls(b, 4)
			w.calls(x, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
			// Messages: 省级海关 one in 1 day, 甲海关 three in 3 days each,
			// 乙海关 one in half a day: 10.5 days ÷ 5 = 2.10 (the units'
			// means 1, 3 and 0.5 average 1.50).
			w.enquiries(p, desk.KindMessage, 1, 24*time.Hour)
			w.enquiries(a, desk.KindMessage, 3, 72*time.Hour)
			w.enquiries(b, desk.KindMessage, 1, 12*time.Hour)
			w.enquiries(x, desk.KindMessage, 5, 30*24*time.Hour)
			w.enquiries(p, desk.KindConsult, 2, time.Hour)
			// Publications, 2023 → 2024: 省级海关 10 → 15 公告 and the
			// normative document below, 甲海关 30 公告 → 12 公告 and 8 通知,
			// 驻港办事处 0 → 2 通知, 乙海关 1 → 1 公告: 41 → 39, 下降4.9%
			// (the units' +60%, −33.3% and 0% neither sum nor average to
			// it). A subordinate's 公告 count under the parent's 公告: 28 in
			// 2024, 41 in 2023.
			w.publications(p, "gonggao", 2023, 10)
			w.publications(p, "gonggao", 2024, 15)
			w.publications(a, "gonggao", 2023, 30)
			w.publications(a, "gonggao", 2024, 12)
			w.publications(a, "tongzhi", 2024, 8)
			w.publications(g, "tongzhi", 2024, 2)
			w.publications(b, "gonggao", 2023, 1)
			w.publications(b, "gonggao", 2024, 1)
			w.publications(x, "gonggao", 2024, 100)
			// Visits, 2023 → 2024: 1000 → 1100, 100 → 300, 0 → 50: 1100 →
			// 1450, 增长31.8%.
			for _, v := range []struct {
				u     rollUnit
				day   string
				count int64
			}{{p, "2023-06-01", 1000}, {p, "2024-06-01", 1100}, {a, "2023-06-01", 100}, {a, "2024-06-01", 300}, {g, "2024-06-01", 50}, {x, "2024-06-01", 1000000}} {
				w.fatal("visits", db.CountVisit(ctx, v.u.id, v.day, "home", v.count))
			}
			// 公众号 followers at the years' ends: 1000 → 1200 and 100 →
			// 100: 1100 → 1300, 增长18.2% (the units' 20% and 0%).
			w.followers(p.id, "wechat", "2023-12-31", 1000)
			w.followers(p.id, "wechat", "2024-12-31", 1200)
			w.followers(a.id, "wechat", "2023-12-31", 100)
			w.followers(a.id, "wechat", "2024-12-31", 100)
			w.followers(x.id, "wechat", "2024-12-31", 100000)
			w.post(p.id, "wechat", "post", "2024-03-01", "原产地证书")
			w.post(p.id, "wechat", "post", "2024-03-02", "")
			w.post(a.id, "wechat", "post", "2024-03-01", "原产地证书")
			w.post(a.id, "wechat", "post", "2024-03-03", "一站式服务")
			w.post(a.id, "weibo", "post", "2024-03-04", "")
			w.post(g.id, "channels", "live", "2024-03-05", "")
			w.post(x.id, "wechat", "post", "2024-03-01", "原产地证书")
			w.outreach(p.id, "press", "2024-01-20", 50)
			w.outreach(a.id, "outreach", "2024-04-10", 30)
			w.outreach(a.id, "outreach", "2024-05-10", 30)
			w.outreach(x.id, "outreach", "2024-05-10", 900)
			w.survey(p.id, "省级海关问卷", at("2024-03-01", 9, 0))
			w.survey(a.id, "甲海关问卷", at("2024-04-01", 9, 0))
			w.survey(x.id, "另一海关问卷", at("2024-04-01", 9, 0))
			w.complaint(p.id, "2024-05-05")
			ca := w.complaint(a.id, "2024-06-06")
			w.fatal("conclude", db.ConcludeComplaint(ctx, actor, ca, "upheld", "已整改。", "2024-06-20"))
			w.complaint(x.id, "2024-06-06")

			// Applications: subjects 统计数据 2 (省级海关), 政策文件 3 and 行政许可
			// 1 (甲海关 and 驻港办事处): 全系统 names 政策文件、统计数据和行政许可.
			p1 := w.application(p.id, p.handler.ID, "2024-03-04", []string{"统计数据"}, answered("2024-03-20")...)
			w.application(p.id, p.handler.ID, "2024-04-08", []string{"统计数据"}, withdrawn("2024-04-10")...)
			w.application(p.id, p.handler.ID, "2023-12-18", []string{"其他"}, answered("2024-01-10")...)
			a1 := w.application(a.id, a.handler.ID, "2024-05-06", []string{"政策文件", "行政许可"}, answered("2024-05-27")...)
			w.application(a.id, a.handler.ID, "2024-12-23", []string{"政策文件"}) // carried forward
			w.application(g.id, g.handler.ID, "2024-06-03", []string{"政策文件"}, answered("2024-06-14")...)
			w.application(b.id, b.handler.ID, "2024-07-01", []string{"企业信息"}, withdrawn("2024-07-03")...)
			for i := 0; i < 4; i++ {
				w.application(x.id, x.handler.ID, "2024-07-01", []string{"企业信息"}, withdrawn("2024-07-03")...)
			}
			w.appeal(p1, requests.Reconsideration, "2024-04-15")
			w.appeal(a1, requests.LawsuitDirect, "2024-07-01")

			// Table 二: a normative document issued by 省级海关 in 2024, one
			// of 甲海关's of 2020 abolished in 2024; decisions; fees of
			// 12,500 yuan and 3,000.50 yuan: 1.55005 万元.
			w.items(p.id, itemSpec{unitID: p.id, dept: p.office, cat: w.categoryID(p.id, "art20-1"), editor: p.editor, reviewer: p.reviewer,
				made: day("2024-06-03"), published: at("2024-06-05", 16, 0), kind: publish.Normative})
			w.items(a.id, itemSpec{unitID: a.id, dept: a.office, cat: w.categoryID(a.id, "art20-1"), editor: a.editor, reviewer: a.reviewer,
				made: day("2020-06-01"), published: at("2020-06-03", 16, 0), kind: publish.Normative, abolished: day("2024-09-01")})
			decisions := func(u rollUnit, kind publish.DecisionKind, n int) {
				var ds []publish.Decision
				for i := 0; i < n; i++ {
					ds = append(ds, publish.Decision{Kind: kind, DocNo: fmt.Sprintf("测试决定〔2024〕%d号", w.seq()), Subject: "福州测试贸易有限公司",
						SubjectType: publish.SubjectOrg, CreditCode: creditCode(w.seq()), Matter: "报关企业备案", Result: "准予", Basis: "《中华人民共和国海关法》",
						DecidedOn: day("2024-03-01").AddDays(i)})
				}
				w.fatal("decisions", db.AddDecisions(ctx, actor, u.id, ds, "测试"))
			}
			decisions(p, publish.Licensing, 5)
			decisions(a, publish.Licensing, 3)
			decisions(a, publish.Penalty, 2)
			decisions(x, publish.Licensing, 50)
			for _, f := range []struct {
				u   rollUnit
				fen int64
			}{{p, 1250000}, {a, 300050}, {x, 99}} {
				fee := publish.Fee{UnitID: f.u.id, CollectedOn: day("2024-03-01"), Item: "测试收费", Basis: "测试依据", AmountFen: f.fen, Payer: "测试缴费人", ReceiptNo: fmt.Sprint(w.seq())}
				w.fatal("fee", db.AddFee(ctx, actor, &fee))
			}

			all := build(t, db, p.id, 2024, annual.ScopeAll)
			selfs := map[string]*report.Draft{}
			for name, u := range map[string]rollUnit{"省级海关": p, "甲海关": a, "乙海关": b, "驻港办事处": g} {
				selfs[name] = build(t, db, u.id, 2024, annual.ScopeSelf)
			}

			// The units covered, each once.
			got := append([]int64(nil), all.Facts.UnitIDs...)
			sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
			want := []int64{p.id, a.id, b.id, g.id}
			sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("全系统 covers units %v, want %v", all.Facts.UnitIDs, want)
			}

			// Tables 二, 三, 四: cell by cell the sum of the units' own.
			for _, tb := range []string{annual.TableTwo, annual.TableThree, annual.TableFour} {
				sum := map[string]int64{}
				for _, d := range selfs {
					for k, v := range numberCells(t, d, tb) {
						sum[k] += v
					}
				}
				cells := numberCells(t, all, tb)
				if len(cells) != len(sum) {
					t.Errorf("table %s: 全系统 has %d number cells, the units %d", tb, len(cells), len(sum))
				}
				for k, v := range cells {
					if sum[k] != v {
						t.Errorf("table %s cell %s: 全系统 %d, the units' sum %d", tb, k, v, sum[k])
					}
				}
			}
			if fee := all.Doc.Report.Table2.FeesWanYuan; fee == nil || *fee != "1.55005" {
				t.Errorf("table 二 fees: %v, want 1.55005 (万元)", fee)
			}

			// Every count of the catalogue, this year's and last year's: the
			// sum of the units' own.
			counts := 0
			for _, s := range all.Stats {
				if s.Def.Kind != annual.FigureCount || s.Figure.Value == nil {
					continue
				}
				var n, prev int64
				for _, d := range selfs {
					if us, ok := d.Stat(s.Def.Key); ok && us.Figure.Value != nil {
						n += *us.Figure.Value
						if us.Figure.Previous != nil {
							prev += *us.Figure.Previous
						}
					}
				}
				if *s.Figure.Value != n {
					t.Errorf("%s: 全系统 %d, the units' sum %d", s.Def.Key, *s.Figure.Value, n)
				}
				if s.Figure.Previous != nil && *s.Figure.Previous != prev {
					t.Errorf("%s last year: 全系统 %d, the units' sum %d", s.Def.Key, *s.Figure.Previous, prev)
				}
				counts++
			}
			if counts < 60 {
				t.Errorf("only %d counts compared", counts)
			}

			// The figures that are not sums, recomputed from the pooled
			// records, as the statistics state them and as the 全系统 report
			// (the default template) prints them.
			for key, want := range map[string]string{
				"热线.接听量": "114", "热线.来电量": "120", "热线.接通率": "95.0%", "热线.满意度": "85.00",
				"留言.办理": "5", "留言.平均办理时效": "2.10", "咨询.答复": "2",
				"主动公开.发布总数": "39", "主动公开.公告": "28", "主动公开.通知": "10", "网站.访问量": "1450",
				"新媒体.微信公众号.发文": "4", "新媒体.微信公众号.关注人数": "1300", "新媒体.专栏.原产地证书": "2", "新媒体.专栏.一站式服务": "1", "新媒体.微直播": "1",
				"发布会.场次": "1", "宣讲.场次": "2", "宣讲.覆盖企业": "110",
				"依申请.新收": "6", "依申请.上年结转": "1", "依申请.办理答复": "4", "依申请.撤回": "2", "依申请.结转下年": "1",
				"依申请.内容涉及": "政策文件、统计数据和行政许可", "复议诉讼.情况": "因依申请公开答复产生行政复议1件、行政诉讼1件",
				"调查问卷.标题": "《省级海关问卷》《甲海关问卷》", "投诉.情况": "年内收到政府信息公开相关投诉2件，其中1件已办结",
				"表二.行政许可": "8", "表二.行政处罚": "2", "表二.规范性文件.制发": "1", "表二.规范性文件.废止": "1", "表二.规范性文件.现行有效": "1",
				"主体": "省级海关全系统",
			} {
				if got := statText(t, all, key); got != want {
					t.Errorf("全系统 %s = %q, want %q", key, got, want)
				}
			}
			one := squeeze(all.Doc.SectionText(1))
			for _, want := range []string{"网站发布信息同比下降4.9%", "接通率95.0%", "满意度得分85.00分", "平均办理时效2.10个自然日", "网站访问量增长31.8%",
				"全系统共收到政府信息公开申请6件，上年结转1件，内容涉及政策文件、统计数据和行政许可等"} {
				if !strings.Contains(one, want) {
					t.Errorf("全系统 section 一 lacks %q:\n%s", want, one)
				}
			}
			fol, _ := all.Stat("新媒体.微信公众号.关注人数")
			if s, err := annual.FormatFigure(fol.Figure, annual.FormGrowth, 100); err != nil || s != "增长18.2%" {
				t.Errorf("全系统 公众号 followers grew %q (%v), want 增长18.2%%", s, err)
			}

			// A unit with nothing below it: 全系统 is its 本级机关 report.
			for name, u := range map[string]rollUnit{"乙海关": b, "驻港办事处": g} {
				self, whole := selfs[name], build(t, db, u.id, 2024, annual.ScopeAll)
				if st, wt := tablesJSON(t, self.Doc.Report), tablesJSON(t, whole.Doc.Report); st != wt {
					t.Errorf("%s 全系统 tables differ from 本级机关's:\n%s\n%s", name, wt, st)
				}
				for _, s := range whole.Stats {
					if s.Def.Key == "范围" || s.Def.Key == "主体" {
						continue
					}
					if us, ok := self.Stat(s.Def.Key); !ok || us.Figure.Text != s.Figure.Text {
						t.Errorf("%s %s: 全系统 %q, 本级机关 %q", name, s.Def.Key, s.Figure.Text, us.Figure.Text)
					}
				}
				if len(whole.Stats) != len(self.Stats) {
					t.Errorf("%s: 全系统 has %d statistics, 本级机关 %d", name, len(whole.Stats), len(self.Stats))
				}
			}
		})
	}
}
