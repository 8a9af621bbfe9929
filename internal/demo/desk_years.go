package demo

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
)

// deskYear is one later year of the site unit's desk records as they are
// loaded: the telephony system's and the hotline's exports, daily visits,
// posts and follower counts (CSV files in the import formats), the
// portal's enquiries with their review histories, press conferences and
// outreach, the year's questionnaire with its answers, answers to the
// website's questionnaire (still open), and the complaints.
type deskYear struct {
	year                                 int
	cdr, calls, visits, posts, followers []byte
	enquiries                            []desk.History
	outreach                             []desk.Outreach
	survey                               surveySpec
	surveyAnswers, websiteAnswers        []plannedResponse
	complaints                           []desk.Complaint // Outcome set when concluded
}

// The seed year's figures the later years move from (DeskYear, as
// LoadDesk writes it).
const (
	seedOffered   = 10362     // calls offered
	seedVisits    = 1_400_000 // page views, about
	seedFollowers = 57000     // the 公众号's followers at the end of the year
)

// deskYearOf draws a later year of the desk from the seed: each series
// moves on the year before by its rate (yearCount), the hotline between
// 8,000 and 9,600 calls a year (fewer than the seed year's: enquiries move
// to the web and the 公众号). Nothing is dated after the year's stopDay;
// in demoUntil's year a few enquiries are still open at the end, two of
// them for longer than the three months of 国办秘函〔2019〕19号.
func deskYearOf(seed uint64, year int, staff DeskStaff) deskYear {
	rng := yearRNG(seed, "desk", year)
	from, to, share := span(year)
	stop := to.Add(-time.Microsecond)
	dy := deskYear{year: year}
	stamp := func(t time.Time) string { return t.In(desk.Shanghai).Format("2006-01-02 15:04:05") }

	// The hotline: one call-detail record per call offered, one hotline
	// record (with its rating, when the caller gave one) per call answered.
	offered := int(math.Round(min(9600, max(8000, level(seed, "hotline", seedOffered, year))) * share))
	answered := offered * (986 + rng.IntN(11)) / 1000
	ratedPct := 62 + rng.IntN(13)
	abandoned := map[int]bool{}
	for len(abandoned) < offered-answered {
		abandoned[rng.IntN(offered)] = true
	}
	var cdr, calls bytes.Buffer
	cdr.WriteString("呼叫编号,来电时间,呼叫结果,排队时长,通话时长,坐席工号\n")
	calls.WriteString("来电时间,受理渠道,来电人类型,咨询类别,咨询内容,答复内容,坐席,满意度评价,呼叫编号\n")
	step := to.Sub(from) / time.Duration(offered)
	for i := 0; i < offered; i++ {
		at := from.Add(step*time.Duration(i) + time.Duration(rng.Int64N(int64(step))))
		id := fmt.Sprintf("%d%07d", year, i+1)
		if abandoned[i] {
			fmt.Fprintf(&cdr, "%s,%s,放弃,%d,0,\n", id, stamp(at), 20+rng.IntN(90))
			continue
		}
		fmt.Fprintf(&cdr, "%s,%s,接通,%d,%d,8%03d\n", id, stamp(at), 2+rng.IntN(25), 60+rng.IntN(400), 1+rng.IntN(24))
		q := deskQA[rng.IntN(len(deskQA))]
		rating := ""
		if rng.IntN(100) < ratedPct {
			switch n := rng.IntN(1000); {
			case n < 962:
				rating = "5"
			case n < 993:
				rating = "4"
			case n < 998:
				rating = "3"
			default:
				rating = "2"
			}
		}
		caller := []string{"企业", "企业", "企业", "个人", "个人", "其他组织"}[rng.IntN(6)]
		fmt.Fprintf(&calls, "%s,电话,%s,%s,%s,%s,%s,%s,%s\n", stamp(at), caller, desk.TopicLabel(q.topic), q.question, q.answer, staff.AgentName, rating, id)
	}
	dy.cdr, dy.calls = cdr.Bytes(), calls.Bytes()

	// Web consultations and messages: drafted by the agent, approved by the
	// reviewer (now and then returned once first), about a third published
	// in the public Q&A; a few dismissed as repeats.
	for _, k := range []struct {
		kind       string
		base, days float64
	}{{desk.KindConsult, 471, 0.60}, {desk.KindMessage, 229, 0.75}} {
		n := yearCount(seed, "enquiries/"+k.kind, k.base, year, 1)
		mean := k.days * (0.8 + 0.45*rng.Float64()) * 86400
		est := to.Sub(from) / time.Duration(n)
		for i := 0; i < n; i++ {
			q := deskQA[rng.IntN(len(deskQA))]
			rec := from.Add(est*time.Duration(i) + time.Duration(rng.Int64N(int64(est))))
			e := desk.Enquiry{UnitID: staff.UnitID, Kind: k.kind, Name: personName(rng), Phone: fmt.Sprintf("13%09d", rng.IntN(1000000000)),
				Topic: q.topic, Subject: q.subject, Body: q.question, PublicOK: rng.IntN(3) > 0, ReceivedAt: rec}
			d := time.Duration(max(1200, mean*(0.15+1.7*rng.Float64()))) * time.Second
			var evs []desk.Event
			switch r := rng.IntN(100); {
			case r < 1:
				evs = append(evs, desk.Event{Kind: desk.EvDismissed, At: rec.Add(2 * time.Hour), ActorID: staff.AgentID, ActorName: staff.AgentName,
					Note: "重复提交，已在先前的" + desk.KindLabel(k.kind) + "中答复"})
			case r < 7:
				evs = append(evs,
					desk.Event{Kind: desk.EvDrafted, At: rec.Add(d * 3 / 10), ActorID: staff.AgentID, ActorName: staff.AgentName, Body: q.answer},
					desk.Event{Kind: desk.EvReturned, At: rec.Add(d / 2), ActorID: staff.ReviewerID, ActorName: staff.ReviewerName, Note: "请补充办理依据后再报审。"},
					desk.Event{Kind: desk.EvDrafted, At: rec.Add(d * 8 / 10), ActorID: staff.AgentID, ActorName: staff.AgentName, Body: q.answer + "办理依据：" + q.subject + "的有关规定。"})
			default:
				evs = append(evs, desk.Event{Kind: desk.EvDrafted, At: rec.Add(d / 2), ActorID: staff.AgentID, ActorName: staff.AgentName, Body: q.answer})
			}
			if evs[0].Kind != desk.EvDismissed {
				approved := rec.Add(d)
				evs = append(evs, desk.Event{Kind: desk.EvApproved, At: approved, ActorID: staff.ReviewerID, ActorName: staff.ReviewerName})
				if e.PublicOK && rng.IntN(2) == 0 {
					evs = append(evs, desk.Event{Kind: desk.EvPublished, At: approved.Add(time.Hour), ActorID: staff.ReviewerID, ActorName: staff.ReviewerName, Body: desk.Redact(q.question)})
				}
			}
			if h, ok := cutHistory(desk.History{Enquiry: e, Events: evs}, recordsEnd()); ok {
				dy.enquiries = append(dy.enquiries, h)
			}
		}
	}
	if stopDay(year).String() == demoUntil {
		// At the end: five received in its last week, waiting for a reply
		// or its review; two unanswered for four months and more.
		for i, ago := range []time.Duration{6, 5, 3, 2, 1, 130, 118} {
			q := deskQA[(i*7+year)%len(deskQA)]
			kind := []string{desk.KindConsult, desk.KindMessage}[i%2]
			e := desk.Enquiry{UnitID: staff.UnitID, Kind: kind, Name: personName(rng), Email: fmt.Sprintf("user%d%02d@example.com", year, i+1), Topic: q.topic,
				Subject: q.subject, Body: q.question, PublicOK: true, ReceivedAt: stop.Add(-ago*24*time.Hour + time.Duration(rng.IntN(10))*time.Hour)}
			var evs []desk.Event
			switch i {
			case 2, 3:
				evs = []desk.Event{{Kind: desk.EvDrafted, At: e.ReceivedAt.Add(3 * time.Hour), ActorID: staff.AgentID, ActorName: staff.AgentName, Body: q.answer}}
			case 4, 6:
				evs = []desk.Event{{Kind: desk.EvDrafted, At: e.ReceivedAt.Add(2 * time.Hour), ActorID: staff.AgentID, ActorName: staff.AgentName, Body: q.answer},
					{Kind: desk.EvReturned, At: e.ReceivedAt.Add(5 * time.Hour), ActorID: staff.ReviewerID, ActorName: staff.ReviewerName, Note: "答复内容需与业务处室核实后再报审。"}}
			}
			if h, ok := cutHistory(desk.History{Enquiry: e, Events: evs}, stop); ok {
				dy.enquiries = append(dy.enquiries, h)
			}
		}
	}
	sort.SliceStable(dy.enquiries, func(i, j int) bool {
		return dy.enquiries[i].Enquiry.ReceivedAt.Before(dy.enquiries[j].Enquiry.ReceivedAt)
	})

	// Daily visits by page group: busier on working days.
	groups := []struct {
		label  string
		weight float64
	}{{"home", 40}, {"proactive", 25}, {"apply", 8}, {"interact", 12}, {"guide", 6}, {"reports", 4}, {"other", 5}}
	perDay := level(seed, "visits", seedVisits, year) / 365
	var vis bytes.Buffer
	vis.WriteString("日期,栏目分组,访问量\n")
	for day := from; day.Before(to); day = day.AddDate(0, 0, 1) {
		f := 1.15
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			f = 0.62
		}
		for _, g := range groups {
			n := int64(perDay * g.weight / 100 * f * (0.9 + 0.2*rng.Float64()))
			fmt.Fprintf(&vis, "%s,%s,%d\n", desk.Day(day), desk.PageGroupLabel(g.label), n)
		}
	}
	dy.visits = vis.Bytes()

	// New media: the 微博 and 公众号 posts, the 公众号's two columns, the
	// 视频号's 微直播, the 公众号's followers at each month's end.
	var posts bytes.Buffer
	posts.WriteString("平台,账号,发布日期,类型,标题,专栏\n")
	spread := func(platform, kind, title, column string, n int) {
		for i := 0; i < n; i++ {
			day := desk.Day(from.Add(to.Sub(from)/time.Duration(n)*time.Duration(i) + 2*time.Hour))
			fmt.Fprintf(&posts, "%s,福州海关12360,%s,%s,%s（%d年第%d期）,%s\n", platform, day, kind, title, year, i+1, column)
		}
	}
	spread("微博", "发文", "12360 政策速递", "", yearCount(seed, "weibo", 255, year, 1))
	spread("微信公众号", "发文", "通关指南", "", yearCount(seed, "wechat", 340, year, 1))
	spread("微信公众号", "发文", "原产地证书", "原产地证书", yearCount(seed, "column/原产地证书", 13, year, 1))
	spread("微信公众号", "发文", "一站式服务", "一站式服务", yearCount(seed, "column/一站式服务", 6, year, 1))
	spread("视频号", "直播", "微直播：海关政策解读", "", yearCount(seed, "lives", 6, year, 1))
	dy.posts = posts.Bytes()
	var fol bytes.Buffer
	fol.WriteString("平台,账号,统计日期,关注人数\n")
	prev, cur := followersAt(seed, year-1), followersAt(seed, year)
	for m := 1; m <= 12; m++ {
		last := time.Date(year, time.Month(m)+1, 0, 0, 0, 0, 0, cst)
		if !last.Before(to) {
			break
		}
		fmt.Fprintf(&fol, "微信公众号,福州海关12360,%s,%d\n", last.Format("2006-01-02"), prev+(cur-prev)*int64(m)/12)
	}
	dy.followers = fol.Bytes()

	// Press conferences on the trade figures, and outreach to enterprises.
	days := to.Sub(from).Hours() / 24
	onDay := func(frac float64) string { return desk.Day(from.Add(time.Duration(frac*days*24) * time.Hour)) }
	press := yearCount(seed, "press", 2, year, 1)
	for i := 0; i < press; i++ {
		title := []string{fmt.Sprintf("福州海关%d年外贸进出口数据新闻发布会", year-1), fmt.Sprintf("福州海关%d年上半年外贸统计数据新闻发布会", year),
			fmt.Sprintf("福州海关%d年前三季度外贸统计数据新闻发布会", year)}[i%3]
		dy.outreach = append(dy.outreach, desk.Outreach{UnitID: staff.UnitID, Kind: "press", Day: onDay((float64(i) + 0.1) / float64(press)), Title: title})
	}
	topics := []string{"RCEP 原产地规则", "主动披露政策", "汇总征税", "加工贸易监管", "跨境电商", "AEO 认证", "税收政策", "进口食品注册", "出口农产品", "两步申报", "属地查检", "知识产权海关保护"}
	events := yearCount(seed, "outreach", 9, year, 3)
	for i := 0; i < events; i++ {
		dy.outreach = append(dy.outreach, desk.Outreach{UnitID: staff.UnitID, Kind: "outreach", Day: onDay((float64(i) + 0.3 + 0.4*rng.Float64()) / float64(events)),
			Title: topics[(i+year)%len(topics)] + "宣讲会", Enterprises: int64(50 + rng.IntN(80))})
	}

	// The year's questionnaire (March to the end of November, or to a few
	// days before the end of the records), and further answers to the
	// website's.
	titles := []string{"政府信息公开工作满意度调查问卷", "12360 热线服务调查问卷", "跨境电商企业通关服务调查问卷"}
	closed := time.Date(year, 11, 30, 18, 0, 0, 0, cst)
	if limit := stop.AddDate(0, 0, -3); closed.After(limit) {
		closed = time.Date(limit.Year(), limit.Month(), limit.Day(), 18, 0, 0, 0, cst)
	}
	dy.survey = surveySpec{title: fmt.Sprintf("%s（%d年）", titles[year%len(titles)], year), intro: "为改进本关政府信息公开和政务服务工作，诚邀您填写本问卷。", qs: []qspec{
		{desk.QSingle, "您对本关政府信息公开和政务服务工作的总体评价是？", "非常满意\n满意\n基本满意\n不满意", true, []int{64, 26, 8, 2}},
		{desk.QMulti, "您通常通过哪些渠道获取本关的政策信息？", "门户网站\n微信公众号\n12360 热线\n新闻发布会", true, []int{55, 60, 35, 15}},
		{desk.QText, "您对本关政府信息公开工作有什么意见建议？", "", false, nil},
	}, answers: 30 + rng.IntN(31), opened: time.Date(year, 3, 1, 9, 0, 0, 0, cst), closed: closed}
	gap := closed.Sub(dy.survey.opened) / time.Duration(dy.survey.answers+1)
	for i := 0; i < dy.survey.answers; i++ {
		dy.surveyAnswers = append(dy.surveyAnswers, plannedResponse{at: dy.survey.opened.Add(gap * time.Duration(i+1)), answers: drawAnswers(rng, dy.survey.qs)})
	}
	web := int(math.Round(float64(15+rng.IntN(21)) * share))
	for i := 0; i < web; i++ {
		dy.websiteAnswers = append(dy.websiteAnswers, plannedResponse{at: from.Add(to.Sub(from) / time.Duration(web+1) * time.Duration(i+1)), answers: drawAnswers(rng, seedSurveys[1].qs)})
	}

	// A complaint in the first later year, and in each later one as often
	// as not: concluded within a fortnight, unless the records end first.
	if year == PublishYear+1 || rng.IntN(2) == 0 {
		rec := from.AddDate(0, 1+rng.IntN(8), rng.IntN(28))
		c := desk.Complaint{UnitID: staff.UnitID, ReceivedOn: desk.Day(rec), Channel: []string{"信函", "电话", "网站"}[rng.IntN(3)], Complainant: personName(rng),
			Subject: "信息更新不及时", Summary: "投诉人反映门户网站个别栏目的办事指南未及时更新。"}
		if done := rec.AddDate(0, 0, 8+rng.IntN(7)); !done.After(stop) {
			c.Outcome, c.OutcomeNote, c.ConcludedOn = "partly", "经核查，个别办事指南更新不及时，已督促相关处室更新并答复投诉人。", desk.Day(done)
		}
		dy.complaints = append(dy.complaints, c)
	}
	return dy
}

