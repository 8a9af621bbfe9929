package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
)

// DeskYear is the year of the demo's desk activity: the seed report's
// year, so that section 一（三） of the demo reproduces its figures
// (接听热线电话咨询 10289 条次，接通率 99.3%，满意度得分 99.89 分；答复门户网站咨询
// 471 条，办理留言 229 条，平均办理时效 0.75 个自然日；网站访问量增长 16.9%；微直播
// 6 期，微博 255 条，微信公众号文章 359 条，“原产地证书”专栏 13 期，关注人数同比增长
// 14%；新闻发布会 2 场，覆盖企业 700 余家). The year before has the calls,
// visits and followers the growth figures compare with.
const DeskYear = 2024

// DeskStore is what the desk's demo writes through (*store.DB).
type DeskStore interface {
	ImportDesk(ctx context.Context, actor audit.Actor, unitID int64, kind desk.ImportKind, fileName string, m desk.Mapping, mode string,
		open func() (io.ReadCloser, int64, error), batch int, progress func(desk.Progress)) (desk.Result, error)
	ImportEnquiryHistory(ctx context.Context, actor audit.Actor, items []desk.History) error
	CreateAccount(ctx context.Context, actor audit.Actor, a *desk.Account) error
	CreateOutreach(ctx context.Context, actor audit.Actor, o *desk.Outreach) error
	CreateComplaint(ctx context.Context, actor audit.Actor, c *desk.Complaint) error
	ConcludeComplaint(ctx context.Context, actor audit.Actor, id int64, outcome, note, day string) error
	CreateSurvey(ctx context.Context, actor audit.Actor, s *desk.Survey) error
	AddQuestion(ctx context.Context, actor audit.Actor, surveyID int64, q *desk.Question) error
	OpenSurveyAt(ctx context.Context, actor audit.Actor, id int64, at time.Time) error
	CloseSurveyAt(ctx context.Context, actor audit.Actor, id int64, at time.Time) error
	Survey(ctx context.Context, id int64) (desk.Survey, error)
	ImportSurveyResponses(ctx context.Context, actor audit.Actor, surveyID int64, rs []desk.ResponseAt) error
}

// qa is a question people ask the desk and the answer it gives.
type qa struct{ topic, subject, question, answer string }

var deskQA = []qa{
	{"origin", "RCEP 原产地证书如何申领", "我司出口日本的货物想享受 RCEP 协定税率，原产地证书应如何申领？", "可通过“中国国际贸易单一窗口”原产地证书申领模块在线申请 RCEP 原产地证书，或按规定开具原产地声明。具体操作可参阅本关门户网站“办事指南”栏目。"},
	{"origin", "经核准出口商如何认定", "请问申请成为经核准出口商需要满足哪些条件？", "申请人应为海关高级认证企业，并具备原产地规则知识和良好的原产地管理制度。可向所在地海关提交书面申请，详见海关总署相关公告。"},
	{"clearance", "跨境电商零售进口退货", "跨境电商零售进口商品退货有什么规定？", "在跨境电商零售进口模式下，电子商务企业或其代理人可向海关申请开展退货业务，退货商品应在放行之日起 30 日内原状运抵原监管作业场所。"},
	{"clearance", "提前申报的办理", "进口货物能否提前申报？", "可以。进口货物收发货人可在舱单数据传输后、货物运抵海关监管作业场所前提前申报。"},
	{"tariff", "汇总征税如何申请", "企业如何申请汇总征税？", "除失信企业外，进出口企业均可适用汇总征税模式，在提交保函后通过“单一窗口”办理。"},
	{"tariff", "税款缴纳期限", "海关税款缴纳期限是多久？", "纳税义务人应当自海关填发税款缴款书之日起 15 日内缴纳税款；逾期缴纳的，由海关征收滞纳金。"},
	{"inspection", "进口食品境外生产企业注册", "进口食品境外生产企业注册在哪里办理？", "境外生产企业可通过“进口食品境外生产企业注册管理系统”申请注册，具体要求见《中华人民共和国进口食品境外生产企业注册管理规定》。"},
	{"processing", "加工贸易手册核销", "加工贸易手册到期后如何办理核销？", "企业应在手册有效期届满之日起 30 日内向海关报核，通过金关二期加工贸易系统提交报核数据。"},
	{"enterprise", "主动披露的适用", "企业发现少缴税款，主动向海关披露可以从轻处理吗？", "进出口企业、单位主动披露违反海关规定的行为且符合规定条件的，海关可依法不予行政处罚或从轻、减轻处罚，详见海关总署关于处理主动披露涉税违规行为有关事项的公告。"},
	{"disclosure", "政府信息公开申请渠道", "向福州海关申请政府信息公开有哪些渠道？", "可通过本关门户网站“依申请公开”栏目在线提交，或以信函、当面递交等方式提出申请。"},
	{"passenger", "旅客携带物品限量", "入境旅客可以携带多少瓶酒免税？", "进境旅客携带酒精饮料（12 度以上）限 1500 毫升，超出部分应向海关申报。"},
	{"other", "12360 热线服务时间", "12360 海关热线的人工服务时间是什么时候？", "12360 海关热线提供 7×24 小时人工服务，您也可以通过“12360 海关热线”微信公众号留言咨询。"},
}

