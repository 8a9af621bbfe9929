package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// PublishYear is the year whose publishing the demo mirrors: the year of
// the seed report (福州海关（本级机关）2024年政府信息公开工作年度报告). Its
// section 一（一） and table 二 come out of these records: 公告1条，通告2条，
// 通知8条，采购招标信息248条，行政执法“双公示”378条，“双随机、一公开”信息125条，
// 公务员考录和事业单位招聘信息11条，“关长接待日”信息12期, growth 27.4% on
// the year before, 更新办事指南等信息11条次; 政策指南和办理指引52篇次; 新闻发布会
// 2场; 行政规范性文件 1 issued, 1 abolished, 32 in force; 行政许可 1348.
const PublishYear = 2024

// publishStore is what the publishing demo needs of the store.
type publishStore interface {
	EnsureCatalogue(ctx context.Context, actor audit.Actor, unitID int64, specs []publish.CategorySpec) (bool, error)
	PublishCategories(ctx context.Context, unitID int64) ([]publish.Category, error)
	ImportItems(ctx context.Context, actor audit.Actor, unitID int64, items []publish.ImportItem) ([]int64, error)
	AddDecisions(ctx context.Context, actor audit.Actor, unitID int64, ds []publish.Decision, batch string) error
}

// reviewerDepts get a reviewer of their own (谁公开、谁审查); 办公室's is
// the demo account "reviewer".
var reviewerDepts = []struct{ username, dept string }{
	{"zhyw-sc", "综合业务处"}, {"jgtg-sc", "监管通关处"}, {"gs-sc", "关税处"}, {"qg-sc", "企业管理和稽查处"},
	{"rs-sc", "人事处"}, {"cw-sc", "财务处"}, {"zcfg-sc", "政策法规处"},
}

// cst is Beijing time, the clock of the demo's office hours.
var cst = time.FixedZone("CST", 8*3600)

// pubGen builds the demo's publishing history.
type pubGen struct {
	seed   uint64
	rng    *rand.Rand
	cal    *calendar.Calendar
	cats   map[string]int64
	depts  map[string]int64
	editor org.User
	revs   map[string]org.User // reviewer by department name
	legal  org.User
	items  []publish.ImportItem
	counts map[int]int // new publications by year
	// later times the updates of seed items in the years after the seed's
	// (spec.later), one source per year, so that the seed's years are
	// drawn as they always were and a later year as it is whatever follows.
	later map[int]*rand.Rand
}

// spec is one item to generate.
type spec struct {
	cat, dept, title, docNo string
	made                    calendar.Date
	body                    []string
	kind                    publish.DocKind
	attr                    publish.Attribute
	ground                  string
	legal                   bool
	uploads                 []publish.Upload
	stop                    publish.State // where the history ends: Published unless set
	delay                   int           // working days from made to publication
	revisions               []calendar.Date
	later                   []calendar.Date // updates in the years after the seed's, timed by pubGen.later
	abolished               calendar.Date
	withdraw                string
}

func (g *pubGen) workdayAfter(d calendar.Date, n int) calendar.Date {
	r, err := g.cal.AddWorkdays(d, n, nil)
	if err != nil {
		return d.AddDays(n)
	}
	return r.Due
}

func at(d calendar.Date, hour, min int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, min, 0, 0, cst).UTC()
}

