package annual

import "strings"

// RowKey names a standard row of table 三 in the JSON shape.
type RowKey string

// The standard rows of table 三 (国办公开办函〔2021〕30号), in printed order.
const (
	RowReceived                   RowKey = "received"
	RowCarriedOver                RowKey = "carried_over"
	RowDisclosed                  RowKey = "disclosed"
	RowPartlyDisclosed            RowKey = "partly_disclosed"
	RowWithheldStateSecret        RowKey = "withheld_state_secret"
	RowWithheldProhibitedByLaw    RowKey = "withheld_prohibited_by_law"
	RowWithheldSecurityStability  RowKey = "withheld_security_stability"
	RowWithheldThirdPartyRights   RowKey = "withheld_third_party_rights"
	RowWithheldInternalAffairs    RowKey = "withheld_internal_affairs"
	RowWithheldProcessInformation RowKey = "withheld_process_information"
	RowWithheldEnforcementFiles   RowKey = "withheld_enforcement_files"
	RowWithheldInquiryMatters     RowKey = "withheld_inquiry_matters"
	RowUnavailableNotHeld         RowKey = "unavailable_not_held"
	RowUnavailableNeedsCreation   RowKey = "unavailable_needs_creation"
	RowUnavailableStillUnclear    RowKey = "unavailable_still_unclear"
	RowNotProcessedPetition       RowKey = "not_processed_petition"
	RowNotProcessedRepeat         RowKey = "not_processed_repeat"
	RowNotProcessedPublication    RowKey = "not_processed_publication"
	RowNotProcessedExcessive      RowKey = "not_processed_excessive"
	RowNotProcessedConfirmation   RowKey = "not_processed_confirmation"
	RowOtherNoCorrection          RowKey = "other_no_correction"
	RowOtherNoFee                 RowKey = "other_no_fee"
	RowOtherOther                 RowKey = "other_other"
	RowTotalHandled               RowKey = "total_handled"
	RowCarriedForward             RowKey = "carried_forward"
)

// RowSpec describes a standard row of table 三: its key, the group it is
// printed under and its label in the format of 国办公开办函〔2021〕30号.
type RowSpec struct {
	Key RowKey
	// Group is the heading the row is printed under ("（三）不予公开"), or "".
	Group string
	// Label is the row's own label as the format prints it.
	Label string
	// Outcome is set for the rows that add up to （七）总计 (rule T3.OUTCOMES).
	Outcome bool

	// keywords place a printed label on this row: the row is the one whose
	// keyword occurs in the label.
	keywords []string
	// accepted are the wordings that are no FORMAT finding, compared after
	// numbering, brackets, punctuation and spaces are removed (see labelForm).
	accepted []string
}

