package desk

import (
	"fmt"
	"sort"
	"strings"
)

// Figures are the desk's figures for one year and one scope, each counted
// from the records (the store's DeskFigures computes them; nothing here is
// stored). Years are calendar years in Beijing time.
type Figures struct {
	Year int

	// Hotline, from the call-detail records of completed imports.
	CallsOffered   int64
	CallsAnswered  int64
	CallsAbandoned int64
	Connection     Rate
	// Mean seconds queueing and ringing (all offered calls) and talking
	// (answered calls), from the same records; 0 when there were none.
	AvgWaitSecs int64
	AvgTalkSecs int64
	// Hotline records (工单) and their ratings.
	HotlineRecords int64
	RatingCounts   map[int]int64
	Satisfaction   Score

	// Web consultations and messages.
	Consult EnquiryFigures
	Message EnquiryFigures

	// Website visits counted by the server (and imported history).
	PageViews     int64
	VisitsByGroup map[string]int64

	// New media.
	Platforms []PlatformFigures // platforms with an account, in Platforms order
	Lives     int64             // live streams on every platform
	Columns   []ColumnFigures   // special columns, most issues first

	// Press conferences and outreach.
	PressConferences int64
	OutreachEvents   int64
	Enterprises      int64 // reached by outreach events

	// Surveys open in the year and the responses received in it.
	Surveys         []SurveyFigures
	SurveyResponses int64

	// Complaints about disclosure work.
	ComplaintsReceived  int64
	ComplaintsConcluded int64
	ComplaintOutcomes   map[string]int64
}

// EnquiryFigures count one kind of web enquiry.
type EnquiryFigures struct {
	Received  int64 // received in the year
	Handled   int64 // reply approved in the year (答复 / 办理)
	Published int64 // of those handled, published on the portal
	Dismissed int64 // closed without a reply in the year
	AvgDays   Days  // mean handling time of those handled
	// At the end of the year (now, for the year under way): still waiting
	// for a reply, and of those, waiting longer than the limit.
	OpenAtYearEnd    int64
	OverdueAtYearEnd int64
}

// PlatformFigures count one platform's accounts.
type PlatformFigures struct {
	Platform       string
	Accounts       int64
	Posts          int64 // posts (not live streams)
	Lives          int64
	Followers      int64 // each account's last count recorded in the year, summed over the accounts that have one
	FollowersKnown bool
}

// ColumnFigures count the issues of a special column (专栏).
type ColumnFigures struct {
	Platform string
	Column   string
	Issues   int64
}

// SurveyFigures are a survey's responses in the year.
type SurveyFigures struct {
	ID        int64
	Title     string
	Responses int64
}

// Platform returns a platform's figures (zero when the scope has no account on it).
func (f Figures) Platform(key string) PlatformFigures {
	for _, p := range f.Platforms {
		if p.Platform == key {
			return p
		}
	}
	return PlatformFigures{Platform: key}
}

// SectionOneThree is what section 一（三） of the annual report
// (信息公开平台建设情况) and the desk's back-office page show: the year's
// figures and the year before's, with the growth between them.
type SectionOneThree struct {
	Scope    Scope
	Year     int
	Current  Figures
	Previous Figures
}

// Growth is a change on the year before in tenths of a per cent (169 is
// +16.9%).
type Growth struct {
	Tenths int64
	Valid  bool // false when the year before had nothing to compare with
}

// GrowthOf is (cur − prev) ÷ prev, rounded half away from zero to one decimal.
func GrowthOf(cur, prev int64) Growth {
	if prev <= 0 {
		return Growth{}
	}
	d := (cur - prev) * 1000
	if d < 0 {
		return Growth{Tenths: -roundDiv(-d, prev), Valid: true}
	}
	return Growth{Tenths: roundDiv(d, prev), Valid: true}
}

func (g Growth) String() string {
	if !g.Valid {
		return "—"
	}
	sign := "+"
	t := g.Tenths
	if t < 0 {
		sign, t = "-", -t
	}
	return fmt.Sprintf("%s%d.%d%%", sign, t/10, t%10)
}

// Plain is the growth as a report prints it: no plus sign, no trailing
// ".0" (「增长16.9%」, 「增长14%」).
func (g Growth) Plain() string {
	t := g.Tenths
	if t < 0 {
		t = -t
	}
	if t%10 == 0 {
		return fmt.Sprintf("%d%%", t/10)
	}
	return fmt.Sprintf("%d.%d%%", t/10, t%10)
}

// Row is one line of the figures table.
type Row struct {
	Group    string
	Label    string
	Current  string
	Previous string
	Growth   string
	Link     string // the back-office page with the records behind it
}

