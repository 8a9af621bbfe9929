package demo

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/rectify"
	"gongkai/internal/report"
)

// reportStore is what the report's part of the demo writes through.
type reportStore interface {
	report.Sources
	SetUnitSettings(ctx context.Context, actor audit.Actor, unitID int64, values map[string]string) error
}

// FuzhouProfile is 福州海关's report settings as its 2024 report prints them:
// the office, its address and contacts, the portal, the customs rows of
// table 三.
var FuzhouProfile = map[string]string{
	"report.office":       "福州海关政务公开办公室",
	"report.address":      "福建省福州市江滨东大道76号",
	"report.postcode":     "350015",
	"report.telephone":    "（0591）87081207",
	"report.email":        "fzhgxxgk@customs.gov.cn",
	"report.portal_name":  "福州海关门户网站",
	"report.portal_url":   "http://fuzhou.customs.gov.cn",
	"report.customs_rows": "1",
}

// FuzhouTemplate is the template 福州海关's staff keep for its 本级机关
// report: the prose of its 2024 report (the seed) with every figure a
// placeholder bound to the catalogue. Filled from the records of 2024 it
// prints the seed's sections 一 and 六; filled from another year's, that
// year's figures.
var FuzhouTemplate = annual.TextTemplate{Parts: []annual.TemplatePart{
	{Key: annual.PartPublishing, Heading: "（一）主动公开信息情况。",
		Body: "{年度}年，{主体}通过门户网站发布公告{主动公开.公告}条，通告{主动公开.通告}条，通知{主动公开.通知}条，采购招标信息{主动公开.采购招标信息}条，" +
			"行政执法“双公示”{主动公开.行政执法双公示}条，“双随机、一公开”信息{主动公开.双随机、一公开}条，公务员考录和事业单位招聘信息{主动公开.公务员考录和事业单位招聘}条，" +
			"“关长接待日”信息{主动公开.关长接待日}期，网站发布信息同比{主动公开.发布总数:增长}。更新办事指南等信息{主动公开.更新条次}条次。"},
	{Key: annual.PartRequests, Heading: "（二）依申请公开办理情况。",
		Body: "严格落实依申请公开办理流程，加强与申请人沟通。调整更新信息公开答复文书模板，保障申请人救济权利。" +
			"{年度}年{范围}共收到依申请公开{依申请.新收}件，内容涉及{依申请.内容涉及}等，其中办理答复{依申请.办理答复}件，申请人撤回{依申请.撤回}件，{复议诉讼.情况}。"},
	{Key: annual.PartPlatforms, Heading: "（三）信息公开平台建设情况。",
		Body: "保持热线发展势头，接听热线电话咨询{热线.接听量}条次，接通率{热线.接通率}，满意度得分{热线.满意度}分。" +
			"优化网站服务，通过门户网站发布政策指南和办理指引{主动公开.政策指南和办理指引}篇次，答复门户网站咨询{咨询.答复}条，办理留言{留言.办理}条，" +
			"平均办理时效{留言.平均办理时效}个自然日，网站访问量{网站.访问量:增长}。升级优化“RCEP 关税政策服务平台”，实现企业“享惠智选”。" +
			"提升新媒体水平，紧扣政策热点和企业群众关注焦点，通过“福州海关 12360”新媒体开展“微直播”{新媒体.微直播}期，" +
			"发布各类政策宣讲、操作指引、通关指南等微博{新媒体.微博.发文}条，微信公众号文章{新媒体.微信公众号.发文}条，" +
			"推出“原产地证书”专栏内容{新媒体.专栏.原产地证书}期，针对“零基础”企业开展进出口业务推出芦柑出口等“一站式服务”文章{新媒体.专栏.一站式服务}期，" +
			"帮助企业畅享海关政策红利，微信公众号关注人数同比{新媒体.微信公众号.关注人数:增长}。" +
			"召开统计数据等新闻发布会{发布会.场次}场，组织主动披露政策等宣讲，覆盖企业{宣讲.覆盖企业:约数}家。"},
	{Key: annual.PartOversight, Heading: "（四）信息公开管理和监督保障情况。",
		Body: "持续加强信息公开审查要求，按照“谁制作、谁认定”原则确定政府信息公开属性，按照“先审查、后公开”“谁公开、谁审查”“谁审查、谁负责”原则做好发布管理，" +
			"对政府信息不予公开决定进行法制审核。加强日常指导，压实考核责任，定期对门户网站公开信息开展检查，确保各部门信息发布规范、及时。" +
			"通过门户网站发布{调查问卷.标题}等，收集企业群众意见建议，改进政府信息公开工作。{投诉.情况}。"},
	{Key: annual.PartOther},
}}