// Table3Rows are the standard rows of table 三, in printed order.
var Table3Rows = []RowSpec{
	{Key: RowReceived, Label: "一、本年新收政府信息公开申请数量",
		keywords: []string{"新收"}, accepted: []string{"本年新收政府信息公开申请数量"}},
	{Key: RowCarriedOver, Label: "二、上年结转政府信息公开申请数量",
		keywords: []string{"上年结转", "上年度结转"}, accepted: []string{"上年结转政府信息公开申请数量"}},
	{Key: RowDisclosed, Group: "三、本年度办理结果", Label: "（一）予以公开", Outcome: true,
		keywords: []string{"予以公开"}, accepted: []string{"予以公开"}},
	{Key: RowPartlyDisclosed, Group: "三、本年度办理结果", Label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", Outcome: true,
		keywords: []string{"部分公开"}, accepted: []string{"部分公开区分处理的只计这一情形不计其他情形", "部分公开"}},
	{Key: RowWithheldStateSecret, Group: "（三）不予公开", Label: "1.属于国家秘密", Outcome: true,
		keywords: []string{"国家秘密"}, accepted: []string{"属于国家秘密"}},
	// 「其他法律法规禁止公开」 is an official wording too (the seed prints it);
	// 「其他法律行政止公开」 is matched by 「其他法律」 and is a FORMAT finding.
	{Key: RowWithheldProhibitedByLaw, Group: "（三）不予公开", Label: "2.其他法律行政法规禁止公开", Outcome: true,
		keywords: []string{"禁止公开", "其他法律"}, accepted: []string{"其他法律行政法规禁止公开", "其他法律法规禁止公开"}},
	{Key: RowWithheldSecurityStability, Group: "（三）不予公开", Label: "3.危及“三安全一稳定”", Outcome: true,
		keywords: []string{"三安全一稳定", "三安全"}, accepted: []string{"危及三安全一稳定"}},
	{Key: RowWithheldThirdPartyRights, Group: "（三）不予公开", Label: "4.保护第三方合法权益", Outcome: true,
		keywords: []string{"第三方"}, accepted: []string{"保护第三方合法权益"}},
	{Key: RowWithheldInternalAffairs, Group: "（三）不予公开", Label: "5.属于三类内部事务信息", Outcome: true,
		keywords: []string{"内部事务"}, accepted: []string{"属于三类内部事务信息"}},
	{Key: RowWithheldProcessInformation, Group: "（三）不予公开", Label: "6.属于四类过程性信息", Outcome: true,
		keywords: []string{"过程性"}, accepted: []string{"属于四类过程性信息"}},
	{Key: RowWithheldEnforcementFiles, Group: "（三）不予公开", Label: "7.属于行政执法案卷", Outcome: true,
		keywords: []string{"执法案卷"}, accepted: []string{"属于行政执法案卷"}},
	{Key: RowWithheldInquiryMatters, Group: "（三）不予公开", Label: "8.属于行政查询事项", Outcome: true,
		keywords: []string{"查询事项"}, accepted: []string{"属于行政查询事项"}},
	{Key: RowUnavailableNotHeld, Group: "（四）无法提供", Label: "1.本机关不掌握相关政府信息", Outcome: true,
		keywords: []string{"不掌握"}, accepted: []string{"本机关不掌握相关政府信息"}},
	{Key: RowUnavailableNeedsCreation, Group: "（四）无法提供", Label: "2.没有现成信息需要另行制作", Outcome: true,
		keywords: []string{"另行制作", "没有现成"}, accepted: []string{"没有现成信息需要另行制作"}},
	{Key: RowUnavailableStillUnclear, Group: "（四）无法提供", Label: "3.补正后申请内容仍不明确", Outcome: true,
		keywords: []string{"仍不明确", "补正后"}, accepted: []string{"补正后申请内容仍不明确"}},
	{Key: RowNotProcessedPetition, Group: "（五）不予处理", Label: "1.信访举报投诉类申请", Outcome: true,
		keywords: []string{"信访"}, accepted: []string{"信访举报投诉类申请"}},
	{Key: RowNotProcessedRepeat, Group: "（五）不予处理", Label: "2.重复申请", Outcome: true,
		keywords: []string{"重复申请"}, accepted: []string{"重复申请"}},
	{Key: RowNotProcessedPublication, Group: "（五）不予处理", Label: "3.要求提供公开出版物", Outcome: true,
		keywords: []string{"出版物"}, accepted: []string{"要求提供公开出版物"}},
	{Key: RowNotProcessedExcessive, Group: "（五）不予处理", Label: "4.无正当理由大量反复申请", Outcome: true,
		keywords: []string{"大量反复"}, accepted: []string{"无正当理由大量反复申请"}},
	{Key: RowNotProcessedConfirmation, Group: "（五）不予处理", Label: "5.要求行政机关确认或重新出具已获取信息", Outcome: true,
		keywords: []string{"重新出具"}, accepted: []string{"要求行政机关确认或重新出具已获取信息"}},
	{Key: RowOtherNoCorrection, Group: "（六）其他处理", Label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", Outcome: true,
		keywords: []string{"不补正"}, accepted: []string{"申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请", "申请人无正当理由逾期不补正"}},
	{Key: RowOtherNoFee, Group: "（六）其他处理", Label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", Outcome: true,
		keywords: []string{"缴纳费用", "收费通知"}, accepted: []string{"申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请", "申请人逾期未按收费通知要求缴纳费用"}},
	// Matched only by the exact label 「其他」 (or the single row （六）其他处理).
	{Key: RowOtherOther, Group: "（六）其他处理", Label: "3.其他", Outcome: true,
		accepted: []string{"其他", "其他处理"}},
	{Key: RowTotalHandled, Label: "（七）总计",
		keywords: []string{"总计"}, accepted: []string{"总计"}},
	{Key: RowCarriedForward, Label: "四、结转下年度继续办理",
		keywords: []string{"结转下年", "下年度继续办理"}, accepted: []string{"结转下年度继续办理"}},
}

// variantRows are printed rows that subdivide a standard row and are accepted
// as printed: the customs variant of （六）.
var variantRows = []struct {
	keywords []string
	countsAs RowKey
}{
	{[]string{"咨询"}, RowOtherOther},
	{[]string{"撤销申请", "撤回申请", "撤销", "撤回"}, RowOtherOther},
}

var rowIndex = func() map[RowKey]int {
	m := make(map[RowKey]int, len(Table3Rows))
	for i, s := range Table3Rows {
		m[s.Key] = i
	}
	return m
}()

// Spec returns the description of a standard row; ok is false for an unknown
// key.
func Spec(key RowKey) (spec RowSpec, ok bool) {
	i, ok := rowIndex[key]
	if !ok {
		return RowSpec{}, false
	}
	return Table3Rows[i], true
}

// ShortLabel is the row's label without its numbering, as used in messages:
// 「予以公开」, 「属于国家秘密」.
func (s RowSpec) ShortLabel() string {
	if l, ok := shortLabels[s.Key]; ok && l != "" {
		return l
	}
	return shortLabel(s.Label)
}

var shortLabels = func() map[RowKey]string {
	m := make(map[RowKey]string, len(Table3Rows))
	for _, s := range Table3Rows {
		m[s.Key] = shortLabel(s.Label)
	}
	return m
}()

func shortLabel(label string) string {
	l := stripNumbering(label)
	if i := strings.IndexRune(l, '（'); i > 0 {
		l = l[:i]
	}
	return l
}