// Rows lists every figure with last year's and the growth, in the order
// the report's section 一（三） names them.
func (s SectionOneThree) Rows() []Row {
	c, p := s.Current, s.Previous
	n := func(v int64) string { return fmt.Sprint(v) }
	gr := func(a, b int64) string { return GrowthOf(a, b).String() }
	rows := []Row{
		{"12360 热线", "来电量（呼入，话单）", n(c.CallsOffered), n(p.CallsOffered), gr(c.CallsOffered, p.CallsOffered), "/admin/desk/imports"},
		{"12360 热线", "接听量（接听热线电话咨询条次）", n(c.CallsAnswered), n(p.CallsAnswered), gr(c.CallsAnswered, p.CallsAnswered), "/admin/desk/imports"},
		{"12360 热线", "放弃量", n(c.CallsAbandoned), n(p.CallsAbandoned), gr(c.CallsAbandoned, p.CallsAbandoned), "/admin/desk/imports"},
		{"12360 热线", "接通率", c.Connection.String(), p.Connection.String(), "", "/admin/desk/imports"},
		{"12360 热线", "平均排队振铃时长（秒）", n(c.AvgWaitSecs), n(p.AvgWaitSecs), "", "/admin/desk/imports"},
		{"12360 热线", "平均通话时长（秒）", n(c.AvgTalkSecs), n(p.AvgTalkSecs), "", "/admin/desk/imports"},
		{"12360 热线", "热线工单", n(c.HotlineRecords), n(p.HotlineRecords), gr(c.HotlineRecords, p.HotlineRecords), "/admin/desk/calls"},
		{"12360 热线", "满意度得分（分）", c.Satisfaction.String(), p.Satisfaction.String(), "", "/admin/desk/calls"},
		{"网上咨询", "收到咨询", n(c.Consult.Received), n(p.Consult.Received), gr(c.Consult.Received, p.Consult.Received), "/admin/desk/enquiries?kind=consult"},
		{"网上咨询", "答复咨询", n(c.Consult.Handled), n(p.Consult.Handled), gr(c.Consult.Handled, p.Consult.Handled), "/admin/desk/enquiries?kind=consult&state=done"},
		{"网上咨询", "平均办理时效（自然日）", c.Consult.AvgDays.String(), p.Consult.AvgDays.String(), "", ""},
		{"网上留言", "收到留言", n(c.Message.Received), n(p.Message.Received), gr(c.Message.Received, p.Message.Received), "/admin/desk/enquiries?kind=message"},
		{"网上留言", "办理留言", n(c.Message.Handled), n(p.Message.Handled), gr(c.Message.Handled, p.Message.Handled), "/admin/desk/enquiries?kind=message&state=done"},
		{"网上留言", "平均办理时效（自然日）", c.Message.AvgDays.String(), p.Message.AvgDays.String(), "", ""},
		{"网上留言", "年末超期未答复（咨询和留言）", n(c.Consult.OverdueAtYearEnd + c.Message.OverdueAtYearEnd), n(p.Consult.OverdueAtYearEnd + p.Message.OverdueAtYearEnd), "", "/admin/desk/enquiries?state=open"},
		{"门户网站", "网站访问量（次）", n(c.PageViews), n(p.PageViews), gr(c.PageViews, p.PageViews), "/admin/desk/visits"},
	}
	for _, pl := range c.Platforms {
		pp := p.Platform(pl.Platform)
		label := PlatformLabel(pl.Platform)
		rows = append(rows, Row{"新媒体", label + " 发文", n(pl.Posts), n(pp.Posts), gr(pl.Posts, pp.Posts), "/admin/desk/media"})
		if pl.FollowersKnown {
			rows = append(rows, Row{"新媒体", label + " 关注人数（年末）", n(pl.Followers), n(pp.Followers), gr(pl.Followers, pp.Followers), "/admin/desk/media"})
		}
	}
	rows = append(rows, Row{"新媒体", "微直播（期）", n(c.Lives), n(p.Lives), gr(c.Lives, p.Lives), "/admin/desk/media"})
	for _, col := range c.Columns {
		var prev int64
		for _, pc := range p.Columns {
			if pc.Column == col.Column && pc.Platform == col.Platform {
				prev = pc.Issues
			}
		}
		rows = append(rows, Row{"新媒体", "“" + col.Column + "”专栏（期）", n(col.Issues), n(prev), gr(col.Issues, prev), "/admin/desk/media"})
	}
	rows = append(rows,
		Row{"发布与宣讲", "新闻发布会（场）", n(c.PressConferences), n(p.PressConferences), gr(c.PressConferences, p.PressConferences), "/admin/desk/outreach"},
		Row{"发布与宣讲", "宣讲活动（场）", n(c.OutreachEvents), n(p.OutreachEvents), gr(c.OutreachEvents, p.OutreachEvents), "/admin/desk/outreach"},
		Row{"发布与宣讲", "覆盖企业（家）", n(c.Enterprises), n(p.Enterprises), gr(c.Enterprises, p.Enterprises), "/admin/desk/outreach"},
		Row{"调查问卷", "发布问卷（份）", n(int64(len(c.Surveys))), n(int64(len(p.Surveys))), "", "/admin/desk/surveys"},
		Row{"调查问卷", "收到答卷（份）", n(c.SurveyResponses), n(p.SurveyResponses), gr(c.SurveyResponses, p.SurveyResponses), "/admin/desk/surveys"},
		Row{"投诉", "收到政府信息公开工作投诉（件）", n(c.ComplaintsReceived), n(p.ComplaintsReceived), "", "/admin/desk/complaints"},
		Row{"投诉", "办结投诉（件）", n(c.ComplaintsConcluded), n(p.ComplaintsConcluded), "", "/admin/desk/complaints"},
	)
	return rows
}