// DeskStaff are the site unit's accounts the desk's records name: the
// hotline agent who drafts the replies and the reviewer who approves them.
type DeskStaff struct {
	UnitID, AgentID, ReviewerID int64
	AgentName, ReviewerName     string
}

// LoadDesk writes the service desk's records of a world for the site unit.
// The seed's years (seed 1): 20,362 call-detail records (2023 and 2024),
// 10,289 hotline records with 7,200 ratings, 700 handled web enquiries
// with their review events, 730 days of visit counters per page group, 626
// new-media posts and lives, 24 follower counts, 11 outreach events, the
// two questionnaires of the report year with 84 answers (the website's
// still open on the portal), one complaint (the year before). Then each
// later year of the world (deskYearOf), and, in the default world, 9
// enquiries still open now.
func LoadDesk(ctx context.Context, st DeskStore, w World, staff DeskStaff, now time.Time) error {
	seed := w.Seed
	unitID, agentID, reviewerID, agentName, reviewerName := staff.UnitID, staff.AgentID, staff.ReviewerID, staff.AgentName, staff.ReviewerName
	rng := rand.New(rand.NewPCG(seed^0xde5c, seed+0x12360))
	actor := audit.System("demo")
	actor.UnitID = unitID
	imp := func(kindKey, name string, csv []byte) error {
		return importDesk(ctx, st, actor, unitID, kindKey, name, csv)
	}

	// The hotline: call-detail records of two years (offered, answered)
	// and one hotline record per answered call of the report year.
	from, _ := desk.YearRange(DeskYear)
	var calls bytes.Buffer
	calls.WriteString("来电时间,受理渠道,来电人类型,咨询类别,咨询内容,答复内容,坐席,满意度评价,呼叫编号\n")
	cdrYear := func(year, offered, answered int, records bool) []byte {
		var b bytes.Buffer
		b.WriteString("呼叫编号,来电时间,呼叫结果,排队时长,通话时长,坐席工号\n")
		yf, yt := desk.YearRange(year)
		step := yt.Sub(yf) / time.Duration(offered)
		// Which calls are abandoned: a deterministic choice of offered−answered.
		abandoned := map[int]bool{}
		for len(abandoned) < offered-answered {
			abandoned[rng.IntN(offered)] = true
		}
		rated, j := 0, 0
		for i := 0; i < offered; i++ {
			at := yf.Add(step*time.Duration(i) + time.Duration(rng.Int64N(int64(step)))).In(desk.Shanghai)
			id := fmt.Sprintf("%d%07d", year, i+1)
			if abandoned[i] {
				fmt.Fprintf(&b, "%s,%s,放弃,%d,0,\n", id, at.Format("2006-01-02 15:04:05"), 20+rng.IntN(90))
				continue
			}
			fmt.Fprintf(&b, "%s,%s,接通,%d,%d,8%03d\n", id, at.Format("2006-01-02 15:04:05"), 2+rng.IntN(25), 60+rng.IntN(400), 1+rng.IntN(24))
			if !records {
				continue
			}
			q := deskQA[rng.IntN(len(deskQA))]
			// 7,200 of the 10,289 answered calls are rated, spread evenly:
			// 7,160 非常满意 and 40 满意, a score of 99.89.
			rating := ""
			if (j+1)*7200/answered > j*7200/answered {
				rating = "5"
				if rated%180 == 179 {
					rating = "4"
				}
				rated++
			}
			j++
			caller := []string{"企业", "企业", "企业", "个人", "个人", "其他组织"}[rng.IntN(6)]
			fmt.Fprintf(&calls, "%s,电话,%s,%s,%s,%s,%s,%s,%s\n", at.Format("2006-01-02 15:04:05"), caller, desk.TopicLabel(q.topic), q.question, q.answer, agentName, rating, id)
		}
		return b.Bytes()
	}
	if err := imp(desk.ImportCDR, fmt.Sprintf("12360话单-%d.csv", DeskYear-1), cdrYear(DeskYear-1, 10000, 9921, false)); err != nil {
		return err
	}
	if err := imp(desk.ImportCDR, fmt.Sprintf("12360话单-%d.csv", DeskYear), cdrYear(DeskYear, 10362, 10289, true)); err != nil {
		return err
	}
	if err := imp(desk.ImportCalls, fmt.Sprintf("12360工单-%d.csv", DeskYear), calls.Bytes()); err != nil {
		return err
	}

	// Web consultations (471 answered) and messages (229 handled, 0.75
	// natural days on average), each drafted by the agent and approved by
	// the reviewer; about a third published in the public Q&A.
	var hist []desk.History
	enquiries := func(kind string, n int, meanSecs int64) {
		total := meanSecs * int64(n)
		durs := make([]int64, n)
		var sum int64
		for i := range durs {
			durs[i] = 1800 + rng.Int64N(2*meanSecs-3600)
			sum += durs[i]
		}
		durs[n-1] += total - sum // the mean is exactly meanSecs
		for durs[n-1] < 600 {    // keep the last one plausible
			for i := range durs[:n-1] {
				if durs[i] > 7200 {
					durs[i] -= 600
					durs[n-1] += 600
					break
				}
			}
		}
		step := (365 * 24 * time.Hour) / time.Duration(n+1)
		for i := 0; i < n; i++ {
			q := deskQA[rng.IntN(len(deskQA))]
			rec := from.Add(step*time.Duration(i) + time.Duration(rng.Int64N(int64(step/2))))
			// Keep the approval inside the report year.
			if end := from.AddDate(1, 0, 0).Add(-time.Hour); rec.Add(time.Duration(durs[i]) * time.Second).After(end) {
				rec = end.Add(-time.Duration(durs[i]) * time.Second)
			}
			approved := rec.Add(time.Duration(durs[i]) * time.Second)
			drafted := rec.Add(time.Duration(durs[i]) * time.Second / 2)
			e := desk.Enquiry{UnitID: unitID, Kind: kind, Name: personName(rng), Phone: fmt.Sprintf("13%09d", rng.IntN(1000000000)),
				Topic: q.topic, Subject: q.subject, Body: q.question, PublicOK: rng.IntN(3) > 0, ReceivedAt: rec}
			evs := []desk.Event{
				{Kind: desk.EvDrafted, At: drafted, ActorID: agentID, ActorName: agentName, Body: q.answer},
				{Kind: desk.EvApproved, At: approved, ActorID: reviewerID, ActorName: reviewerName},
			}
			if e.PublicOK && rng.IntN(2) == 0 {
				evs = append(evs, desk.Event{Kind: desk.EvPublished, At: approved.Add(time.Hour), ActorID: reviewerID, ActorName: reviewerName, Body: desk.Redact(q.question)})
			}
			hist = append(hist, desk.History{Enquiry: e, Events: evs})
		}
	}
	enquiries(desk.KindConsult, 471, 52000) // 0.60 days
	enquiries(desk.KindMessage, 229, 64800) // 0.75 days
	// Still open now: three waiting for review, six waiting for a reply
	// (two of them close to the three-month limit).
	for i, ago := range []int{3, 9, 20, 41, 76, 83, 2, 5, 12} {
		q := deskQA[(i*5)%len(deskQA)]
		kind := desk.KindMessage
		if i%2 == 0 {
			kind = desk.KindConsult
		}
		e := desk.Enquiry{UnitID: unitID, Kind: kind, Name: personName(rng), Email: fmt.Sprintf("user%d@example.com", i+1), Topic: q.topic,
			Subject: q.subject, Body: q.question, PublicOK: true, ReceivedAt: now.AddDate(0, 0, -ago).Add(-time.Duration(rng.IntN(8)) * time.Hour)}
		var evs []desk.Event
		if i >= 6 {
			evs = []desk.Event{{Kind: desk.EvDrafted, At: e.ReceivedAt.Add(time.Hour), ActorID: agentID, ActorName: agentName, Body: q.answer}}
		}
		if w.hasTime(e.ReceivedAt) {
			hist = append(hist, desk.History{Enquiry: e, Events: evs})
		}
	}
	for len(hist) > 0 {
		n := min(250, len(hist))
		if err := st.ImportEnquiryHistory(ctx, actor, hist[:n]); err != nil {
			return fmt.Errorf("demo enquiries: %w", err)
		}
		hist = hist[n:]
	}

	// Website visits of two years by page group (history import); the
	// report year has 16.9% more.
	groups := []struct {
		key    string
		weight int
	}{{"home", 40}, {"proactive", 25}, {"apply", 8}, {"interact", 12}, {"guide", 6}, {"reports", 4}, {"other", 5}}
	type cell struct {
		day, group string
		n          int64
	}
	visitsYear := func(year int, total int64) ([]cell, int64) {
		yf, yt := desk.YearRange(year)
		days := int(yt.Sub(yf).Hours()/24 + 0.5)
		var out []cell
		var sum int64
		for d := 0; d < days; d++ {
			day := desk.Day(yf.AddDate(0, 0, d))
			for _, g := range groups {
				base := total * int64(g.weight) / 100 / int64(days)
				n := base*9/10 + rng.Int64N(base/5+1)
				sum += n
				out = append(out, cell{day, desk.PageGroupLabel(g.key), n})
			}
		}
		return out, sum
	}
	prev, s1 := visitsYear(DeskYear-1, 1_200_000)
	cur, s2 := visitsYear(DeskYear, 1_400_000)
	// The report year has exactly 16.9% more: the difference is spread
	// over its days.
	d := s1*1169/1000 - s2
	for i := range cur {
		cur[i].n += d / int64(len(cur))
	}
	cur[len(cur)-1].n += d % int64(len(cur))
	var vis bytes.Buffer
	vis.WriteString("日期,栏目分组,访问量\n")
	for _, c := range append(prev, cur...) {
		fmt.Fprintf(&vis, "%s,%s,%d\n", c.day, c.group, c.n)
	}
	if err := imp(desk.ImportVisits, "门户网站访问量.csv", vis.Bytes()); err != nil {
		return err
	}

	// New media: 微博 255 posts, 微信公众号 359 articles (the “原产地证书”
	// column 13 issues, “一站式服务” 6), 视频号 6 微直播; the 公众号's
	// followers month by month, 14% more at the end of the year.
	for _, a := range []desk.Account{{Platform: "weibo", Name: "福州海关12360"}, {Platform: "wechat", Name: "福州海关12360"}, {Platform: "channels", Name: "福州海关12360"}} {
		a.UnitID = unitID
		if err := st.CreateAccount(ctx, actor, &a); err != nil {
			return err
		}
	}
	var posts bytes.Buffer
	posts.WriteString("平台,账号,发布日期,类型,标题,专栏\n")
	spread := func(platform, kind, title, column string, n int) {
		for i := 0; i < n; i++ {
			day := desk.Day(from.Add((365*24*time.Hour)/time.Duration(n)*time.Duration(i) + 2*time.Hour))
			t := title
			if n > 1 {
				t = fmt.Sprintf("%s（%d）", title, i+1)
			}
			fmt.Fprintf(&posts, "%s,福州海关12360,%s,%s,%s,%s\n", platform, day, kind, t, column)
		}
	}
	spread("微博", "发文", "12360 政策速递", "", 255)
	spread("微信公众号", "发文", "通关指南", "", 340)
	spread("微信公众号", "发文", "原产地证书", "原产地证书", 13)
	spread("微信公众号", "发文", "一站式服务：芦柑出口", "一站式服务", 6)
	spread("视频号", "直播", "微直播：关税政策解读", "", 6)
	if err := imp(desk.ImportPosts, "新媒体发文.csv", posts.Bytes()); err != nil {
		return err
	}
	var fol bytes.Buffer
	fol.WriteString("平台,账号,统计日期,关注人数\n")
	f0 := int64(50000)
	for y := DeskYear - 1; y <= DeskYear; y++ {
		for m := 1; m <= 12; m++ {
			last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, desk.Shanghai)
			var n int64
			if y == DeskYear-1 {
				n = 44000 + 6000*int64(m)/12 // grows to 50,000 by December
			} else {
				n = f0 + f0*14*int64(m)/100/12 // +14% by December
			}
			fmt.Fprintf(&fol, "微信公众号,福州海关12360,%s,%d\n", last.Format("2006-01-02"), n)
		}
	}
	if err := imp(desk.ImportFollowers, "公众号关注人数.csv", fol.Bytes()); err != nil {
		return err
	}

	// Press conferences (2) and outreach (9 events, 742 enterprises).
	events := []desk.Outreach{
		{Kind: "press", Day: fmt.Sprintf("%d-01-18", DeskYear), Title: "福州海关 2023 年外贸进出口数据新闻发布会"},
		{Kind: "press", Day: fmt.Sprintf("%d-07-16", DeskYear), Title: "福州海关上半年外贸统计数据新闻发布会"},
	}
	reached := []int64{120, 85, 64, 96, 58, 110, 73, 66, 70}
	topics := []string{"RCEP 原产地规则", "主动披露政策", "汇总征税", "加工贸易监管", "跨境电商", "AEO 认证", "税收政策", "进口食品注册", "出口农产品"}
	for i, n := range reached {
		events = append(events, desk.Outreach{Kind: "outreach", Day: fmt.Sprintf("%d-%02d-%02d", DeskYear, i+2, 10+rng.IntN(15)), Title: topics[i] + "宣讲会", Enterprises: n})
	}
	for _, o := range events {
		o.UnitID = unitID
		if err := st.CreateOutreach(ctx, actor, &o); err != nil {
			return err
		}
	}

	// The two questionnaires the seed names, with answers (a third of them
	// with a suggestion).
	website, err := demoSurveys(ctx, st, actor, unitID, rng)
	if err != nil {
		return err
	}

	// Complaints: none in the report year (「年内未收到政府信息公开相关投诉事项」);
	// one the year before, concluded.
	c := desk.Complaint{UnitID: unitID, ReceivedOn: fmt.Sprintf("%d-05-08", DeskYear-1), Channel: "信函", Complainant: personName(rng),
		Subject: "答复期限", Summary: "投诉人认为依申请公开答复超过法定期限。"}
	if err := st.CreateComplaint(ctx, actor, &c); err != nil {
		return err
	}
	if err := st.ConcludeComplaint(ctx, actor, c.ID, "rejected", "经核查，答复在延长期限内作出，已向投诉人说明。", fmt.Sprintf("%d-05-20", DeskYear-1)); err != nil {
		return err
	}

	// The years after the seed's.
	for _, y := range w.laterYears() {
		if err := loadDeskYear(ctx, st, w, actor, deskYearOf(seed, y, staff), website); err != nil {
			return fmt.Errorf("demo desk %d: %w", y, err)
		}
	}
	return nil
}

