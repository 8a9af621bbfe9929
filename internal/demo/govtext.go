package demo

import (
	"math/rand/v2"
	"strings"
)

// The vocabulary of the demo's texts and of the search benchmark's corpus:
// phrases as they recur in customs and government documents (公告, 通知,
// 办事指南, 政策解读), combined at random into sentences and paragraphs. The
// words are real; the combinations are not documents anyone issued.

var subjects = []string{
	"海关总署", "福州海关", "各隶属海关", "马尾海关", "福州长乐机场海关", "福清海关", "综合业务处", "关税处", "监管通关处",
	"企业管理和稽查处", "政策法规处", "办公室", "12360海关热线", "进出口企业", "报关单位", "跨境电商企业", "海关认证企业",
	"进出口货物收发货人", "出入境旅客", "口岸查验单位", "地方政府有关部门", "外贸综合服务企业", "加工贸易企业", "综合保税区",
}

var verbs = []string{
	"进一步优化", "认真贯彻落实", "持续深化", "全面推进", "严格执行", "切实加强", "积极推动", "统筹做好", "扎实开展",
	"不断完善", "依法规范", "加快推进", "大力支持", "稳步实施", "有效防范", "精准实施", "及时公开", "主动披露",
}

var objects = []string{
	"口岸营商环境", "通关便利化改革", "跨境贸易便利化", "政府信息公开工作", "进出口商品检验检疫", "原产地管理",
	"《区域全面经济伙伴关系协定》（RCEP）实施", "关税征管", "海关统计数据发布", "加工贸易监管", "知识产权海关保护",
	"进口食品安全监管", "出口农产品质量安全", "跨境电商零售进出口监管", "“双随机、一公开”监管", "行政许可事项办理",
	"海关信用管理", "查验作业规范", "打击走私综合治理", "国门生物安全", "口岸公共卫生安全", "减税降费政策",
	"“提前申报”“两步申报”通关模式", "进出口环节涉企收费", "政务服务“一网通办”", "海关行政执法公示",
	"行政执法全过程记录", "重大执法决定法制审核", "税款担保", "汇总征税", "保税监管", "属地查检",
}

var clauses = []string{
	"按照“谁制作、谁认定”原则确定公开属性", "坚持“先审查、后公开”", "做到“谁公开、谁审查、谁负责”",
	"依据《中华人民共和国海关法》有关规定", "根据《中华人民共和国政府信息公开条例》", "经海关总署批准",
	"现将有关事项公告如下", "现就有关事项通知如下", "请各单位结合实际认真抓好落实", "执行中遇到的问题请及时报告",
	"本公告自发布之日起施行", "企业可通过“单一窗口”或“互联网+海关”办理", "相关业务可拨打12360海关热线咨询",
	"对符合条件的企业实施便利措施", "压缩整体通关时间", "降低进出口环节合规成本", "不断提升企业和群众获得感",
	"做到应公开尽公开", "确保公开信息准确、及时、规范", "接受社会监督", "切实保障企业合法权益", "进一步方便企业办事",
	"对违反规定的依法予以处理", "办理时限为20个工作日", "申请材料齐全、符合法定形式的当场受理",
}

var nouns = []string{
	"申报", "查验", "放行", "征税", "备案", "核销", "稽查", "许可", "审批", "公示", "抽查", "检疫", "监管", "通关",
	"关税", "税率", "配额", "证书", "单证", "舱单", "集装箱", "船舶", "航班", "旅客", "行邮物品", "快件", "邮件",
}

// GovSentence returns one sentence of government writing.
func GovSentence(rng *rand.Rand) string {
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	switch rng.IntN(4) {
	case 0:
		return pick(subjects) + pick(verbs) + pick(objects) + "，" + pick(clauses) + "。"
	case 1:
		return pick(clauses) + "，" + pick(subjects) + pick(verbs) + pick(objects) + "。"
	case 2:
		return "在" + pick(nouns) + "和" + pick(nouns) + "环节，" + pick(verbs) + pick(objects) + "，" + pick(clauses) + "。"
	}
	return pick(subjects) + "将" + pick(verbs) + pick(objects) + "和" + pick(objects) + "，" + pick(clauses) + "。"
}

// GovParagraphs returns n paragraphs of about perPara sentences each.
func GovParagraphs(rng *rand.Rand, n, perPara int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for j := 0; j < perPara; j++ {
			b.WriteString(GovSentence(rng))
		}
		out[i] = b.String()
	}
	return out
}

// GovTitle returns a title in the manner of a customs notice.
func GovTitle(rng *rand.Rand) string {
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	kinds := []string{"的公告", "的通知", "的通告", "工作方案", "办事指南", "操作指引", "实施办法", "政策解读"}
	return "关于" + pick(verbs) + pick(objects) + pick(kinds)
}