// Narrative writes the desk's part of section 一（三） the way the seed
// report words it, from the figures. Figures that are zero are left out
// rather than printed as nothing done.
func (s SectionOneThree) Narrative() string {
	c, p := s.Current, s.Previous
	var parts []string
	switch {
	case c.CallsOffered > 0:
		t := fmt.Sprintf("接听热线电话咨询%d条次，接通率%s", c.CallsAnswered, c.Connection)
		if c.Satisfaction.Valid {
			t += fmt.Sprintf("，满意度得分%s分", c.Satisfaction)
		}
		parts = append(parts, t)
	case c.HotlineRecords > 0:
		t := fmt.Sprintf("受理热线咨询%d条次", c.HotlineRecords)
		if c.Satisfaction.Valid {
			t += fmt.Sprintf("，满意度得分%s分", c.Satisfaction)
		}
		parts = append(parts, t)
	}
	var web []string
	if c.Consult.Handled > 0 {
		web = append(web, fmt.Sprintf("答复门户网站咨询%d条", c.Consult.Handled))
	}
	if c.Message.Handled > 0 {
		web = append(web, fmt.Sprintf("办理留言%d条，平均办理时效%s个自然日", c.Message.Handled, c.Message.AvgDays))
	}
	if g := GrowthOf(c.PageViews, p.PageViews); g.Valid {
		verb := "增长"
		if g.Tenths < 0 {
			verb = "下降"
		}
		web = append(web, "网站访问量"+verb+g.Plain())
	}
	if len(web) > 0 {
		parts = append(parts, strings.Join(web, "，"))
	}
	var media []string
	if c.Lives > 0 {
		media = append(media, fmt.Sprintf("开展“微直播”%d期", c.Lives))
	}
	var posts []string
	for _, pl := range c.Platforms {
		if pl.Posts == 0 {
			continue
		}
		switch pl.Platform {
		case "weibo":
			posts = append(posts, fmt.Sprintf("微博%d条", pl.Posts))
		case "wechat":
			posts = append(posts, fmt.Sprintf("微信公众号文章%d条", pl.Posts))
		default:
			posts = append(posts, fmt.Sprintf("%s作品%d条", PlatformLabel(pl.Platform), pl.Posts))
		}
	}
	if len(posts) > 0 {
		media = append(media, "发布"+strings.Join(posts, "，"))
	}
	for _, col := range c.Columns {
		media = append(media, fmt.Sprintf("推出“%s”专栏内容%d期", col.Column, col.Issues))
	}
	for _, pl := range c.Platforms {
		if !pl.FollowersKnown {
			continue
		}
		if g := GrowthOf(pl.Followers, p.Platform(pl.Platform).Followers); g.Valid && p.Platform(pl.Platform).FollowersKnown {
			verb := "同比增长"
			if g.Tenths < 0 {
				verb = "同比下降"
			}
			media = append(media, PlatformLabel(pl.Platform)+"关注人数"+verb+g.Plain())
		}
	}
	if len(media) > 0 {
		parts = append(parts, "通过新媒体"+strings.Join(media, "，"))
	}
	var out []string
	if c.PressConferences > 0 {
		out = append(out, fmt.Sprintf("召开新闻发布会%d场", c.PressConferences))
	}
	if c.OutreachEvents > 0 {
		t := fmt.Sprintf("组织宣讲活动%d场", c.OutreachEvents)
		if c.Enterprises > 0 {
			t += "，覆盖企业" + About(c.Enterprises) + "家"
		}
		out = append(out, t)
	}
	if len(out) > 0 {
		parts = append(parts, strings.Join(out, "，"))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "。") + "。"
}

// NarrativeOversight writes the desk's part of section 一（四）: the surveys
// published and the complaints received.
func (s SectionOneThree) NarrativeOversight() string {
	c := s.Current
	var parts []string
	if len(c.Surveys) > 0 {
		var titles []string
		for _, sv := range c.Surveys {
			titles = append(titles, "《"+sv.Title+"》")
		}
		parts = append(parts, "通过门户网站发布"+strings.Join(titles, "")+"等调查问卷，收集企业群众意见建议")
	}
	if c.ComplaintsReceived == 0 {
		parts = append(parts, "年内未收到政府信息公开相关投诉事项")
	} else {
		t := fmt.Sprintf("年内收到政府信息公开相关投诉%d件", c.ComplaintsReceived)
		if c.ComplaintsConcluded > 0 {
			t += fmt.Sprintf("，办结%d件", c.ComplaintsConcluded)
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, "。") + "。"
}

// SortColumns orders columns by issues (most first), then by name.
func SortColumns(cs []ColumnFigures) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Issues != cs[j].Issues {
			return cs[i].Issues > cs[j].Issues
		}
		return cs[i].Column < cs[j].Column
	})
}