// importDesk imports one CSV file of the desk as a user would, with the
// suggested mapping of its columns and nothing stored unless every row is
// good.
func importDesk(ctx context.Context, st DeskStore, actor audit.Actor, unitID int64, kindKey, name string, csv []byte) error {
	kind, _ := desk.KindByKey(kindKey)
	r := bytes.NewReader(csv)
	h, err := desk.ReadHeader(r, "")
	if err != nil {
		return err
	}
	open := func() (io.ReadCloser, int64, error) {
		return io.NopCloser(bytes.NewReader(csv)), int64(len(csv)), nil
	}
	res, err := st.ImportDesk(ctx, actor, unitID, kind, name, desk.Suggest(kind, h), desk.ModeAll, open, 5000, nil)
	if err != nil {
		return fmt.Errorf("demo desk import %s: %w", name, err)
	}
	if res.State != desk.ImportDone {
		return fmt.Errorf("demo desk import %s: %s, %v", name, res.State, res.Errors)
	}
	return nil
}

func personName(rng *rand.Rand) string {
	return string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))]
}

// loadDesk adds the desk's records to the world when the store can keep them.
func loadDesk(ctx context.Context, st Store, w World, unitID int64) error {
	ds, ok := st.(DeskStore)
	if !ok {
		return nil
	}
	agent, err := st.UserByUsername(ctx, "agent")
	if err != nil {
		return err
	}
	rev, err := st.UserByUsername(ctx, "reviewer")
	if err != nil {
		return err
	}
	return LoadDesk(ctx, ds, w, DeskStaff{UnitID: unitID, AgentID: agent.ID, ReviewerID: rev.ID, AgentName: agent.Username, ReviewerName: rev.Username}, time.Now())
}

