package rectify_test

import (
	"os"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/rectify"
)

// The problems of real reports, read from their section 五 as the report
// reader keeps it (annual.Report.Text.Problems).
func TestFromReportTextReports(t *testing.T) {
	cases := []struct {
		file string
		want []string
	}{
		{"fuzhou_customs_2024.txt", []string{"“福州海关12360”热线新媒体在做好信息发布和咨询服务的同时，与网友互动形式较为单一，形象不够活泼可亲"}},
		{"hongze_district_2023.txt", []string{"依申请公开工作规范性还有待提高、政务公开内容的深度和广度还有待提升、政务公开队伍建设有待加强等"}},
		{"huaian_city_2024.txt", []string{"政策解读质量仍需提升，个别单位政策解读内容简单、形式单一",
			"政务公开队伍建设还需进一步加强，个别单位存在人员配备不足、兼职多、流动性过快的问题"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile("../annual/testdata/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := annual.Read(b, c.file)
			if err != nil {
				t.Fatal(err)
			}
			if r.Text.Problems == "" {
				t.Fatal("the reader kept no section 五")
			}
			got := rectify.FromReportText(r.Text.Problems)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("got\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

func TestFromReportTextVariants(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"parts, numbered problems, then plans",
			"（一）上年度问题整改情况。已全部整改完毕。\n（二）存在的主要问题：1.信息公开指南更新不及时；2.部分政策解读形式单一。下一步，我们将加强培训。",
			[]string{"信息公开指南更新不及时", "部分政策解读形式单一"}},
		{"problems in （一）, measures in （二）",
			"（一）存在的主要问题。一是主动公开的深度不够；二是依申请公开答复规范性有待提高。（二）改进措施。一是加强培训；二是完善制度。",
			[]string{"主动公开的深度不够", "依申请公开答复规范性有待提高"}},
		{"the section's title kept in the text",
			"五、存在的主要问题及改进情况\n（一）2023年年报中所提问题整改情况。针对“甲”，采取措施。（二）目前存在问题。栏目更新不够及时。",
			[]string{"栏目更新不够及时"}},
		{"（1）（2） without parts", "存在问题主要有：（1）政务新媒体互动不足；（2）办事指南要素不全。",
			[]string{"政务新媒体互动不足", "办事指南要素不全"}},
		{"（一）（二） as the enumeration", "目前存在以下问题：（一）栏目更新不及时；（二）解读质量不高。",
			[]string{"栏目更新不及时", "解读质量不高"}},
		{"1、 and 1．", "一是不明显的前言。1、网站栏目设置不合理；2、部分链接失效；3．个别附件无法下载。",
			[]string{"网站栏目设置不合理", "部分链接失效", "个别附件无法下载"}},
		{"第一，第二，", "工作中仍有不足。第一，公开内容不够全面；第二，公开形式较为单一。",
			[]string{"公开内容不够全面", "公开形式较为单一"}},
		{"plans that start with next year", "2024年，我局工作仍存在不足：一是公开时效性不强；二是解读不够深入。2025年，我局将：一是强化时效；二是深化解读。",
			[]string{"公开时效性不强", "解读不够深入"}},
		{"a second enumeration the tail markers miss", "存在的不足：一是公开时效性不强；二是解读不够深入。此外还要：一是强化时效。",
			[]string{"公开时效性不强", "解读不够深入"}},
		{"one problem after 主要表现在", "对照新要求，仍有差距，主要表现在：政务公开标准化规范化水平有待提升。",
			[]string{"政务公开标准化规范化水平有待提升"}},
		{"figures are not enumerations", "12345热线转办事项答复不够及时，接通率仅为99.3%。",
			[]string{"12345热线转办事项答复不够及时，接通率仅为99.3%"}},
		{"words ending in 一是 are not enumerations", "标准不统一是当前的主要问题。",
			[]string{"标准不统一是当前的主要问题"}},
		{"printed line breaks and spaces", "目前存在问题。网站访问量\n增长 16.9%，但互动\n栏目使用率不高。",
			[]string{"网站访问量增长16.9%，但互动栏目使用率不高"}},
		{"headings on their own lines, numbered lines",
			"（一）存在的问题\n1.主动公开的内容不够全面；\n2.政策解读形式单一。\n（二）改进措施\n1.拓展公开内容；\n2.丰富解读形式。",
			[]string{"主动公开的内容不够全面", "政策解读形式单一"}},
		{"a heading on its own line, one problem",
			"（一）存在的问题\n主动公开的内容还不够全面，政策\n解读形式单一。\n（二）下一步工作打算\n进一步拓展公开内容。",
			[]string{"主动公开的内容还不够全面，政策解读形式单一"}},
		{"a line broken before 一是 by the margin", "存在的不足：\n一是公开时效性不强；二\n是解读不够深入。",
			[]string{"公开时效性不强", "解读不够深入"}},
		{"only plans", "下一步，将继续加强培训。", nil},
		{"empty", "  \n ", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rectify.FromReportText(c.text)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("got\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

// A report's problems, read back and registered as last year's, make the
// next report's （一） quote them as the report stated them.
func TestFromReportTextRoundTrip(t *testing.T) {
	last, this := seedProblems(t)
	text := rectify.SectionFive(2024, last, this).Text()
	got := rectify.FromReportText(text)
	if len(got) != 1 || got[0] != strings.TrimSuffix(this[0].Description, "。") {
		t.Fatalf("%q", got)
	}
	next := rectify.SectionFive(2025, []rectify.Problem{{ID: 3, Fields: rectify.Fields{Year: 2024, Description: got[0]}, Status: rectify.Open}}, nil)
	if !strings.Contains(next.Text(), "针对“‘福州海关12360’热线新媒体在做好信息发布和咨询服务的同时，与网友互动形式较为单一，形象不够活泼可亲”，尚未采取整改措施。") {
		t.Fatal(next.Text())
	}
}

// Whatever the text, reading it neither panics nor returns a candidate that
// keeps its trailing punctuation.
func FuzzFromReportText(f *testing.F) {
	for _, s := range []string{"（一）a。（二）目前存在问题。一是甲；二是乙。", "1.", "（", "一是", "第一，", "五、情况", "。如", "12.5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range rectify.FromReportText(s) {
			if c == "" || strings.HasSuffix(c, "。") || strings.HasSuffix(c, "；") {
				t.Fatalf("%q → %q", s, c)
			}
		}
		rectify.SectionFive(2024, []rectify.Problem{{Fields: rectify.Fields{Description: s}, Measures: []rectify.Measure{{Text: s}}}}, nil)
	})
}
