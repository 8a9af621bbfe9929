package report_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/report"
	"gongkai/internal/requests"
	"gongkai/internal/store/storetest"
)

// printed returns what each placeholder of the template prints in a
// draft, keyed by the placeholder as written ({热线.接听量},
// {网站.访问量:增长}). It reads the document's runs, so that what is
// compared is what the report prints: the placeholders of each part are
// matched in order with the runs bound to a figure in that part's blocks.
func printed(t *testing.T, d *report.Draft, tmpl annual.TextTemplate) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, pk := range annual.PartKeys {
		part := tmpl.Part(pk.Key)
		var want []annual.Piece
		for _, line := range append([]string{part.Heading}, strings.Split(part.Body, "\n")...) {
			pieces, err := annual.ParsePlaceholders(line)
			if err != nil {
				t.Fatalf("template part %s: %v", pk.Key, err)
			}
			for _, pc := range pieces {
				if pc.Key != "" {
					want = append(want, pc)
				}
			}
		}
		var runs []annual.Run
		for _, s := range d.Doc.Sections {
			for i, b := range s.Blocks {
				if b.Where != "sections."+pk.Key || pk.Key == annual.PartOther && i == 0 { // section 六 opens with the fee sentence, not the template's
					continue
				}
				for _, r := range b.Para.Runs {
					if r.Figure != "" {
						runs = append(runs, r)
					}
				}
			}
		}
		if len(runs) != len(want) {
			t.Fatalf("part %s: the template has %d placeholders, the document %d bound figures", pk.Key, len(want), len(runs))
		}
		for i, pc := range want {
			if runs[i].Figure != pc.Key {
				t.Fatalf("part %s: placeholder %s printed as a figure of %s", pk.Key, pc.Text, runs[i].Figure)
			}
			if prev, ok := out[pc.Text]; ok && prev != runs[i].Text {
				t.Errorf("%s printed both %q and %q", pc.Text, prev, runs[i].Text)
			}
			out[pc.Text] = runs[i].Text
		}
	}
	return out
}

// seedPrinted is what 福州海关（本级机关）'s template prints for 2024 from
// the seed world: the seed's figures. The arithmetic of the changes below
// starts from these.
var seedPrinted = map[string]string{
	"{年度}":           "2024",
	"{主体}":           "福州海关本级机关",
	"{范围}":           "本级机关",
	"{主动公开.公告}":      "1",
	"{主动公开.通告}":      "2",
	"{主动公开.通知}":      "8",
	"{主动公开.采购招标信息}":  "248",
	"{主动公开.行政执法双公示}": "378",
	"{主动公开.双随机、一公开}": "125",
	"{主动公开.公务员考录和事业单位招聘}": "11",
	"{主动公开.关长接待日}":        "12",
	"{主动公开.发布总数:增长}":      "增长27.4%",
	"{主动公开.更新条次}":         "11",
	"{依申请.新收}":            "6",
	"{依申请.内容涉及}":          "统计数据、报关单证和行政执法信息",
	"{依申请.办理答复}":          "2",
	"{依申请.撤回}":            "4",
	"{复议诉讼.情况}":           "未出现因依申请公开答复产生的复议、诉讼",
	"{热线.接听量}":            "10289",
	"{热线.接通率}":            "99.3%",
	"{热线.满意度}":            "99.89",
	"{主动公开.政策指南和办理指引}":    "52",
	"{咨询.答复}":             "471",
	"{留言.办理}":             "229",
	"{留言.平均办理时效}":         "0.75",
	"{网站.访问量:增长}":         "增长16.9%",
	"{新媒体.微直播}":           "6",
	"{新媒体.微博.发文}":         "255",
	"{新媒体.微信公众号.发文}":      "359",
	"{新媒体.专栏.原产地证书}":      "13",
	"{新媒体.专栏.一站式服务}":      "6",
	"{新媒体.微信公众号.关注人数:增长}": "增长14%",
	"{发布会.场次}":            "2",
	"{宣讲.覆盖企业:约数}":        "700余",
	"{调查问卷.标题}":           "《12360 热线服务调查问卷》《福州海关门户网站调查问卷》",
	"{投诉.情况}":             "年内未收到政府信息公开相关投诉事项",
}