// qspec is a question of a demo questionnaire, with the weights its
// options are chosen by.
type qspec struct {
	kind, text, options string
	required            bool
	weights             []int
}

// surveySpec is a demo questionnaire: what it asks and when it ran (a zero
// closed: still open).
type surveySpec struct {
	title, intro   string
	qs             []qspec
	answers        int
	opened, closed time.Time
}

// seedSurveys are the questionnaires the seed names. The 热线 survey ran
// from March to November of the report year; the website's opened in June
// and is still open on the portal.
var seedSurveys = []surveySpec{
	{"12360 热线服务调查问卷", "为进一步提升 12360 海关热线服务质量，诚邀您填写本问卷。", []qspec{
		{desk.QSingle, "您对 12360 热线的总体服务是否满意？", "非常满意\n满意\n基本满意\n不满意", true, []int{70, 22, 6, 2}},
		{desk.QMulti, "您通常通过哪些渠道联系 12360？", "电话\n微信公众号\n门户网站\n微博", true, []int{60, 45, 30, 10}},
		{desk.QText, "您对热线服务有什么意见建议？", "", false, nil},
	}, 48, time.Date(DeskYear, 3, 1, 9, 0, 0, 0, desk.Shanghai), time.Date(DeskYear, 11, 30, 18, 0, 0, 0, desk.Shanghai)},
	{"福州海关门户网站调查问卷", "请您就本关门户网站的内容和使用体验提出意见。", []qspec{
		{desk.QSingle, "您访问本网站的主要目的是？", "查询政策法规\n办事指南\n依申请公开\n互动交流", true, []int{45, 30, 10, 15}},
		{desk.QSingle, "您能否方便地找到需要的信息？", "能\n基本能\n不能", true, []int{62, 33, 5}},
		{desk.QText, "您希望网站增加哪些内容？", "", false, nil},
	}, 36, time.Date(DeskYear, 6, 1, 9, 0, 0, 0, desk.Shanghai), time.Time{}},
}