// fuzhouTemplate2023 is the template as 福州海关's office kept it for the
// 2023 report: the same wording without the growth figures, which the
// records (from 2023 on) cannot give for 2023.
func fuzhouTemplate2023() annual.TextTemplate {
	cut := strings.NewReplacer(
		"，网站发布信息同比{主动公开.发布总数:增长}", "",
		"，网站访问量{网站.访问量:增长}", "",
		"，微信公众号关注人数同比{新媒体.微信公众号.关注人数:增长}", "")
	var t annual.TextTemplate
	for _, p := range FuzhouTemplate.Parts {
		p.Body = cut.Replace(p.Body)
		t.Parts = append(t.Parts, p)
	}
	return t
}

// loadReport writes the site unit's report settings, then for each year to
// publish the template of that year and the report built with it, and
// leaves the current template in place. Each template is checked against
// the catalogue of its year as the template editor checks it.
func loadReport(ctx context.Context, st Store, unitID int64, publish []int, note func(string)) error {
	rs, ok := st.(reportStore)
	if !ok {
		return nil // a store without reports (tests of the spine)
	}
	values := map[string]string{}
	for k, v := range FuzhouProfile {
		values[k] = v
	}
	actor := audit.System("demo")
	if err := rs.SetUnitSettings(ctx, actor, unitID, values); err != nil {
		return fmt.Errorf("demo report settings: %w", err)
	}
	setTemplate := func(t annual.TextTemplate, year int) error {
		facts, err := report.Gather(ctx, rs, report.Request{UnitID: unitID, Year: year, Scope: annual.ScopeSelf, Now: time.Now()})
		if err != nil {
			return fmt.Errorf("demo report: %w", err)
		}
		enc, err := report.EncodeTemplate(t, report.Defs(report.Catalogue(facts)))
		if err != nil {
			return fmt.Errorf("demo report template: %w", err)
		}
		return rs.SetUnitSettings(ctx, actor, unitID, map[string]string{report.TemplateKey(annual.ScopeSelf): enc})
	}
	for _, y := range publish {
		t := FuzhouTemplate
		if y < PublishYear {
			t = fuzhouTemplate2023()
		}
		if err := setTemplate(t, y); err != nil {
			return err
		}
		if err := publishReport(ctx, st, unitID, y, note); err != nil {
			return err
		}
	}
	return setTemplate(FuzhouTemplate, PublishYear)
}

// problemStore registers the register's history.
type problemStore interface {
	ImportProblem(ctx context.Context, actor audit.Actor, who rectify.Actor, unitID int64, events []rectify.Event) (rectify.Problem, error)
}