// requestBound are the placeholders the report's request names rather
// than the records count: the year asked for, the scope, and the unit with
// its scope. No record change may move them.
var requestBound = map[string]bool{"{年度}": true, "{范围}": true, "{主体}": true}

// TestBoundFiguresMove changes one record behind each figure the seed
// world's template binds — through the store's write methods, as the
// office's work writes them — rebuilds 福州海关（本级机关）2024, and checks
// that exactly the figures the change should move moved, to the text
// stated. The changes accumulate on one world (loading it is the costly
// part); each expectation is stated against the state the changes before
// it left, with its arithmetic. Some changes move nothing: a record the
// figures do not count, or one that the rounding absorbs.
func TestBoundFiguresMove(t *testing.T) {
	for _, dialect := range storetest.Backends {
		t.Run(string(dialect), func(t *testing.T) {
			t0 := time.Now()
			db, fz := seedWorld(t, dialect)
			loaded := time.Since(t0)
			w := &writer{t: t, db: db}
			mawei := w.unitOf("mawei").ID
			office := w.deptID(fz, "办公室")
			editor, reviewer, agent := w.user("editor"), w.user("reviewer"), w.user("agent")
			handler, maweiHandler := w.user("handler"), w.user("mawei-handler")
			item := func(slug, made string, published time.Time, revisions ...time.Time) itemSpec {
				return itemSpec{unitID: fz, dept: office, cat: w.categoryID(fz, slug), editor: editor, reviewer: reviewer,
					made: day(made), published: published, revisions: revisions}
			}
			publishIn := func(slug string) func() {
				return func() { w.items(fz, item(slug, "2024-05-06", at("2024-05-08", 16, 0))) }
			}

			settings, err := db.UnitSettings(ctx, fz)
			if err != nil {
				t.Fatal(err)
			}
			tmpl, custom, err := report.TemplateOf(settings, annual.ScopeSelf)
			if err != nil || !custom {
				t.Fatalf("the seed world keeps no template of its own (custom %v, %v)", custom, err)
			}
			d := build(t, db, fz, 2024, annual.ScopeSelf)
			before := printed(t, d, tmpl)
			for k, v := range seedPrinted {
				if before[k] != v {
					t.Errorf("before any change %s prints %q, the seed %q", k, before[k], v)
				}
			}
			for k := range before {
				if _, ok := seedPrinted[k]; !ok {
					t.Errorf("the template binds %s, which this test does not know", k)
				}
			}
			if t.Failed() {
				t.FailNow()
			}
			rest := func(d *report.Draft) string {
				return d.Doc.Preface.Text() + "\n" + d.Doc.SectionText(5) + "\n" + d.Doc.SectionText(6)
			}
			restBefore := rest(d)

			var r1, r3, s1, c1 int64 // records a later change acts on
			changes := []struct {
				name  string
				apply func()
				moves map[string]string // the placeholders that move, with what they print after
			}{
				// 主动公开. Publications of 2024: 860, of 2023: 675. Each
				// publication of 2024 adds 1000/675 ≈ 1.48 tenths of a per
				// cent to the growth, more than the tenth it is printed to,
				// so the growth moves with every one; the tenths are
				// (2·(cur−prev)·1000 + prev) ÷ (2·prev), rounded down.
				{"公告 published in 2024", publishIn("gonggao"), map[string]string{
					"{主动公开.公告}": "2", "{主动公开.发布总数:增长}": "增长27.6%"}}, // 186/675 = 27.56%
				{"通告 published in 2024", publishIn("tonggao"), map[string]string{
					"{主动公开.通告}": "3", "{主动公开.发布总数:增长}": "增长27.7%"}}, // 187/675 = 27.70%
				{"通知 published in 2024", publishIn("tongzhi"), map[string]string{
					"{主动公开.通知}": "9", "{主动公开.发布总数:增长}": "增长27.9%"}}, // 188/675 = 27.85%
				{"采购招标信息 published in 2024", publishIn("procurement"), map[string]string{
					"{主动公开.采购招标信息}": "249", "{主动公开.发布总数:增长}": "增长28%"}}, // 189/675 = 28% exactly, no “.0”
				{"双公示 published in 2024", publishIn("shuanggongshi"), map[string]string{
					"{主动公开.行政执法双公示}": "379", "{主动公开.发布总数:增长}": "增长28.1%"}}, // 190/675 = 28.15%
				{"双随机、一公开 published in 2024", publishIn("shuangsuiji"), map[string]string{
					"{主动公开.双随机、一公开}": "126", "{主动公开.发布总数:增长}": "增长28.3%"}}, // 191/675 = 28.30%
				{"招聘信息 published in 2024", publishIn("recruitment"), map[string]string{
					"{主动公开.公务员考录和事业单位招聘}": "12", "{主动公开.发布总数:增长}": "增长28.4%"}}, // 192/675 = 28.44%
				{"关长接待日 published in 2024", publishIn("reception"), map[string]string{
					"{主动公开.关长接待日}": "13", "{主动公开.发布总数:增长}": "增长28.6%"}}, // 193/675 = 28.59%
				{"政策指南 published in 2024", publishIn("policy-guides"), map[string]string{
					"{主动公开.政策指南和办理指引}": "53", "{主动公开.发布总数:增长}": "增长28.7%"}}, // 194/675 = 28.74%
				{"政策解读 (a category the template does not name) published in 2024", publishIn("interpretation"), map[string]string{
					"{主动公开.发布总数:增长}": "增长28.9%"}}, // 195/675 = 28.89%
				{"公告 published in 2023", func() { w.items(fz, item("gonggao", "2023-05-29", at("2023-06-01", 16, 0))) }, map[string]string{
					"{主动公开.发布总数:增长}": "增长28.7%"}}, // 870 on 676: 194/676 = 28.698%
				{"办事指南 of 2019 revised in 2024", func() {
					w.items(fz, item("guides", "2019-03-01", at("2019-03-05", 16, 0), at("2024-07-10", 16, 0)))
				}, map[string]string{"{主动公开.更新条次}": "12"}},
				{"通知 drafted in 2024, never published", func() { w.items(fz, item("tongzhi", "2024-11-11", time.Time{})) }, nil},

				// 依申请公开. 2024: 6 received, 2 answered, 4 withdrawn; subjects
				// 统计数据 3, 报关单证 2, 行政执法信息 1, 行政许可 1 (ties go
				// in the list's order: 统计数据、报关单证、行政执法信息、行政许可).
				{"application received in December, still open", func() {
					r1 = w.application(fz, handler.ID, "2024-12-02", []string{"统计数据"})
				}, map[string]string{"{依申请.新收}": "7"}}, // 统计数据 4: the top three stay
				{"its subjects marked again", func() {
					w.event(r1, requests.Event{Kind: requests.SubjectsMarked, On: day("2024-12-03"), Role: org.RoleHandler, Subjects: []string{"行政许可"}})
				}, map[string]string{"{依申请.内容涉及}": "统计数据、报关单证和行政许可"}}, // 统计数据 3, 报关单证 2, 行政许可 2, 行政执法信息 1
				// Received in 2023: not 新收 of 2024, and its subjects
				// (行政执法信息, which would take third place) not counted.
				{"application carried over from 2023, answered in 2024", func() {
					r3 = w.application(fz, handler.ID, "2023-12-25", []string{"行政执法信息"}, answered("2024-01-15")...)
				}, map[string]string{"{依申请.办理答复}": "3"}},
				{"application carried over from 2023, withdrawn in 2024", func() {
					w.application(fz, handler.ID, "2023-12-27", []string{"行政执法信息"}, withdrawn("2024-01-08")...)
				}, map[string]string{"{依申请.撤回}": "5"}},
				{"application received and withdrawn in 2024", func() {
					w.application(fz, handler.ID, "2024-10-14", []string{"报关单证"}, withdrawn("2024-10-18")...)
				}, map[string]string{"{依申请.新收}": "8", "{依申请.撤回}": "6"}}, // 报关单证 3 ties 统计数据 3, which the list puts first
				{"reconsideration filed", func() { w.appeal(r3, requests.Reconsideration, "2024-02-20") }, map[string]string{
					"{复议诉讼.情况}": "因依申请公开答复产生行政复议1件，未产生行政诉讼"}},
				{"lawsuit filed", func() { w.appeal(r3, requests.LawsuitDirect, "2024-06-03") }, map[string]string{
					"{复议诉讼.情况}": "因依申请公开答复产生行政复议1件、行政诉讼1件"}},

				// 12360 热线: 10,362 calls offered, 10,289 answered: 接通率
				// = 10289000 ÷ 10362 = 992.95 tenths → 99.3%.
				{"answered call at 23:30 on 31 December (Beijing)", func() { w.cdr(fz, at("2024-12-31", 23, 30), 1, 0) }, map[string]string{
					"{热线.接听量}": "10290"}}, // 10290/10363 = 99.296% → 99.3%
				{"four abandoned calls", func() { w.cdr(fz, at("2024-06-03", 10, 0), 0, 4) }, nil}, // 10290/10367 = 99.257% → 99.3%
				{"one more abandoned call", func() { w.cdr(fz, at("2024-06-04", 10, 0), 0, 1) }, map[string]string{
					"{热线.接通率}": "99.2%"}}, // 10290/10368 = 99.248% → 99.2%
				// 满意度: 7,200 ratings summing 35,960; score = sum × 2000 ÷ n
				// hundredths.
				{"hotline record rated 非常满意", func() { w.call(fz, at("2024-08-01", 10, 0), 5) }, nil}, // 35965/7201 → 9989.39 → 99.89
				{"hotline record rated 非常不满意", func() { w.call(fz, at("2024-08-02", 10, 0), 1) }, map[string]string{
					"{热线.满意度}": "99.88"}}, // 35966/7202 → 9988.28 → 99.88
				{"hotline record without a rating", func() { w.call(fz, at("2024-08-05", 10, 0), 0) }, nil},

				// 网上咨询 471 answered; 留言 229 handled in 18 hours on average
				// (0.75 days: 229 × 64,800 s).
				{"consultation answered", func() { w.enquiry(fz, desk.KindConsult, at("2024-03-04", 9, 0), 6*time.Hour, agent, reviewer) }, map[string]string{
					"{咨询.答复}": "472"}},
				{"message handled in 18 hours", func() { w.enquiry(fz, desk.KindMessage, at("2024-04-01", 18, 0), 18*time.Hour, agent, reviewer) }, map[string]string{
					"{留言.办理}": "230"}}, // the mean stays 64,800 s
				{"message handled in 4 days, at 23:00 on 31 December", func() {
					w.enquiry(fz, desk.KindMessage, at("2024-12-27", 23, 0), 96*time.Hour, agent, reviewer)
				}, map[string]string{"{留言.办理}": "231", "{留言.平均办理时效}": "0.76"}}, // (230 × 64800 + 345600) ÷ 231 = 66,016 s = 0.764 days
				{"message received, not yet handled", func() { w.enquiry(fz, desk.KindMessage, at("2024-12-20", 10, 0), 0, agent, reviewer) }, nil},

				// 网站访问量 1,398,350 on 1,196,194: 202,156 more, 16.9%. 17.0%
				// needs (cur − prev) × 2000 ≥ 339 × prev, i.e. 202,755 more:
				// 599 visits.
				{"598 visits", func() { w.fatal("visits", db.CountVisit(ctx, fz, "2024-12-31", "home", 598)) }, nil},
				{"one more visit", func() { w.fatal("visits", db.CountVisit(ctx, fz, "2024-12-31", "home", 1)) }, map[string]string{
					"{网站.访问量:增长}": "增长17%"}},

				// 新媒体: 微博 255, 公众号 359 (专栏 原产地证书 13, 一站式服务 6),
				// 微直播 6; 公众号 followers 57,000 at the end of 2024 on
				// 50,000 at the end of 2023.
				{"微博 post", func() { w.post(fz, "weibo", "post", "2024-08-08", "") }, map[string]string{"{新媒体.微博.发文}": "256"}},
				{"公众号 article", func() { w.post(fz, "wechat", "post", "2024-08-09", "") }, map[string]string{"{新媒体.微信公众号.发文}": "360"}},
				{"公众号 article in 原产地证书", func() { w.post(fz, "wechat", "post", "2024-08-12", "原产地证书") }, map[string]string{
					"{新媒体.专栏.原产地证书}": "14", "{新媒体.微信公众号.发文}": "361"}},
				{"公众号 article in 一站式服务", func() { w.post(fz, "wechat", "post", "2024-08-13", "一站式服务") }, map[string]string{
					"{新媒体.专栏.一站式服务}": "7", "{新媒体.微信公众号.发文}": "362"}},
				{"视频号 live", func() { w.post(fz, "channels", "live", "2024-08-14", "") }, map[string]string{"{新媒体.微直播}": "7"}},
				{"视频号 post (a figure the template does not name)", func() { w.post(fz, "channels", "post", "2024-08-15", "") }, nil},
				{"公众号 followers counted mid-December", func() { w.followers(fz, "wechat", "2024-12-15", 60000) }, nil}, // not the year's last count
				{"公众号 followers at the year's end corrected", func() { w.followers(fz, "wechat", "2024-12-31", 57500) }, map[string]string{
					"{新媒体.微信公众号.关注人数:增长}": "增长15%"}}, // 57500/50000

				// 发布会 2; enterprises reached 742 → 700余 (rounded down to the hundred).
				{"press conference", func() { w.outreach(fz, "press", "2024-10-15", 0) }, map[string]string{"{发布会.场次}": "3"}},
				{"outreach event reaching 57 enterprises", func() { w.outreach(fz, "outreach", "2024-11-05", 57) }, nil}, // 799 → 700余
				{"outreach event reaching 1 enterprise", func() { w.outreach(fz, "outreach", "2024-11-20", 1) }, map[string]string{
					"{宣讲.覆盖企业:约数}": "800"}}, // a whole hundred is printed exactly

				{"questionnaire drafted, not opened", func() { s1 = w.survey(fz, "2024年政务新媒体调查问卷", time.Time{}) }, nil},
				{"questionnaire opened in 2024", func() { w.openSurvey(s1, at("2024-09-02", 9, 0)) }, map[string]string{
					"{调查问卷.标题}": "《12360 热线服务调查问卷》《福州海关门户网站调查问卷》《2024年政务新媒体调查问卷》"}},

				{"complaint received", func() { c1 = w.complaint(fz, "2024-07-01") }, map[string]string{
					"{投诉.情况}": "年内收到政府信息公开相关投诉1件"}},
				{"complaint concluded", func() {
					w.fatal("conclude", db.ConcludeComplaint(ctx, actor, c1, "rejected", "经核查，答复在法定期限内作出。", "2024-07-20"))
				}, map[string]string{"{投诉.情况}": "年内收到政府信息公开相关投诉1件，均已办结"}},

				// Records of another year, or of a unit below 福州海关, move
				// nothing in its 本级机关 report of 2024.
				{"records of 2025 and of 马尾海关", func() {
					w.items(fz, item("gonggao", "2025-02-27", at("2025-03-03", 16, 0)))
					w.application(fz, handler.ID, "2025-02-10", []string{"行政执法信息"})
					w.application(mawei, maweiHandler.ID, "2024-05-06", []string{"行政执法信息"}, answered("2024-05-20")...)
					w.application(mawei, maweiHandler.ID, "2024-06-03", []string{"行政执法信息"}, withdrawn("2024-06-05")...)
					w.cdr(fz, at("2025-01-01", 0, 30), 1, 1) // 16:30 UTC on 31 December 2024
					w.cdr(mawei, at("2024-03-01", 9, 0), 3, 0)
					w.call(fz, at("2025-01-02", 9, 0), 1)
					w.call(mawei, at("2024-03-01", 9, 0), 1)
					w.enquiry(fz, desk.KindConsult, at("2025-01-02", 9, 0), time.Hour, agent, reviewer)
					w.enquiry(fz, desk.KindMessage, at("2024-12-31", 20, 0), 5*time.Hour, agent, reviewer) // handled in 2025
					// 马尾海关 has no hotline account in the demo world: its
					// reply is recorded by the system (desk.Authorize lets
					// only the unit's own agents and reviewers act).
					w.enquiry(mawei, desk.KindMessage, at("2024-03-01", 9, 0), 72*time.Hour, org.User{}, org.User{})
					w.fatal("visits", db.CountVisit(ctx, fz, "2025-01-01", "home", 100000))
					w.fatal("visits", db.CountVisit(ctx, mawei, "2024-06-01", "home", 100000))
					w.post(fz, "weibo", "post", "2025-01-05", "")
					w.post(mawei, "wechat", "post", "2024-05-05", "原产地证书")
					w.followers(fz, "wechat", "2025-01-31", 90000)
					w.followers(mawei, "wechat", "2024-12-31", 5000)
					w.outreach(fz, "press", "2025-01-16", 500)
					w.outreach(mawei, "outreach", "2024-04-01", 300)
					w.survey(fz, "2025年热线调查问卷", at("2025-02-01", 9, 0))
					w.survey(mawei, "马尾海关调查问卷", at("2024-03-01", 9, 0))
					w.complaint(fz, "2025-01-10")
					w.complaint(mawei, "2024-03-01")
				}, nil},
			}

			covered := map[string]bool{}
			for k := range requestBound {
				covered[k] = true
			}
			builds := time.Duration(0)
			for _, c := range changes {
				for k := range c.moves {
					if _, ok := before[k]; !ok {
						t.Fatalf("%s: the template has no placeholder %s", c.name, k)
					}
					if requestBound[k] {
						t.Fatalf("%s: %s is named by the request, no record moves it", c.name, k)
					}
					covered[k] = true
				}
				c.apply()
				t1 := time.Now()
				d := build(t, db, fz, 2024, annual.ScopeSelf)
				builds += time.Since(t1)
				after := printed(t, d, tmpl)
				var moved []string
				for k, v := range after {
					if v != before[k] {
						moved = append(moved, k)
					}
				}
				sort.Strings(moved)
				var want []string
				for k := range c.moves {
					want = append(want, k)
				}
				sort.Strings(want)
				if strings.Join(moved, " ") != strings.Join(want, " ") {
					var was []string
					for _, k := range moved {
						was = append(was, k+": "+before[k]+" → "+after[k])
					}
					t.Errorf("%s moved %v, want %v (%s)", c.name, moved, want, strings.Join(was, "; "))
				}
				for k, v := range c.moves {
					if after[k] != v {
						t.Errorf("%s: %s prints %q, want %q", c.name, k, after[k], v)
					}
				}
				if r := rest(d); r != restBefore {
					t.Errorf("%s changed the preface or sections 五 and 六:\nbefore %s\nafter  %s", c.name, restBefore, r)
				}
				before = after
			}
			var missed []string
			for k := range before {
				if !covered[k] {
					missed = append(missed, k)
				}
			}
			sort.Strings(missed)
			if len(missed) > 0 {
				t.Errorf("no change moves %v", missed)
			}
			t.Logf("%s: world loaded in %v, %d rebuilds in %v", dialect, loaded.Round(time.Millisecond), len(changes), builds.Round(time.Millisecond))
		})
	}
}