// recordsEnd is the end of demoUntil (Beijing time): a reply approved
// after it has not been given yet.
func recordsEnd() time.Time {
	y, _ := time.Parse("2006-01-02", demoUntil)
	_, to, _ := span(y.Year())
	return to.Add(-time.Microsecond)
}

// followersAt is the 公众号's followers at the end of a year: the seed
// year's, grown each later year by its rate (followers grow).
func followersAt(seed uint64, year int) int64 {
	v := float64(seedFollowers)
	for y := PublishYear + 1; y <= year; y++ {
		v *= 1 + math.Abs(rate(seed, "followers", y))
	}
	return int64(math.Round(v))
}

// cutHistory keeps what of an enquiry's history happened by end: nothing
// when it was received after it; otherwise its events up to end (a reply
// approved later is still open then).
func cutHistory(h desk.History, end time.Time) (desk.History, bool) {
	if h.Enquiry.ReceivedAt.After(end) {
		return h, false
	}
	for i, e := range h.Events {
		if e.At.After(end) {
			h.Events = h.Events[:i]
			break
		}
	}
	return h, true
}

// loadDeskYear writes a later year of the desk, cut at the world's end.
func loadDeskYear(ctx context.Context, st DeskStore, w World, actor audit.Actor, dy deskYear, website int64) error {
	unitID := actor.UnitID
	for _, f := range []struct {
		kind, name string
		csv        []byte
	}{
		{desk.ImportCDR, fmt.Sprintf("12360话单-%d.csv", dy.year), dy.cdr},
		{desk.ImportCalls, fmt.Sprintf("12360工单-%d.csv", dy.year), dy.calls},
		{desk.ImportVisits, fmt.Sprintf("门户网站访问量-%d.csv", dy.year), dy.visits},
		{desk.ImportPosts, fmt.Sprintf("新媒体发文-%d.csv", dy.year), dy.posts},
		{desk.ImportFollowers, fmt.Sprintf("公众号关注人数-%d.csv", dy.year), dy.followers},
	} {
		if err := importDesk(ctx, st, actor, unitID, f.kind, f.name, f.csv); err != nil {
			return err
		}
	}
	var hist []desk.History
	for _, h := range dy.enquiries {
		if h, ok := cutHistory(h, w.end()); ok {
			hist = append(hist, h)
		}
	}
	for len(hist) > 0 {
		n := min(250, len(hist))
		if err := st.ImportEnquiryHistory(ctx, actor, hist[:n]); err != nil {
			return fmt.Errorf("demo enquiries: %w", err)
		}
		hist = hist[n:]
	}
	for _, o := range dy.outreach {
		if err := st.CreateOutreach(ctx, actor, &o); err != nil {
			return err
		}
	}
	sv, err := createSurvey(ctx, st, actor, unitID, dy.survey)
	if err != nil {
		return err
	}
	if err := st.ImportSurveyResponses(ctx, actor, sv.ID, storedResponses(sv, dy.surveyAnswers)); err != nil {
		return fmt.Errorf("demo survey answers: %w", err)
	}
	if err := st.CloseSurveyAt(ctx, actor, sv.ID, dy.survey.closed); err != nil {
		return err
	}
	if website != 0 && len(dy.websiteAnswers) > 0 {
		ws, err := st.Survey(ctx, website)
		if err != nil {
			return err
		}
		if err := st.ImportSurveyResponses(ctx, actor, website, storedResponses(ws, dy.websiteAnswers)); err != nil {
			return fmt.Errorf("demo website survey answers: %w", err)
		}
	}
	for _, c := range dy.complaints {
		outcome, note, day := c.Outcome, c.OutcomeNote, c.ConcludedOn
		c.Outcome, c.OutcomeNote, c.ConcludedOn = "", "", ""
		if err := st.CreateComplaint(ctx, actor, &c); err != nil {
			return err
		}
		if outcome != "" {
			if err := st.ConcludeComplaint(ctx, actor, c.ID, outcome, note, day); err != nil {
				return err
			}
		}
	}
	return nil
}