// FuzhouProblems is 福州海关's rectification register behind its reports'
// section 五: the problem its 2023 report stated, rectified in 2024 by three
// measures (the seed's 五（一）); the problem of 2024 (the seed's 五（二）),
// rectified in 2025; and a problem of 2025 being rectified.
func FuzhouProblems(officeDept int64) [][]rectify.Event {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, cst) }
	return [][]rectify.Event{
		{
			{Kind: rectify.EvCreated, At: at(2024, time.January, 22), Fields: &rectify.Fields{Year: 2023, Source: rectify.FromLastReport, SourceRef: "2023年年报",
				Description: "对外提供服务的事业单位信息公开工作还有差距，仍存在工作基础较为薄弱、公开事项不全面、个别信息更新不及时等问题",
				OwnerDept:   officeDept, OwnerName: "政务公开办公室", Deadline: civil(2024, time.December, 31)}},
			{Kind: rectify.EvMeasureAdded, At: at(2024, time.February, 5), Text: "压实工作责任，将事业单位政府信息公开质量和基层政务公开标准化规范化建设情况纳入年度考核事项"},
			{Kind: rectify.EvMeasureAdded, At: at(2024, time.February, 5), Text: "加强工作指导，对事业单位信息公开情况开展指导，重点提升公开效能"},
			{Kind: rectify.EvMeasureAdded, At: at(2024, time.March, 11), Text: "主动查摆问题，结合 12345 热线等渠道诉求，征集群众建议，深入剖析成因，改进服务质量"},
			{Kind: rectify.EvMeasureDone, At: at(2024, time.June, 28), Measure: 1},
			{Kind: rectify.EvMeasureDone, At: at(2024, time.September, 30), Measure: 2},
			{Kind: rectify.EvMeasureDone, At: at(2024, time.December, 20), Measure: 3},
			{Kind: rectify.EvClosed, At: at(2024, time.December, 27), Outcome: "2024 年事业单位投诉事项明显下降。"},
		},
		{
			{Kind: rectify.EvCreated, At: at(2024, time.December, 16), Fields: &rectify.Fields{Year: 2024, Source: rectify.FromSurvey, SourceRef: "2024年新媒体调查问卷",
				Description: "“福州海关 12360”热线新媒体在做好信息发布和咨询服务的同时，与网友互动形式较为单一，形象不够活泼可亲。",
				OwnerDept:   officeDept, OwnerName: "12360热线服务中心"}},
			// Rectified in 2025 (the 2025 report's section 五（一）).
			{Kind: rectify.EvMeasureAdded, At: at(2025, time.February, 17), Text: "开设“关务小课堂”互动栏目，每月开展一次线上答疑"},
			{Kind: rectify.EvMeasureAdded, At: at(2025, time.March, 3), Text: "优化新媒体内容风格，增加图解、短视频等形式"},
			{Kind: rectify.EvMeasureDone, At: at(2025, time.June, 30), Measure: 1},
			{Kind: rectify.EvMeasureDone, At: at(2025, time.September, 26), Measure: 2},
			{Kind: rectify.EvClosed, At: at(2025, time.December, 19), Outcome: "2025 年新媒体互动留言数量较上年明显增加。"},
		},
		{
			{Kind: rectify.EvCreated, At: at(2025, time.November, 28), Fields: &rectify.Fields{Year: 2025, Source: rectify.FromInspection, SourceRef: "2025年第四季度网站检查",
				Description: "部分栏目信息更新频率不高，个别办事指南要素不够完整。",
				OwnerDept:   officeDept, OwnerName: "政务公开办公室", Deadline: civil(2026, time.June, 30)}},
			{Kind: rectify.EvMeasureAdded, At: at(2025, time.December, 8), Text: "建立栏目更新台账，按月通报更新情况"},
		},
	}
}

// loadProblems registers 福州海关's problems, each with the steps taken by
// the world's last day.
func loadProblems(ctx context.Context, st Store, w World, unitID, officeDept int64) error {
	ps, ok := st.(problemStore)
	if !ok {
		return nil
	}
	end := w.end()
	for _, all := range FuzhouProblems(officeDept) {
		var evs []rectify.Event
		for _, e := range all {
			if e.At.Before(end) {
				evs = append(evs, e)
			}
		}
		if len(evs) == 0 {
			continue
		}
		if _, err := ps.ImportProblem(ctx, audit.System("demo"), rectify.SystemActor("系统(demo)"), unitID, evs); err != nil {
			return fmt.Errorf("demo register: %w", err)
		}
	}
	return nil
}

func civil(y int, m time.Month, d int) calendar.Date {
	c, _ := calendar.NewDate(y, m, d)
	return c
}

// publisher publishes the demo's reports.
type publisher interface {
	report.Store
	Setting(ctx context.Context, key, def string) (string, error)
}

// publishReport publishes the site unit's 本级机关 report of a year, as its
// office would have: built from the records, checked, frozen. Without the
// PDF font (Debian's fonts-arphic-gbsn00lp) it stays a draft, and the demo
// says so.
func publishReport(ctx context.Context, st Store, unitID int64, year int, note func(string)) error {
	ps, ok := st.(publisher)
	if !ok {
		return nil
	}
	opts, err := report.RenderOptionsOf(ctx, ps)
	if err != nil {
		return err
	}
	if _, err := os.Stat(opts.PDFFont); err != nil {
		note(fmt.Sprintf("未找到年报 PDF 所用字体 %s（Debian 软件包 fonts-arphic-gbsn00lp），演示数据中 %d 年的年度报告保持草稿，未发布。", opts.PDFFont, year))
		return nil
	}
	_, d, err := report.Publish(ctx, ps, audit.System("demo"), report.SystemActor("demo"), report.Publication{
		Request: report.Request{UnitID: unitID, Year: year, Scope: annual.ScopeSelf, Now: time.Now()}}, opts)
	if err != nil && d != nil {
		for _, f := range d.Doc.Report.Findings {
			if f.Severity == annual.Error {
				return fmt.Errorf("demo report %d: %s %s: %s", year, f.Rule, f.Where, f.Message)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("demo report %d: %w", year, err)
	}
	return nil
}