var surveySuggestions = []string{"希望增加政策解读的图解内容。", "热线高峰时段等待时间稍长。", "建议网站增加常见问题的分类检索。", "公众号推送很及时，希望继续保持。", "希望增加英文版办事指南。"}

// plannedAnswer is one answer of a response by the question's and the
// options' places in the questionnaire (the stored ids are known only once
// it is stored).
type plannedAnswer struct {
	q       int
	options []int
	text    string
}

// plannedResponse is a response to a questionnaire at a time.
type plannedResponse struct {
	at      time.Time
	answers []plannedAnswer
}

// drawAnswers draws one response's answers to the questions.
func drawAnswers(rng *rand.Rand, qs []qspec) []plannedAnswer {
	var ans []plannedAnswer
	for qi, q := range qs {
		w := q.weights
		switch q.kind {
		case desk.QText:
			if rng.IntN(3) == 0 {
				ans = append(ans, plannedAnswer{q: qi, text: surveySuggestions[rng.IntN(len(surveySuggestions))]})
			}
		case desk.QSingle:
			ans = append(ans, plannedAnswer{q: qi, options: []int{pick(rng, w)}})
		case desk.QMulti:
			var opts []int
			for oi := range w {
				if rng.IntN(100) < w[oi] {
					opts = append(opts, oi)
				}
			}
			if len(opts) == 0 {
				opts = []int{0}
			}
			ans = append(ans, plannedAnswer{q: qi, options: opts})
		}
	}
	return ans
}

