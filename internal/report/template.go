package report

import (
	"encoding/json"
	"fmt"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// TemplateKey is the unit setting that holds the template of a scope.
func TemplateKey(scope annual.Scope) string { return "report.template." + string(scope) }

// TemplateOf returns the unit's template for a scope, or the default one;
// custom says which.
func TemplateOf(settings map[string]string, scope annual.Scope) (t annual.TextTemplate, custom bool, err error) {
	raw := settings[TemplateKey(scope)]
	if raw == "" {
		return DefaultTemplate(), false, nil
	}
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return t, true, fmt.Errorf("stored report template: %w", err)
	}
	return t, true, nil
}

// EncodeTemplate checks a template against the catalogue's definitions and
// returns what the unit setting stores. An unknown placeholder is refused
// with the part it is in.
func EncodeTemplate(t annual.TextTemplate, defs []annual.FigureDef) (string, error) {
	if err := annual.ValidateTemplate(t, defs); err != nil {
		return "", err
	}
	// Keep the parts in printed order, every part present.
	var out annual.TextTemplate
	for _, pk := range annual.PartKeys {
		out.Parts = append(out.Parts, t.Part(pk.Key))
	}
	b, err := json.Marshal(out)
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "保存模板失败")
	}
	return string(b), nil
}

// DefaultTemplate is the template a unit starts from: a plain account of
// each part, every figure a placeholder. Staff edit it into their own
// wording.
func DefaultTemplate() annual.TextTemplate {
	return annual.TextTemplate{Parts: []annual.TemplatePart{
		{Key: annual.PartPublishing, Heading: "（一）主动公开信息情况。",
			Body: "{年度}年，{主体}通过门户网站发布政府信息{主动公开.发布总数}条，网站发布信息同比{主动公开.发布总数:增长}。更新办事指南等信息{主动公开.更新条次}条次。"},
		{Key: annual.PartRequests, Heading: "（二）依申请公开办理情况。",
			Body: "严格落实依申请公开办理流程。{年度}年{范围}共收到政府信息公开申请{依申请.新收}件，上年结转{依申请.上年结转}件，内容涉及{依申请.内容涉及}等；" +
				"办结{依申请.办结}件，其中办理答复{依申请.办理答复}件，申请人撤回{依申请.撤回}件；结转下年度继续办理{依申请.结转下年}件。{复议诉讼.情况}。"},
		{Key: annual.PartPlatforms, Heading: "（三）信息公开平台建设情况。",
			Body: "接听热线电话咨询{热线.接听量}条次，接通率{热线.接通率}，满意度得分{热线.满意度}分。" +
				"答复门户网站咨询{咨询.答复}条，办理留言{留言.办理}条，平均办理时效{留言.平均办理时效}个自然日，网站访问量{网站.访问量:增长}。" +
				"召开新闻发布会{发布会.场次}场，组织宣讲活动{宣讲.场次}场，覆盖企业{宣讲.覆盖企业:约数}家。"},
		{Key: annual.PartOversight, Heading: "（四）信息公开管理和监督保障情况。",
			Body: "按照“谁制作、谁认定”原则确定政府信息公开属性，按照“先审查、后公开”“谁公开、谁审查”“谁审查、谁负责”原则做好发布管理，对政府信息不予公开决定进行法制审核。" +
				"通过门户网站开展调查问卷{调查问卷.份数}份，收到答卷{调查问卷.答卷}份，收集企业群众意见建议。{投诉.情况}。"},
		{Key: annual.PartOther},
	}}
}
