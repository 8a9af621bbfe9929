package publish

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<p onclick="x()">正文<script>alert(1)</script></p>`, `<p>正文</p>`},
		{`<a href="javascript:alert(1)">链接</a>`, `<a rel="noopener noreferrer">链接</a>`},
		{`<a href="https://www.gov.cn/" target="_blank">国务院</a>`, `<a href="https://www.gov.cn/" rel="noopener noreferrer">国务院</a>`},
		{`<h1 style="color:red">标题</h1><font face="宋体">文字</font>`, `<h2>标题</h2>文字`},
		{`<table><tr><td colspan="2" onmouseover="x">格</td><th scope="evil">头</th></tr></table>`, `<table><tbody><tr><td colspan="2">格</td><th>头</th></tr></tbody></table>`},
		{`<img src="https://evil.example/x.png" onerror="x"><img src="/static/a.png" alt="图">`, `<img src="/static/a.png" alt="图">`},
		{`<iframe src="/x"></iframe><style>p{}</style>1 &lt; 2`, `1 &lt; 2`},
		{`<p>“双随机、一公开”&amp;</p>`, `<p>“双随机、一公开”&amp;</p>`},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	if got := BodyFromInput("第一段\n第二行\n\n第二段 1<2"); got != "<p>第一段<br>第二行</p><p>第二段 1&lt;2</p>" {
		t.Errorf("plain text body: %q", got)
	}
	if got := HTMLText("<p>甲</p><table><tr><td>乙</td><td>丙</td></tr></table><script>x</script>"); got != "甲\n乙 丙" {
		t.Errorf("HTMLText: %q", got)
	}
}

func TestAttachments(t *testing.T) {
	if _, err := CheckAttachment("通知.pdf", "application/x-msdownload", 100); err == nil || !strings.Contains(errs.MessageOf(err), "不符") {
		t.Errorf("renamed program accepted: %v", err)
	}
	if _, err := CheckAttachment("run.exe", "application/octet-stream", 100); err == nil {
		t.Error(".exe accepted")
	}
	if _, err := CheckAttachment("大.pdf", "application/pdf", MaxAttachmentSize+1); err == nil {
		t.Error("oversized accepted")
	}
	if typ, err := CheckAttachment("附件.docx", "application/zip", 100); err != nil || !strings.Contains(typ, "wordprocessingml") {
		t.Errorf("docx: %q %v", typ, err)
	}
	if got := CleanName(`C:\Users\张三\桌面\附件"1".txt`); got != "附件1.txt" {
		t.Errorf("CleanName: %q", got)
	}
	doc := MakeDocx([]string{"第一段：海关监管", "第二段"})
	if got := ExtractText("a.docx", doc); got != "第一段：海关监管\n第二段" {
		t.Errorf("docx text: %q", got)
	}
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("旧系统导出的GBK文本"))
	if got := ExtractText("a.txt", gbk); got != "旧系统导出的GBK文本" {
		t.Errorf("gbk text: %q", got)
	}
	if got := ExtractText("a.pdf", []byte("%PDF-1.4")); got != "" {
		t.Errorf("pdf text: %q", got)
	}
}

func TestDecisionsCSV(t *testing.T) {
	good := DecisionCSVHeader + "\n行政许可,福州关许〔2024〕1号,福建某公司,法人或其他组织,91350100MA2XXXXXX1,报关企业备案,准予许可,海关法,2024-03-01,是\n" +
		"行政处罚,福州关缉违字〔2024〕1号,张三,自然人,,走私普通货物,罚款5000元,海关行政处罚实施条例,2024/03/02,否\n"
	ds, err := ParseDecisionsCSV(strings.NewReader(good))
	if err != nil || len(ds) != 2 || ds[1].Kind != Penalty || ds[1].PublicSubject() != "张*" || !ds[0].Publicize || ds[1].DecidedOn.String() != "2024-03-02" {
		t.Fatalf("good file: %+v %v", ds, err)
	}
	bad := DecisionCSVHeader + "\n行政奖励,号1,某公司,法人,,事项,,,2024-03-01,是\n行政许可,,某公司,法人,,事项,,,2024-13-01,也许\n行政许可,号2,某公司,法人,,事项,,,2024-03-01,是\n行政许可,号2,某公司,法人,,事项,,,2024-03-01,是\n"
	_, err = ParseDecisionsCSV(strings.NewReader(bad))
	ie, ok := err.(*ImportError)
	if !ok || len(ie.Lines) != 3 {
		t.Fatalf("bad file: %v", err)
	}
	want := []string{"第 2 行：类别“行政奖励”", "第 3 行：", "第 5 行：决定文书号“号2”与第 4 行重复"}
	for i, w := range want {
		if !strings.HasPrefix(strings.Split(ie.Error(), "\n")[i], w) {
			t.Errorf("line %d: %q, want prefix %q", i, strings.Split(ie.Error(), "\n")[i], w)
		}
	}
	if !strings.Contains(ie.Error(), "决定日期“2024-13-01”") || !strings.Contains(ie.Error(), "双公示“也许”") || !strings.Contains(ie.Error(), "请填写决定文书号") {
		t.Errorf("line 3 should list every fault: %s", ie.Error())
	}
	if _, err := ParseDecisionsCSV(strings.NewReader("类别,决定日期\n")); err == nil || !strings.Contains(err.Error(), "表头缺少列") {
		t.Errorf("missing columns: %v", err)
	}
}

func TestTable2AndMoney(t *testing.T) {
	d := func(s string) calendar.Date { x, _ := calendar.ParseDate(s); return x }
	docs := []DocFact{
		{Kind: Normative, MadeOn: d("2018-05-01"), Validity: Valid},
		{Kind: Normative, MadeOn: d("2019-05-01"), Validity: Abolished, ValidityOn: d("2024-09-01")},
		{Kind: Normative, MadeOn: d("2020-05-01"), Validity: Expired, ValidityOn: d("2023-01-01")},
		{Kind: Normative, MadeOn: d("2024-06-18"), Validity: Valid},
		{Kind: Rule, MadeOn: d("2024-02-01"), Validity: Valid},
	}
	t2 := Table2Of(docs, 2024, map[DecisionKind]int{Licensing: 1348}, 381250)
	n := t2.NormativeDocuments
	if n.Issued.Int() != 1 || n.Abolished.Int() != 1 || n.InForce.Int() != 2 || t2.Regulations.Issued.Int() != 1 || t2.LicensingDecisions.Int() != 1348 || !t2.PenaltyDecisions.Valid || *t2.FeesWanYuan != "0.38125" {
		t.Errorf("table 2: %+v fees %s", t2, *t2.FeesWanYuan)
	}
	if !docs[1].InForceOn(d("2024-08-31")) || docs[1].InForceOn(d("2024-09-01")) {
		t.Error("in force on a day")
	}
	for fen, want := range map[int64]string{0: "0", 1000000: "1", 1250000: "1.25", 3812: "0.003812"} {
		if got := WanYuan(fen); got != want {
			t.Errorf("WanYuan(%d) = %s, want %s", fen, got, want)
		}
	}
	if n, err := ParseYuan("1,250.5"); err != nil || n != 125050 {
		t.Errorf("ParseYuan: %d %v", n, err)
	}
	for _, bad := range []string{"", "-3", "1.234", "abc"} {
		if _, err := ParseYuan(bad); err == nil {
			t.Errorf("ParseYuan(%q) accepted", bad)
		}
	}
}

func TestPublicationsAndStats(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	c := &Content{CategoryID: 7}
	evs := []Event{
		{Kind: EvCreate, Version: 1, Content: c, At: t0},
		{Kind: EvPublish, Version: 1, At: t0, PublishAt: t0},
		{Kind: EvRevise, Version: 2, Content: c, At: t0.Add(24 * time.Hour)},
		{Kind: EvPublish, Version: 2, At: t0.Add(25 * time.Hour), PublishAt: t0.Add(48 * time.Hour)},
		{Kind: EvUnschedule, Version: 2, At: t0.Add(26 * time.Hour)}, // cancelled before its time
		{Kind: EvPublish, Version: 2, At: t0.Add(27 * time.Hour), PublishAt: t0.Add(27 * time.Hour)},
	}
	pubs := Publications(1, evs, t0.Add(100*time.Hour))
	if len(pubs) != 2 || pubs[0].Revision || !pubs[1].Revision {
		t.Fatalf("publications: %+v", pubs)
	}
	prev := []Publication{{ItemID: 2, CategoryID: 7, At: time.Date(2023, 12, 31, 17, 0, 0, 0, time.UTC)}} // 2024-01-01 01:00 in Beijing
	st := StatsOf(append(pubs, prev...), []Category{{ID: 7, Name: "公告", InReport: true}}, 2024, time.FixedZone("CST", 8*3600))
	if st.New != 2 || st.Revisions != 1 || st.PrevNew != 0 {
		t.Fatalf("stats: %+v", st)
	}
	st.PrevNew = 1
	st.New = 1
	if got := st.Sentence("福州海关本级机关"); got != "2024年，福州海关本级机关通过门户网站发布公告2条，网站发布信息与上年持平。更新办事指南等信息1条次。" {
		t.Errorf("sentence: %s", got)
	}
	if g, _ := (YearStats{New: 860, PrevNew: 675}).Growth(); g != 27.4 {
		t.Errorf("growth %v", g)
	}
}

func TestDeadline(t *testing.T) {
	cal := calendar.Default()
	made, _ := calendar.ParseDate("2024-09-27")
	it := Item{Version: 1, Content: Content{Attribute: Active, MadeOn: made}}
	d, ok, err := DeadlineOf(cal, it, time.UTC)
	if err != nil || !ok || d.Due.String() != "2024-10-30" {
		t.Fatalf("deadline over 国庆节: %+v %v %v", d, ok, err)
	}
	today, _ := calendar.ParseDate("2024-10-31")
	if !d.Overdue(today) || d.Left(cal, today) != -1 {
		t.Errorf("overdue: %v left %d", d.Overdue(today), d.Left(cal, today))
	}
	it.PublishedVersion, it.PublishAt = 1, time.Date(2024, 10, 29, 8, 0, 0, 0, time.UTC)
	d, _, _ = DeadlineOf(cal, it, time.UTC)
	if d.Late() || d.Overdue(today) {
		t.Error("published in time counted late")
	}
	if _, ok, _ := DeadlineOf(cal, Item{Content: Content{Attribute: Withheld, MadeOn: made}}, time.UTC); ok {
		t.Error("a 不予公开 item has no publication deadline")
	}
}

func TestWorkflowRefusals(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	it, err := Apply(Item{}, Event{Seq: 1, Kind: EvCreate, Version: 1, At: t0, ActorID: 1, Content: &Content{Attribute: Active}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []EventKind{EvApprove, EvLegalApprove, EvPublish, EvUnschedule, EvWithdraw, EvRevise} {
		e := Event{Seq: 2, Kind: k, At: t0, ActorID: 2, Version: 1, Reason: "x", PublishAt: t0, Content: &Content{}}
		if _, err := Apply(it, e); err == nil {
			t.Errorf("%s accepted on a draft", k)
		} else if msg := errs.MessageOf(err); msg == "" || strings.Contains(msg, "internal") {
			t.Errorf("%s: unclear message %q", k, msg)
		}
	}
	if _, err := Apply(it, Event{Seq: 5, Kind: EvSubmit, At: t0}); !errs.Is(err, errs.Conflict) {
		t.Errorf("out-of-order event: %v", err)
	}
}