// storedResponses turns planned responses into the stored questionnaire's
// answers.
func storedResponses(sv desk.Survey, planned []plannedResponse) []desk.ResponseAt {
	rs := make([]desk.ResponseAt, 0, len(planned))
	for _, p := range planned {
		var ans []desk.Answer
		for _, a := range p.answers {
			q := sv.Questions[a.q]
			da := desk.Answer{QuestionID: q.ID, Text: a.text}
			for _, o := range a.options {
				da.OptionIDs = append(da.OptionIDs, q.Options[o].ID)
			}
			ans = append(ans, da)
		}
		rs = append(rs, desk.ResponseAt{At: p.at, Answers: ans})
	}
	return rs
}

// createSurvey stores a questionnaire and opens it at its opening time.
func createSurvey(ctx context.Context, st DeskStore, actor audit.Actor, unitID int64, sp surveySpec) (desk.Survey, error) {
	sv := desk.Survey{UnitID: unitID, Title: sp.title, Intro: sp.intro}
	if err := st.CreateSurvey(ctx, actor, &sv); err != nil {
		return sv, err
	}
	for _, q := range sp.qs {
		qq, err := desk.ParseQuestion(q.kind, q.text, q.options, q.required)
		if err != nil {
			return sv, err
		}
		if err := st.AddQuestion(ctx, actor, sv.ID, &qq); err != nil {
			return sv, err
		}
	}
	if err := st.OpenSurveyAt(ctx, actor, sv.ID, sp.opened); err != nil {
		return sv, err
	}
	return st.Survey(ctx, sv.ID)
}

