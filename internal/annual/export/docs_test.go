package export

import (
	"os"
	"strconv"
	"testing"

	"gongkai/internal/annual"
)

// The documents the tests export: the seed as read (with its customs rows),
// and two built ones whose every cell holds a value of its own that still
// adds up, one with the customs rows and one without, so that a misplaced
// row or column shows.

const seedPath = "../testdata/fuzhou_customs_2024.txt"

// seedDoc reads the seed report and lays it out as a document.
func seedDoc(t testing.TB) *annual.Document {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	r, err := annual.Read(b, "seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	r.Findings = annual.Check(r)
	return annual.DocumentOf(r)
}

// syntheticReport returns a report whose cells are distinct where the sums
// allow: outcome (k) in column (c) holds 11+6k+c, the carried-over and
// carried-forward rows their own values, received what balances them.
func syntheticReport(customs bool) *annual.Report {
	r := annual.NewReport()
	r.Title = "测试市测试局（本级机关）2025年 政府信息公开工作年度报告"
	r.Unit = "测试市测试局（本级机关）"
	r.Year = 2025
	fees := "1.25"
	r.Table2 = &annual.Table2{
		Regulations:          annual.DocCounts{Issued: annual.N(3), Abolished: annual.N(1), InForce: annual.N(17)},
		NormativeDocuments:   annual.DocCounts{Issued: annual.N(5), Abolished: annual.N(2), InForce: annual.N(41)},
		LicensingDecisions:   annual.N(1201),
		PenaltyDecisions:     annual.N(77),
		EnforcementDecisions: annual.N(13),
		FeesWanYuan:          &fees,
	}
	t := &r.Table3
	var handled annual.Row
	k := 0
	for _, spec := range annual.Table3Rows {
		if !spec.Outcome {
			continue
		}
		var row annual.Row
		for c := range annual.NumColumns - 1 {
			row[c] = annual.N(11 + 6*k + c)
		}
		k++
		row[annual.ColTotal] = annual.N(row.Sum())
		t.SetRow(spec.Key, row)
		for c := range annual.NumColumns {
			handled[c] = annual.N(handled[c].Int() + row[c].Int())
		}
		if customs && spec.Key == annual.RowOtherOther {
			// 咨询事项 and 撤销申请 split 「其他」 as the customs reports print it.
			var ask, withdrawn annual.Row
			for c := range annual.NumColumns - 1 {
				ask[c] = annual.N(2 + 2*c)
				withdrawn[c] = annual.N(row[c].Int() - 2 - 2*c)
			}
			ask[annual.ColTotal] = annual.N(ask.Sum())
			withdrawn[annual.ColTotal] = annual.N(withdrawn.Sum())
			t.ExtraRows = []annual.ExtraRow{
				{Label: "3. 咨询事项，指引咨询渠道", CountsAs: annual.RowOtherOther, Values: ask},
				{Label: "4. 申请人撤销申请", CountsAs: annual.RowOtherOther, Values: withdrawn},
			}
		}
	}
	t.SetRow(annual.RowTotalHandled, handled)
	var over, forward, received annual.Row
	for c := range annual.NumColumns - 1 {
		over[c] = annual.N(3 + c)
		forward[c] = annual.N(5 + 2*c)
		received[c] = annual.N(handled[c].Int() + forward[c].Int() - over[c].Int())
	}
	for _, row := range []*annual.Row{&over, &forward, &received} {
		row[annual.ColTotal] = annual.N(row.Sum())
	}
	t.SetRow(annual.RowReceived, received)
	t.SetRow(annual.RowCarriedOver, over)
	t.SetRow(annual.RowCarriedForward, forward)
	r.Table4 = &annual.Table4{
		Reconsideration:                annual.Outcomes{Upheld: annual.N(4), Corrected: annual.N(2), Other: annual.N(1), Pending: annual.N(3), Total: annual.N(10)},
		LitigationDirect:               annual.Outcomes{Upheld: annual.N(6), Corrected: annual.N(0), Other: annual.N(5), Pending: annual.N(8), Total: annual.N(19)},
		LitigationAfterReconsideration: annual.Outcomes{Upheld: annual.N(9), Corrected: annual.N(7), Other: annual.N(12), Pending: annual.N(0), Total: annual.N(28)},
	}
	return r
}

// syntheticDoc lays a synthetic report out as the builder does: part
// headings, lead-ins, figures bound to statistics, and the three tables.
func syntheticDoc(customs bool) *annual.Document {
	r := syntheticReport(customs)
	itoa := func(n int) string { return strconv.Itoa(n) }
	fig := func(key, text string) annual.Run { return annual.Run{Text: text, Figure: key} }
	txt := func(s string) annual.Run { return annual.Run{Text: s} }
	para := func(where string, runs ...annual.Run) annual.Block {
		return annual.Block{Kind: annual.BlockParagraph, Para: annual.Paragraph{Runs: runs}, Where: where}
	}
	heading := func(s, where string) annual.Block {
		return annual.Block{Kind: annual.BlockHeading, Para: annual.Plain(s), Where: where}
	}
	t3 := &r.Table3
	d := &annual.Document{Report: r, Scope: annual.ScopeSelf}
	d.Preface = annual.Paragraph{Runs: []annual.Run{
		txt("本报告根据《中华人民共和国政府信息公开条例》等规定，梳理"), fig("报告.年度", "2025"),
		txt("年度测试市测试局（本级机关）政府信息公开工作情况编制而成。报告中所列数据的统计期限，自2025年1月1日起至2025年12月31日止。本年报电子版可在测试市测试局门户网站（https://test.example.gov.cn）下载。如对报告有意见、建议，请联系测试市测试局政务公开办公室，地址：测试市人民路1号，邮编100000；电话：（010）12345678；电子邮箱：gk@test.example.gov.cn。"),
	}}
	long := "持续加强信息公开审查，按照“谁制作、谁认定”“谁公开、谁审查”“谁审查、谁负责”原则做好发布管理，对政府信息不予公开决定进行法制审核；加强日常指导，压实考核责任，定期对门户网站公开信息开展检查，确保各部门信息发布规范、及时（每季度一次），并通过《政府信息公开工作调查问卷》收集企业群众意见建议，改进政府信息公开工作。"
	sections := [6][]annual.Block{
		{
			heading("（一）主动公开信息情况。", "sections.1.1"),
			para("sections.1.1", txt("2025年，本机关通过门户网站发布公告"), fig("发布.公告", "12"), txt("条，采购招标信息"), fig("发布.采购", "248"), txt("条，网站发布信息同比增长"), fig("发布.总数:增长", "27.4%"), txt("。")),
			heading("（二）依申请公开办理情况。", "sections.1.2"),
			para("sections.1.2", txt("2025年本机关共收到政府信息公开申请"), fig("申请.收到", itoa(t3.Get(annual.RowReceived, annual.ColTotal).Int())),
				txt("件，上年结转"), fig("申请.上年结转", itoa(t3.Get(annual.RowCarriedOver, annual.ColTotal).Int())),
				txt("件，办结"), fig("申请.办结", itoa(t3.Get(annual.RowTotalHandled, annual.ColTotal).Int())),
				txt("件，结转下年度继续办理"), fig("申请.结转下年", itoa(t3.Get(annual.RowCarriedForward, annual.ColTotal).Int())), txt("件。")),
			heading("（三）政府信息管理情况。", "sections.1.3"),
			para("sections.1.3", txt("接听热线电话咨询"), fig("热线.接听量", "10289"), txt("条次，接通率"), fig("热线.接通率", "99.3%"), txt("，满意度得分"), fig("热线.满意度", "99.89"), txt("分。")),
			heading("（四）监督保障情况。", "sections.1.4"),
			para("sections.1.4", txt(long)),
			para("", txt(long)),
		},
		{para("sections.2", txt("本年主动公开政府信息情况如下表。")), {Kind: annual.BlockTable, Table: annual.TableTwo}},
		{{Kind: annual.BlockTable, Table: annual.TableThree}},
		{{Kind: annual.BlockTable, Table: annual.TableFour}},
		{
			para("sections.5.1", annual.Run{Text: "（一）2024年年报中所提问题整改情况。", Lead: true}, txt("针对“公开事项不全面、个别信息更新不及时”的问题，采取3方面措施进行整改。")),
			para("sections.5.2", annual.Run{Text: "（二）目前存在问题。", Lead: true}, txt("新媒体与网友互动形式较为单一。")),
		},
		// A fee charged: table 三 counts applications closed for a fee notice
		// unpaid, which a section 六 stating 0 元 would contradict (S6.FEES).
		{para("sections.6", txt("2025年本机关收取信息处理费"), fig("收费.金额", "1260"), txt("元。"))},
	}
	for i, blocks := range sections {
		d.Sections = append(d.Sections, annual.Section{Number: i + 1, Heading: annual.SectionHeadings[i], Blocks: blocks})
	}
	d.SyncText()
	r.Findings = annual.Check(r)
	return d
}

// testDocs are the documents every format is tested on.
func testDocs(t testing.TB) []struct {
	name string
	doc  *annual.Document
} {
	return []struct {
		name string
		doc  *annual.Document
	}{
		{"seed", seedDoc(t)},
		{"synthetic", syntheticDoc(false)},
		{"synthetic-customs", syntheticDoc(true)},
	}
}

// TestDocsAreClean makes sure the test documents themselves pass the
// check, so that a finding after a round trip is the export's.
func TestDocsAreClean(t *testing.T) {
	for _, tc := range testDocs(t) {
		if f := annual.Check(tc.doc.Report); len(f) != 0 {
			t.Errorf("%s: findings before export: %+v", tc.name, f)
		}
	}
}