// events turns a spec into its history.
func (g *pubGen) events(s spec) []publish.Event {
	c := &publish.Content{Title: s.title, DocNo: s.docNo, DepartmentID: g.depts[s.dept], MadeOn: s.made, CategoryID: g.cats[s.cat],
		Attribute: s.attr, Ground: s.ground, DocKind: s.kind, LegalReview: s.legal, Body: bodyHTML(s.body)}
	if c.Attribute == "" {
		c.Attribute = publish.Active
	}
	if c.Ground == "" && c.Attribute == publish.Active {
		c.Ground = publish.DefaultActiveGround
	}
	if s.kind != publish.Ordinary {
		c.ValidFrom = s.made
	}
	rev := g.revs[s.dept]
	if rev.ID == 0 {
		rev = g.revs["办公室"]
	}
	ed := g.editor
	var evs []publish.Event
	add := func(k publish.EventKind, t time.Time, who org.User) *publish.Event {
		evs = append(evs, publish.Event{Kind: k, At: t, ActorID: who.ID, ActorName: who.DisplayName})
		return &evs[len(evs)-1]
	}
	version := 1
	e := add(publish.EvCreate, at(s.made, 9, g.rng.IntN(50)), ed)
	e.Content, e.Version = c, 1
	stop := s.stop
	if stop == "" {
		stop = publish.Published
	}
	if stop == publish.Draft {
		return evs
	}
	add(publish.EvSubmit, at(s.made, 10, g.rng.IntN(50)), ed).Version = version
	if stop == publish.Review {
		return evs
	}
	day := g.workdayAfter(s.made, 1+g.rng.IntN(2))
	add(publish.EvApprove, at(day, 9, 10+g.rng.IntN(40)), rev).Version = version
	if c.NeedsLegal() {
		if stop == publish.Legal {
			return evs
		}
		add(publish.EvLegalApprove, at(day, 15, g.rng.IntN(50)), g.legal).Version = version
	}
	if stop == publish.Approved {
		return evs
	}
	delay := s.delay
	if delay == 0 {
		delay = 2 + g.rng.IntN(5)
	}
	pub := g.workdayAfter(s.made, delay)
	if pub.Before(day) {
		pub = day
	}
	pt := at(pub, 16, g.rng.IntN(50))
	e = add(publish.EvPublish, pt, rev)
	e.Version, e.PublishAt = version, pt
	g.counts[pub.Year()]++
	revise := func(rd calendar.Date, rng *rand.Rand) {
		version++
		nc := *c
		nc.MadeOn = rd
		nc.Body = bodyHTML(append([]string{fmt.Sprintf("（%d年%d月%d日更新）", rd.Year(), rd.Month(), rd.Day())}, s.body...))
		e = add(publish.EvRevise, at(rd, 9, rng.IntN(50)), ed)
		e.Content, e.Version = &nc, version
		add(publish.EvSubmit, at(rd, 10, rng.IntN(50)), ed).Version = version
		add(publish.EvApprove, at(rd, 14, rng.IntN(50)), rev).Version = version
		t := at(rd, 16, rng.IntN(50))
		e = add(publish.EvPublish, t, rev)
		e.Version, e.PublishAt = version, t
	}
	for _, rd := range s.revisions {
		revise(rd, g.rng)
	}
	for _, rd := range s.later {
		revise(rd, g.later[rd.Year()])
	}
	if !s.abolished.IsZero() {
		e = add(publish.EvValidity, at(s.abolished, 11, 0), g.legal)
		e.Version, e.Validity, e.ValidityOn = version, publish.Abolished, s.abolished
	}
	if s.withdraw != "" {
		wd := g.workdayAfter(pub, 3)
		e = add(publish.EvWithdraw, at(wd, 11, 30), rev)
		e.Version, e.Reason = version, s.withdraw
	}
	return evs
}

func bodyHTML(paras []string) string {
	var b strings.Builder
	for _, p := range paras {
		b.WriteString("<p>")
		b.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(p))
		b.WriteString("</p>")
	}
	return b.String()
}

func (g *pubGen) add(s spec) {
	g.items = append(g.items, publish.ImportItem{Events: g.events(s), Uploads: s.uploads})
}

// randomDay picks a working day of year between from and to (months).
func (g *pubGen) randomDay(year int, fromMonth, toMonth time.Month, lastDay int) calendar.Date {
	for {
		m := fromMonth + time.Month(g.rng.IntN(int(toMonth-fromMonth)+1))
		d, err := calendar.NewDate(year, m, 1+g.rng.IntN(28))
		if err != nil || m == toMonth && d.Day() > lastDay {
			continue
		}
		if ok, _ := g.cal.IsWorkday(d); ok {
			return d
		}
	}
}

