package publish

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// CategorySpec describes a category of a default catalogue, with its
// children.
type CategorySpec struct {
	Category
	Children []CategorySpec
}

// CustomsCatalogue is the default catalogue of a customs unit (直属海关): the
// columns its annual report counts (the seed report's section 一（一）:
// 公告, 通告, 通知, 采购招标信息, 行政执法“双公示”, “双随机、一公开”,
// 公务员考录和事业单位招聘, “关长接待日”; 办事指南 updates; 政策指南和办理指引;
// 新闻发布会; 政策解读), the fifteen items of 条例第二十条, and the columns
// every portal carries (信息公开指南, 信息公开制度, 政府信息公开年报).
func CustomsCatalogue() []CategorySpec {
	c := func(slug, name, noun, measure string, inReport bool, children ...CategorySpec) CategorySpec {
		return CategorySpec{Category: Category{Slug: slug, Name: name, Noun: noun, Measure: measure, InReport: inReport}, Children: children}
	}
	art := func(slug, name, article, intro string) CategorySpec {
		return CategorySpec{Category: Category{Slug: slug, Name: name, Article: article, Intro: intro}}
	}
	col := func(slug, name, column, intro string) CategorySpec {
		return CategorySpec{Category: Category{Slug: slug, Name: name, Column: column, Intro: intro}}
	}
	return []CategorySpec{
		c("notices", "通知公告", "", "", false,
			c("gonggao", "公告", "", "条", true),
			c("tonggao", "通告", "", "条", true),
			c("tongzhi", "通知", "", "条", true),
		),
		c("procurement", "采购招标信息", "", "条", true),
		c("shuanggongshi", "行政执法“双公示”", "", "条", true),
		c("shuangsuiji", "“双随机、一公开”", "“双随机、一公开”信息", "条", true),
		c("recruitment", "公务员考录和事业单位招聘", "公务员考录和事业单位招聘信息", "条", true),
		c("reception", "“关长接待日”", "“关长接待日”信息", "期", true),
		c("guides", "办事指南", "", "条", false),
		c("policy-guides", "政策指南和办理指引", "", "篇次", false),
		c("press", "新闻发布会", "", "场", false),
		c("interpretation", "政策解读", "", "篇", false),
		{Category: Category{Slug: "art20", Name: "法定主动公开内容", Intro: "《政府信息公开条例》第二十条规定应当主动公开的政府信息。"}, Children: []CategorySpec{
			art("art20-1", "规章和行政规范性文件", "第二十条第（一）项", "行政法规、规章和规范性文件。"),
			art("art20-2", "机构职能", "第二十条第（二）项", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名。"),
			art("art20-3", "规划计划", "第二十条第（三）项", "国民经济和社会发展规划、专项规划、区域规划及相关政策。"),
			art("art20-4", "统计信息", "第二十条第（四）项", "国民经济和社会发展统计信息。"),
			art("art20-5", "行政许可", "第二十条第（五）项", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果。"),
			art("art20-6", "行政处罚和行政强制", "第二十条第（六）项", "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定。"),
			art("art20-7", "财政预算决算", "第二十条第（七）项", "财政预算、决算信息。"),
			art("art20-8", "行政事业性收费", "第二十条第（八）项", "行政事业性收费项目及其依据、标准。"),
			art("art20-9", "政府集中采购", "第二十条第（九）项", "政府集中采购项目的目录、标准及实施情况。"),
			art("art20-10", "重大建设项目", "第二十条第（十）项", "重大建设项目的批准和实施情况。"),
			art("art20-11", "民生保障", "第二十条第（十一）项", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况。"),
			art("art20-12", "应急管理", "第二十条第（十二）项", "突发公共事件的应急预案、预警信息及应对情况。"),
			art("art20-13", "监督检查", "第二十条第（十三）项", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况。"),
			art("art20-14", "公务员招考", "第二十条第（十四）项", "公务员招考的职位、名额、报考条件等事项以及录用结果。"),
			art("art20-15", "其他法定公开信息", "第二十条第（十五）项", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息。"),
		}},
		col("guide", "信息公开指南", "guide", "本机关政府信息公开的范围、方式、申请程序和监督途径。"),
		col("rules", "信息公开制度", "rules", "本机关政府信息公开工作的规章制度。"),
		col("reports", "政府信息公开年报", "reports", "本机关历年政府信息公开工作年度报告。"),
	}
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,47}$`)

// Portal columns a category may fill.
var ColumnNames = map[string]string{"guide": "信息公开指南", "rules": "信息公开制度", "reports": "政府信息公开年报"}

// ValidateCategory checks a category before it is stored.
func ValidateCategory(c *Category) error {
	var f errs.Fields
	c.Slug = strings.TrimSpace(strings.ToLower(c.Slug))
	c.Name = strings.TrimSpace(c.Name)
	c.Noun = strings.TrimSpace(c.Noun)
	c.Measure = strings.TrimSpace(c.Measure)
	if !slugRE.MatchString(c.Slug) {
		f.Add("slug", "网址标识须为 1–48 位小写字母、数字或连字符")
	}
	if c.Name == "" {
		f.Add("name", "请填写类别名称")
	} else if utf8.RuneCountInString(c.Name) > 40 {
		f.Add("name", "类别名称不能超过 40 个字")
	}
	if utf8.RuneCountInString(c.Measure) > 4 {
		f.Add("measure", "量词不能超过 4 个字")
	}
	if _, ok := ColumnNames[c.Column]; c.Column != "" && !ok {
		f.Add("column", "门户栏目不正确")
	}
	return f.Err()
}