// demoSurveys stores the seed's questionnaires with their answers (a third
// of them with a suggestion) and returns the website's, still open.
func demoSurveys(ctx context.Context, st DeskStore, actor audit.Actor, unitID int64, rng *rand.Rand) (website int64, err error) {
	for _, sp := range seedSurveys {
		full, err := createSurvey(ctx, st, actor, unitID, sp)
		if err != nil {
			return 0, err
		}
		last := sp.closed
		if last.IsZero() {
			last = time.Date(DeskYear, 12, 31, 18, 0, 0, 0, desk.Shanghai)
			website = full.ID
		}
		step := last.Sub(sp.opened) / time.Duration(sp.answers+1)
		var planned []plannedResponse
		for i := 0; i < sp.answers; i++ {
			planned = append(planned, plannedResponse{at: sp.opened.Add(step * time.Duration(i+1)), answers: drawAnswers(rng, sp.qs)})
		}
		if err := st.ImportSurveyResponses(ctx, actor, full.ID, storedResponses(full, planned)); err != nil {
			return 0, fmt.Errorf("demo survey answers: %w", err)
		}
		if !sp.closed.IsZero() {
			if err := st.CloseSurveyAt(ctx, actor, full.ID, sp.closed); err != nil {
				return 0, err
			}
		}
	}
	return website, nil
}

// pick chooses an index with the given weights.
func pick(rng *rand.Rand, w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := rng.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}