// spreadDays returns n working days of a year in order, spread evenly,
// none after last (a day of that year, its 28th at the latest).
func (g *pubGen) spreadDays(year, n int, last calendar.Date) []calendar.Date {
	out := make([]calendar.Date, n)
	for i := range out {
		out[i] = g.randomDay(year, time.January, last.Month(), last.Day())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

var normTitles = []string{"管理办法", "实施细则", "暂行规定", "操作规程", "工作规范"}

var procurementItems = []string{"办公设备", "查验设备维保", "缉私艇维修保养", "食堂食材配送", "物业管理服务", "网络安全等级保护测评", "H986集装箱检查设备维护",
	"业务档案数字化加工", "监控系统升级改造", "公务用车定点维修", "办公楼消防设施维保", "机房空调维护", "视频会议系统运维", "实验室检测试剂",
	"执法记录仪", "12360热线外包服务", "印刷服务", "绿化养护", "安保服务", "空调节能改造"}
var procurementKinds = []string{"公开招标公告", "竞争性磋商公告", "中标（成交）结果公告", "询价公告", "更正公告", "单一来源采购公示"}
var licensingMatters = []string{"报关企业注册登记", "出口食品生产企业备案核准", "进境动植物及其产品检疫审批", "保税仓库设立审批", "出口监管仓库设立审批",
	"免税商店设立审批", "暂时进出境货物延期审批", "进境植物繁殖材料隔离检疫圃申请", "出入境特殊物品卫生检疫审批", "从事进出境检疫处理业务的单位认定",
	"加工贸易企业保税货物外发加工备案", "海关监管货物仓储审批"}
var companyHeads = []string{"福建", "福州", "闽", "榕", "马尾", "长乐", "福清", "平潭", "连江", "闽侯"}
var companyMids = []string{"海峡", "东南", "鑫达", "华盛", "恒通", "宏远", "嘉禾", "中闽", "盛丰", "远洋", "天成", "万利", "聚源", "捷安", "融信", "兴业", "永辉", "冠捷", "鸿运", "瑞丰"}
var companyTails = []string{"国际贸易有限公司", "进出口有限公司", "食品有限公司", "供应链管理有限公司", "物流有限公司", "电子科技有限公司", "水产有限公司", "茶业有限公司", "报关有限公司", "鞋业有限公司"}

func (g *pubGen) company() string {
	return companyHeads[g.rng.IntN(len(companyHeads))] + companyMids[g.rng.IntN(len(companyMids))] + companyTails[g.rng.IntN(len(companyTails))]
}

func (g *pubGen) creditCode() string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("91350")
	for len(b) < 18 {
		b = append(b, chars[g.rng.IntN(len(chars))])
	}
	return string(b)
}

// decisions generates a year of licensing decisions, none after last.
func (g *pubGen) decisions(year, n int, last calendar.Date) []publish.Decision {
	days := g.spreadDays(year, n, last)
	out := make([]publish.Decision, n)
	for i := range out {
		m := licensingMatters[g.rng.IntN(len(licensingMatters))]
		out[i] = publish.Decision{Kind: publish.Licensing, DocNo: fmt.Sprintf("福州关许〔%d〕%d号", year, i+1), Subject: g.company(), SubjectType: publish.SubjectOrg,
			CreditCode: g.creditCode(), Matter: m, Result: "准予许可", Basis: "《中华人民共和国行政许可法》《中华人民共和国海关法》及相关规定", DecidedOn: days[i], Publicize: true}
	}
	return out
}

// shuanggongshi makes the year's 双公示 items: each lists the decisions of
// its period, published within days of the last one.
func (g *pubGen) shuanggongshi(year, n int, ds []publish.Decision) {
	per := float64(len(ds)) / float64(n)
	for i := 0; i < n; i++ {
		chunk := ds[int(math.Round(float64(i)*per)):int(math.Round(float64(i+1)*per))]
		if len(chunk) == 0 {
			continue
		}
		last := chunk[len(chunk)-1].DecidedOn
		rows := []string{fmt.Sprintf("根据《中华人民共和国政府信息公开条例》和行政执法公示制度，现将福州海关%d年第%d期行政许可决定公示如下：", year, i+1)}
		for _, d := range chunk {
			rows = append(rows, fmt.Sprintf("%s：%s，%s，%s，决定日期%s。", d.DocNo, d.Subject, d.Matter, d.Result, d.DecidedOn))
		}
		g.add(spec{cat: "shuanggongshi", dept: "综合业务处", title: fmt.Sprintf("福州海关行政许可信息公示（%d年第%d期）", year, i+1), made: last, body: rows, delay: 1 + g.rng.IntN(3)})
	}
}

// yearOfPublishing generates one year's items of the categories the report
// lists, n of each, none made after last (so that all go out in the year,
// or before the records end): the monthly ones up to last's month.
func (g *pubGen) yearOfPublishing(year int, n map[string]int, last calendar.Date) {
	monthDay := func(m time.Month) int { // the last day of a month an item is made on
		if m == last.Month() {
			return min(12, last.Day())
		}
		return 12
	}
	for i, d := range g.spreadDays(year, n["gonggao"], last) {
		g.add(spec{cat: "gonggao", dept: "办公室", title: "福州海关关于" + objects[g.rng.IntN(len(objects))] + "有关事项的公告", docNo: fmt.Sprintf("福州关公告〔%d〕%d号", year, i+1),
			made: d, body: GovParagraphs(g.rng, 3, 3)})
	}
	for i, d := range g.spreadDays(year, n["tonggao"], last) {
		g.add(spec{cat: "tonggao", dept: "监管通关处", title: "福州海关关于" + []string{"打击走私违法犯罪活动", "规范进出境旅客通关秩序", "台风期间船舶进出港监管", "口岸公共卫生安全防控"}[i%4] + "的通告",
			docNo: fmt.Sprintf("福州关通告〔%d〕%d号", year, i+1), made: d, body: GovParagraphs(g.rng, 2, 3)})
	}
	for _, d := range g.spreadDays(year, n["tongzhi"], last) {
		g.add(spec{cat: "tongzhi", dept: "办公室", title: "关于做好" + objects[g.rng.IntN(len(objects))] + "工作的通知", made: d, body: GovParagraphs(g.rng, 3, 2)})
	}
	for _, d := range g.spreadDays(year, n["procurement"], last) {
		s := spec{cat: "procurement", dept: "财务处", title: fmt.Sprintf("福州海关%d年%s项目%s", year, procurementItems[g.rng.IntN(len(procurementItems))], procurementKinds[g.rng.IntN(len(procurementKinds))]),
			made: d, body: GovParagraphs(g.rng, 2, 2)}
		if g.rng.IntN(10) == 0 {
			lines := append([]string{s.title, "一、项目概况"}, GovParagraphs(g.rng, 4, 2)...)
			doc := publish.MakeDocx(lines)
			s.uploads = []publish.Upload{{Name: "采购需求.docx", Type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: doc, Text: publish.ExtractText("采购需求.docx", doc)}}
		}
		g.add(s)
	}
	for i, d := range g.spreadDays(year, n["shuangsuiji"], last) {
		kind := []string{"抽查事项清单", "抽查工作计划", "抽查结果公示", "检查对象名录库更新"}[i%4]
		g.add(spec{cat: "shuangsuiji", dept: "企业管理和稽查处", title: fmt.Sprintf("福州海关%d年“双随机、一公开”%s（第%d批）", year, kind, i/4+1), made: d, body: GovParagraphs(g.rng, 2, 2)})
	}
	recruit := []string{"考试录用公务员面试公告", "考试录用公务员体检和考察名单公示", "拟录用公务员名单公示", "所属事业单位公开招聘工作人员公告",
		"所属事业单位公开招聘笔试成绩公示", "所属事业单位拟聘用人员公示", "公务员调任公告", "考试录用公务员递补面试公告", "遴选公务员公告", "招聘海关协管员公告", "录用结果公告"}
	for i, d := range g.spreadDays(year, n["recruitment"], last) {
		g.add(spec{cat: "recruitment", dept: "人事处", title: fmt.Sprintf("福州海关%d年%s", year, recruit[i%len(recruit)]), made: d, body: GovParagraphs(g.rng, 2, 2)})
	}
	for i := 0; i < n["reception"]; i++ {
		d := g.randomDay(year, time.Month(i%12+1), time.Month(i%12+1), monthDay(time.Month(i%12+1)))
		g.add(spec{cat: "reception", dept: "办公室", title: fmt.Sprintf("%d年%d月“关长接待日”活动公告", year, d.Month()), made: d,
			body: []string{fmt.Sprintf("福州海关定于%d月举办“关长接待日”活动，关领导现场接待企业和群众，听取意见建议，协调解决通关中的困难和问题。", d.Month()), GovSentence(g.rng)}})
	}
	guides := []string{"RCEP项下原产地证书申领指引", "跨境电商零售进口商品退货操作指引", "进口食品境外生产企业注册办理指引", "加工贸易手册设立办理指引",
		"出口农产品备案办理指引", "汇总征税业务办理指引", "税款担保业务办理指引", "AEO高级认证企业申请指引", "主动披露政策办理指引", "进境水果检疫审批指引"}
	for i, d := range g.spreadDays(year, n["policy-guides"], last) {
		g.add(spec{cat: "policy-guides", dept: "综合业务处", title: fmt.Sprintf("%s（%d年第%d版）", guides[i%len(guides)], year, i/len(guides)+1), made: d, body: GovParagraphs(g.rng, 3, 3)})
	}
	for i, d := range g.spreadDays(year, n["press"], last) {
		g.add(spec{cat: "press", dept: "办公室", title: fmt.Sprintf("福州海关召开%d年%s福建外贸进出口情况新闻发布会", year, []string{"一季度", "上半年", "前三季度"}[i%3]), made: d, body: GovParagraphs(g.rng, 3, 3)})
	}
	for m := 1; m <= n["art20-4"]; m++ {
		d := g.randomDay(year, time.Month(m), time.Month(m), monthDay(time.Month(m)))
		g.add(spec{cat: "art20-4", dept: "综合业务处", title: fmt.Sprintf("%d年%d月福州关区进出口主要数据", year, d.Month()), made: d, body: GovParagraphs(g.rng, 1, 3)})
	}
	for i, d := range g.spreadDays(year, n["art20-7"], last) {
		g.add(spec{cat: "art20-7", dept: "财务处", title: fmt.Sprintf("福州海关%d年部门%s", year-(i%2), []string{"预算", "决算"}[i%2]), made: d, body: GovParagraphs(g.rng, 2, 2)})
	}
	for i, d := range g.spreadDays(year, n["interpretation"], last) {
		g.add(spec{cat: "interpretation", dept: "政策法规处", title: fmt.Sprintf("图解：%s政策解读（%d）", objects[g.rng.IntN(len(objects))], i+1), made: d, body: GovParagraphs(g.rng, 3, 3)})
	}
}

// loadPublish adds the demo's publishing: the catalogue of 福州海关, department
// reviewers, two years of items (the seed's year and the year before, for the
// growth figure), rules and normative documents since 2016, the 办事指南 and
// their updates, the portal's fixed columns, items in every unpublished state,
// and the licensing decisions behind 双公示 and table 二.
func loadPublish(ctx context.Context, st Store, w World, params auth.Params) error {
	ps, ok := st.(publishStore)
	if !ok {
		return nil
	}
	actor := audit.System("demo")
	unit, err := st.UnitByCode(ctx, SiteUnit)
	if err != nil {
		return err
	}
	g := &pubGen{seed: w.Seed, rng: rand.New(rand.NewPCG(w.Seed^0x7075626c697368, w.Seed+PublishYear)), cal: calendar.Default(),
		cats: map[string]int64{}, depts: map[string]int64{}, revs: map[string]org.User{}, counts: map[int]int{}, later: map[int]*rand.Rand{}}
	for _, ly := range w.laterYears() {
		g.later[ly] = yearRNG(w.Seed, "publish/updates", ly)
	}
	depts, err := st.Departments(ctx, unit.ID)
	if err != nil {
		return err
	}
	for _, d := range depts {
		g.depts[d.Name] = d.ID
	}
	hash, err := auth.HashPassword(Password, params)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for _, u := range w.Users {
		used[u.Name] = true
	}
	for _, rd := range reviewerDepts {
		var name string
		for name == "" || used[name] {
			name = string(surnames[g.rng.IntN(len(surnames))]) + given[g.rng.IntN(len(given))]
		}
		used[name] = true
		u := org.User{Username: rd.username, DisplayName: name, UnitID: unit.ID, DepartmentID: g.depts[rd.dept], Grants: []org.Grant{{UnitID: unit.ID, Role: org.RoleReviewer}}}
		if err := st.CreateUser(ctx, actor, &u, hash); err != nil {
			return fmt.Errorf("demo reviewer %s: %w", rd.username, err)
		}
		g.revs[rd.dept] = u
	}
	for name, dst := range map[string]*org.User{"editor": &g.editor, "legal": &g.legal} {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			return err
		}
		*dst = u
	}
	if g.revs["办公室"], err = st.UserByUsername(ctx, "reviewer"); err != nil {
		return err
	}
	if _, err := ps.EnsureCatalogue(ctx, actor, unit.ID, publish.CustomsCatalogue()); err != nil {
		return err
	}
	cats, err := ps.PublishCategories(ctx, unit.ID)
	if err != nil {
		return err
	}
	for _, c := range cats {
		g.cats[c.Slug] = c.ID
	}
	y, prev := PublishYear, PublishYear-1
	date := func(y int, m time.Month, d int) calendar.Date {
		dt, _ := calendar.NewDate(y, m, d)
		return dt
	}

	// The portal's fixed columns.
	g.add(spec{cat: "guide", dept: "办公室", title: "福州海关政府信息公开指南", made: date(2019, time.May, 15), revisions: []calendar.Date{date(prev, time.March, 1)},
		body: []string{"为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。",
			"一、主动公开。福州海关通过门户网站、新闻发布会、政务新媒体等方式主动公开政府信息，属于主动公开范围的政府信息自形成或者变更之日起20个工作日内予以公开。",
			"二、依申请公开。公民、法人或者其他组织可以通过信函、在线平台或者当面提交的方式，向福州海关申请获取政府信息。福州海关能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复，需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过20个工作日。",
			"三、受理机构：福州海关政务公开办公室，地址：福建省福州市江滨东大道76号，邮编350015；电话：（0591）87081207；电子邮箱：fzhgxxgk@customs.gov.cn。办公时间：工作日上午8:30—12:00，下午14:30—17:30。",
			"四、监督和救济。公民、法人或者其他组织认为福州海关在政府信息公开工作中侵犯其合法权益的，可以向上一级海关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。"}})
	g.add(spec{cat: "rules", dept: "办公室", title: "福州海关政府信息公开工作规定", made: date(2020, time.April, 8), body: GovParagraphs(g.rng, 4, 3)})
	g.add(spec{cat: "rules", dept: "办公室", title: "福州海关政府信息公开保密审查办法", made: date(2020, time.June, 10), body: GovParagraphs(g.rng, 3, 3)})
	for _, ry := range []int{prev - 1, prev} {
		lines := []string{fmt.Sprintf("福州海关（本级机关）%d年政府信息公开工作年度报告", ry), "一、总体情况"}
		lines = append(lines, GovParagraphs(g.rng, 4, 3)...)
		doc := publish.MakeDocx(lines)
		g.add(spec{cat: "reports", dept: "办公室", title: fmt.Sprintf("福州海关（本级机关）%d年政府信息公开工作年度报告", ry), made: date(ry+1, time.January, 15), delay: 3,
			body: lines[2:3], uploads: []publish.Upload{{Name: fmt.Sprintf("%d年年度报告.docx", ry), Type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: doc, Text: publish.ExtractText("x.docx", doc)}}})
	}

	// Normative documents: 35 since 2016, three abolished before the year
	// before, one abolished in the year, one issued in it: 32 in force. The
	// later years abolish a few more of them (abolitions).
	abolish := g.abolitions(w, 3, 35, 10)
	var norm []spec
	for i := 0; i < 35; i++ {
		yr := 2016 + i*8/35
		s := spec{cat: "art20-1", dept: "政策法规处", kind: publish.Normative, made: g.randomDay(yr, time.January, time.November, 28),
			title: "福州海关" + strings.TrimPrefix(objects[g.rng.IntN(len(objects))], "海关") + normTitles[i%len(normTitles)], body: GovParagraphs(g.rng, 4, 3)}
		s.docNo = fmt.Sprintf("福州关规〔%d〕%d号", s.made.Year(), i%5+1)
		switch {
		case i < 3:
			s.abolished = date(2021+i%2, time.July, 1)
		case i == 10:
			s.abolished = date(y, time.September, 1)
		default:
			s.abolished = abolish[i]
		}
		norm = append(norm, s)
	}
	norm = append(norm, spec{cat: "art20-1", dept: "政策法规处", kind: publish.Normative, made: date(y, time.June, 18), title: "福州海关进出口货物申报管理规范",
		docNo: fmt.Sprintf("福州关规〔%d〕1号", y), body: GovParagraphs(g.rng, 4, 3)})
	for _, s := range norm {
		g.add(s)
	}
	g.add(spec{cat: "art20-2", dept: "办公室", title: "福州海关机构职能和联系方式", made: date(2021, time.March, 2), body: []string{"福州海关是海关总署的直属海关，负责福州、宁德、南平、三明地区的海关管理工作。",
		"地址：福建省福州市江滨东大道76号；邮编：350015；12360海关热线。"}})

	// 办事指南: twenty since 2019, updated now and then: eleven updates in
	// the year (更新办事指南等信息11条次) and six the year before.
	guideNames := []string{"进出口货物收发货人备案", "报关企业备案", "出口食品生产企业备案", "进境动植物检疫审批", "保税仓库设立审批", "暂时进出境货物延期",
		"海关认证企业申请", "原产地证书签发", "加工贸易手册设立", "跨境电商企业备案", "进出口商品检验", "出入境特殊物品卫生检疫审批", "免税商店设立",
		"出口监管仓库设立", "税款担保", "减免税审核确认", "行政复议申请", "政府信息公开申请", "12360热线咨询", "知识产权海关保护备案"}
	revs := map[int][]calendar.Date{}
	for i := 0; i < 11; i++ {
		k := i % 8
		revs[k] = append(revs[k], g.randomDay(y, time.Month(1+i), time.Month(1+i), 12))
	}
	for i := 0; i < 6; i++ {
		k := 8 + i
		revs[k] = append(revs[k], g.randomDay(prev, time.Month(2+i*2), time.Month(2+i*2), 12))
	}
	laterRevs := g.guideUpdates(w, len(guideNames))
	for i, name := range guideNames {
		dates := revs[i]
		sort.Slice(dates, func(a, b int) bool { return dates[a].Before(dates[b]) })
		g.add(spec{cat: "guides", dept: "综合业务处", title: name + "办事指南", made: g.randomDay(2019+i%4, time.February, time.November, 28), revisions: dates, later: laterRevs[i],
			body: []string{"一、事项名称：" + name, "二、设定依据：《中华人民共和国海关法》及相关规定。", "三、申请条件和申请材料：" + GovSentence(g.rng),
				"四、办理流程：申请—受理—审查—决定—送达。", "五、办理时限：20个工作日。", "六、收费标准：不收费。", "七、咨询方式：12360海关热线。"}})
	}

	// The seed's year, as its report states it, and the year before.
	seedYear := map[string]int{"gonggao": 1, "tonggao": 2, "tongzhi": 8, "shuangsuiji": 125, "recruitment": 11, "reception": 12,
		"policy-guides": 52, "press": 2, "art20-4": 12, "art20-7": 2, "interpretation": 4, "procurement": 248}
	g.yearOfPublishing(y, seedYear, date(y, time.December, 12))
	dsY := g.decisions(y, 1348, date(y, time.December, 20))
	g.shuanggongshi(y, 378, dsY)

	// Items in every unpublished state (the work queue), made late in the
	// year: drafts, under review, legal review, 不予公开 and 依申请公开
	// decided, and one published then withdrawn.
	late := func(d int) calendar.Date { return date(y, time.December, d) }
	g.add(spec{cat: "tongzhi", dept: "办公室", title: "关于做好元旦春节期间通关保障工作的通知（草稿）", made: late(23), body: GovParagraphs(g.rng, 2, 2), stop: publish.Draft})
	g.add(spec{cat: "policy-guides", dept: "综合业务处", title: "进口冷链食品申报操作指引（送审稿）", made: late(20), body: GovParagraphs(g.rng, 2, 2), stop: publish.Review})
	g.add(spec{cat: "gonggao", dept: "政策法规处", title: "关于调整部分行政许可事项办理流程的公告（征求意见稿）", made: late(18), body: GovParagraphs(g.rng, 2, 2), legal: true, stop: publish.Legal})
	g.add(spec{cat: "art20-15", dept: "办公室", title: "福州海关内部公文处理工作细则", made: date(y, time.November, 5), body: GovParagraphs(g.rng, 2, 2), attr: publish.Withheld,
		ground: publish.WithheldGrounds[4], stop: publish.Approved})
	g.add(spec{cat: "art20-13", dept: "企业管理和稽查处", title: "2024年第三季度稽查工作情况通报（仅限相关企业）", made: date(y, time.October, 10), body: GovParagraphs(g.rng, 2, 2), attr: publish.OnRequest,
		ground: "涉及特定企业，不具有普遍公开需要", stop: publish.Approved})
	g.add(spec{cat: "art20-15", dept: "办公室", title: "关于调整12360热线服务时间的公告", made: date(y, time.May, 6), body: GovParagraphs(g.rng, 1, 2), withdraw: "服务时间以新公告为准，本公告撤回"})

	// The year before: as many items as make the year's growth 27.4%.
	target := prevForGrowth(g.counts[y], 27.4)
	need := target - g.counts[prev]
	if need < 0 {
		return fmt.Errorf("demo: %d publications already in %d, more than the %d the growth needs", g.counts[prev], prev, target)
	}
	prevYear := map[string]int{"gonggao": 2, "tonggao": 2, "tongzhi": 7, "shuangsuiji": 96, "recruitment": 10, "reception": 12, "press": 2, "art20-4": 12, "art20-7": 2, "interpretation": 3}
	fixed := 0
	for _, n := range prevYear {
		fixed += n
	}
	dsPrev := g.decisions(prev, 1187, date(prev, time.December, 20))
	rest := need - fixed - 40 // 双公示 items are about 40% of the rest, procurement and guides share the others
	sg := rest * 45 / 100
	prevYear["policy-guides"] = 40
	prevYear["procurement"] = rest - sg
	g.yearOfPublishing(prev, prevYear, date(prev, time.December, 12))
	g.shuanggongshi(prev, sg, dsPrev)
	if g.counts[prev] != target {
		return fmt.Errorf("demo: generated %d publications in %d, want %d", g.counts[prev], prev, target)
	}

	// The years after the seed's, each from its own source.
	items := g.items
	decisions := map[int][]publish.Decision{prev: dsPrev, y: dsY}
	for _, ly := range w.laterYears() {
		lg := g.yearGen(ly)
		decisions[ly] = lg.laterYear(ly)
		items = append(items, lg.items...)
	}
	// Nothing after the world's end: a history cut there keeps the steps
	// taken by then (an item made in the last days of a year and
	// published after it is still waiting at the end of that year).
	var kept []publish.ImportItem
	for _, it := range items {
		if it, ok := cutItem(it, w.end()); ok {
			kept = append(kept, it)
		}
	}
	if _, err := ps.ImportItems(ctx, actor, unit.ID, kept); err != nil {
		return fmt.Errorf("demo publishing: %w", err)
	}
	for yr := prev; yr <= w.lastDay().Year(); yr++ {
		var ds []publish.Decision
		for _, d := range decisions[yr] {
			if !d.DecidedOn.After(w.lastDay()) {
				ds = append(ds, d)
			}
		}
		if len(ds) == 0 {
			continue
		}
		if err := ps.AddDecisions(ctx, actor, unit.ID, ds, fmt.Sprintf("演示数据 %d", yr)); err != nil {
			return err
		}
	}
	return nil
}

// prevForGrowth is the count of the year before that makes cur grow by pct
// per cent, rounded to one decimal as the report prints it.
func prevForGrowth(cur int, pct float64) int {
	guess := int(math.Round(float64(cur) / (1 + pct/100)))
	for d := 0; d < 50; d++ {
		for _, p := range []int{guess - d, guess + d} {
			if p > 0 && math.Round(float64(cur-p)*1000/float64(p))/10 == pct {
				return p
			}
		}
	}
	return guess
}
