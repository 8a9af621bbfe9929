package requests

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// This file is the answer letter (政府信息公开申请答复书): its default texts
// per outcome, as data, each citing the article of 《中华人民共和国政府信息公开
// 条例》 the decision rests on (第三十六条至第三十九条、第十四至十六条、第三十条、
// 第三十五条、第四十二条), and the remedy notice every letter carries, once
// (条例第五十一条; 《中华人民共和国行政复议法》: 60 days; 《中华人民共和国行政
// 诉讼法》第四十六条: 6 months): the handler writes only what is specific to
// the application ({说明}). A unit's office head may replace a default
// text; the store keeps the unit's texts. The steps the letter recounts
// ({办理经过}) are those in the history (Procedure), never assumed.
//
// A text may use the placeholders of Placeholders, replaced when the
// letter is written.

// Placeholders lists the placeholders a letter text may use, with what each becomes.
var Placeholders = []struct{ Key, Meaning string }{
	{"{申请人}", "申请人姓名或名称"},
	{"{编号}", "申请编号"},
	{"{收到日期}", "收到申请之日（条例第三十一条）"},
	{"{申请内容}", "所需信息的描述"},
	{"{答复日期}", "答复日期"},
	{"{机关}", "答复机关名称"},
	{"{办理经过}", "实际办理过的环节：补正、征求意见及答复、延期、说明理由、收费（没有的不写）"},
	{"{说明}", "承办人填写的具体说明（提供的信息、理由、指引等）"},
	{"{信息标题}", "已主动公开的信息的标题（条例第三十六条第（一）项）"},
	{"{公开日期}", "该信息的公开日期"},
	{"{信息网址}", "该信息在门户网站上的网址"},
	{"{负责机关告知}", "负责公开该信息的机关及其联系方式，或无法确定时的说明（条例第三十六条第（五）项）"},
}

// RemedyNotice is the remedy notice of every letter to the applicant.
const RemedyNotice = "如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，或者自知道或应当知道本行政行为之日起6个月内依法向人民法院提起行政诉讼（《中华人民共和国政府信息公开条例》第五十一条、《中华人民共和国行政诉讼法》第四十六条）。"

// LetterKey names a letter text: an outcome row of table 三, or with a
// sub-kind ("other_other/申请人撤销申请", "disclosed/已主动公开").
func LetterKey(row annual.RowKey, subKind string) string {
	if subKind != "" {
		return string(row) + "/" + subKind
	}
	return string(row)
}

const lead = "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{编号}），申请获取“{申请内容}”。{办理经过}"

// DefaultLetterTexts are the platform's default texts, by LetterKey.
var DefaultLetterTexts = map[string]string{
	string(annual.RowDisclosed):                               lead + "经审查，您申请获取的政府信息属于公开范围。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，现向您提供该政府信息。{说明}",
	LetterKey(annual.RowDisclosed, SubAlreadyPublished):       lead + "经审查，您申请获取的政府信息已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，告知您获取该政府信息的方式和途径：该信息《{信息标题}》已于{公开日期}在本机关门户网站公开，网址为{信息网址}。{说明}",
	string(annual.RowPartlyDisclosed):                         lead + "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关向您提供可以公开的部分，并对不予公开的部分说明理由：{说明}",
	string(annual.RowWithheldStateSecret):                     lead + "经审查，您申请获取的政府信息依法确定为国家秘密。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关不予公开。{说明}",
	string(annual.RowWithheldProhibitedByLaw):                 lead + "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关不予公开。{说明}",
	string(annual.RowWithheldSecurityStability):               lead + "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关不予公开。{说明}",
	string(annual.RowWithheldThirdPartyRights):                lead + "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。根据《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项的规定，本机关不予公开。{说明}",
	string(annual.RowWithheldInternalAffairs):                 lead + "经审查，您申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息。根据《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项的规定，本机关不予公开。{说明}",
	string(annual.RowWithheldProcessInformation):              lead + "经审查，您申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，本机关不予公开。{说明}",
	string(annual.RowWithheldEnforcementFiles):                lead + "经审查，您申请获取的信息属于行政执法案卷信息。根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，本机关不予公开。{说明}",
	string(annual.RowWithheldInquiryMatters):                  lead + "经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的行政查询事项。根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理。{说明}",
	string(annual.RowUnavailableNotHeld):                      lead + "经检索查找，本机关未制作或获取您所申请的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，本机关告知您该政府信息不存在。{说明}",
	LetterKey(annual.RowUnavailableNotHeld, SubNotThisAgency): lead + "经审查，您申请获取的政府信息不属于本机关负责公开。根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定，{负责机关告知}{说明}",
	string(annual.RowUnavailableNeedsCreation):                lead + "经审查，本机关没有您所申请的现成信息，提供该信息需要对现有政府信息进行加工、分析。根据《中华人民共和国政府信息公开条例》第三十八条的规定，本机关不予提供。{说明}",
	string(annual.RowUnavailableStillUnclear):                 lead + "本机关已依照《中华人民共和国政府信息公开条例》第三十条的规定告知您作出补正，经补正后申请内容仍不明确，本机关无法提供。{说明}",
	string(annual.RowNotProcessedPetition):                    lead + "经审查，您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动。根据《中华人民共和国政府信息公开条例》第三十九条第一款的规定，本机关不作为政府信息公开申请处理，并告知您通过相应渠道提出。{说明}",
	string(annual.RowNotProcessedRepeat):                      lead + "经审查，本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（六）项的规定，本机关不予重复处理。{说明}",
	string(annual.RowNotProcessedPublication):                 lead + "经审查，您申请获取的是公开出版物。根据《中华人民共和国政府信息公开条例》第三十九条第二款的规定，本机关告知您获取的途径，不予提供。{说明}",
	string(annual.RowNotProcessedExcessive):                   lead + "经审查，您的申请数量、频次明显超过合理范围，您未能说明合理理由。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关不予处理。{说明}",
	string(annual.RowNotProcessedConfirmation):                lead + "经审查，您的申请是要求本机关确认或者重新出具已获取的信息。根据《中华人民共和国政府信息公开条例》第三十九条第二款的规定，本机关不作为政府信息公开申请处理。{说明}",
	string(annual.RowOtherNoCorrection):                       lead + "本机关已依照《中华人民共和国政府信息公开条例》第三十条的规定一次性告知您作出补正，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。{说明}",
	string(annual.RowOtherNoFee):                              lead + "本机关已依照《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）向您发出收费通知，您逾期未缴纳费用，视为放弃申请，本机关不再处理该政府信息公开申请。{说明}",
	string(annual.RowOtherOther):                              lead + "根据《中华人民共和国政府信息公开条例》第三十六条的规定，本机关答复如下：{说明}",
	LetterKey(annual.RowOtherOther, SubConsultChannel):        lead + "经审查，您所提出的属于咨询事项，不属于政府信息公开申请。根据《中华人民共和国政府信息公开条例》第三十九条第一款的规定，请您通过本机关咨询渠道提出：{说明}",
	LetterKey(annual.RowOtherOther, SubWithdrawn):             lead + "您已于本机关答复前撤回该申请。政府信息公开申请依申请人的意愿提出（《中华人民共和国政府信息公开条例》第二十七条），本机关终止办理。{说明}",
}

// LetterKeys lists the keys of the texts in the order of table 三.
func LetterKeys() []string {
	var out []string
	for _, spec := range annual.Table3Rows {
		if !spec.Outcome {
			continue
		}
		out = append(out, string(spec.Key))
		switch spec.Key {
		case annual.RowDisclosed:
			out = append(out, LetterKey(spec.Key, SubAlreadyPublished))
		case annual.RowUnavailableNotHeld:
			out = append(out, LetterKey(spec.Key, SubNotThisAgency))
		case annual.RowOtherOther:
			out = append(out, LetterKey(spec.Key, SubConsultChannel), LetterKey(spec.Key, SubWithdrawn))
		}
	}
	return out
}

// LetterKeyLabel is the Chinese name of a letter text.
func LetterKeyLabel(key string) string {
	row, sub, _ := strings.Cut(key, "/")
	spec, ok := annual.Spec(annual.RowKey(row))
	if !ok {
		return key
	}
	l := spec.Label
	if spec.Group != "" {
		l = spec.Group + " " + l
	}
	if sub != "" {
		l += "：" + sub
	}
	return l
}

// ValidLetterText checks a unit's text: not empty, no unknown placeholder,
// and it still names its legal basis (an article of the 条例 or a
// document). It must not carry its own remedy notice: the letter adds the
// one notice every letter carries.
func ValidLetterText(text string) error {
	t := strings.TrimSpace(text)
	if t == "" {
		return errs.FieldError("text", "答复书正文不能为空。")
	}
	rest := t
	for {
		i := strings.Index(rest, "{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "}")
		if j < 0 {
			return errs.FieldError("text", "占位符缺少右括号“}”。")
		}
		ph := rest[i : i+j+1]
		known := false
		for _, p := range Placeholders {
			known = known || p.Key == ph
		}
		if !known {
			return errs.FieldError("text", "未知的占位符%s。", ph)
		}
		rest = rest[i+j+1:]
	}
	if !strings.Contains(t, "第") || !strings.Contains(t, "条") && !strings.Contains(t, "号") {
		return errs.FieldError("text", "答复书正文应写明法律依据（条例第×条）。")
	}
	if strings.Contains(t, "行政复议") && strings.Contains(t, "行政诉讼") {
		return errs.FieldError("text", "救济途径告知由系统统一附在答复书末尾，正文中不要重复。")
	}
	return nil
}

// PublishedRef is an item already proactively published, as an answer
// under 第三十六条第（一）项 points to it.
type PublishedRef struct {
	Title string
	On    calendar.Date
	URL   string
}

// LetterData is what fills an answer letter.
type LetterData struct {
	Unit        string
	Office      Office
	ReceiptNo   string
	Applicant   string
	ReceivedOn  calendar.Date
	Description string
	AnsweredOn  calendar.Date
	Outcome     annual.RowKey
	SubKind     string
	Note        string  // the handler's specific explanation
	History     []Event // the application's events: what {办理经过} recounts and the decision's details
	Published   *PublishedRef
}

// WriteLetter fills text (the unit's or the default for the outcome) with d
// and adds the remedy notice.
func WriteLetter(text string, d LetterData) (Letter, error) {
	if text == "" {
		text = DefaultLetterTexts[LetterKey(d.Outcome, d.SubKind)]
		if text == "" {
			text = DefaultLetterTexts[string(d.Outcome)]
		}
	}
	if text == "" {
		return Letter{}, errs.E(errs.Invalid, "没有“%s”的答复书模板。", d.Outcome)
	}
	var decided Event
	for _, e := range d.History {
		if e.Kind == Decided {
			decided = e
		}
	}
	agency := "本机关暂无法确定负责公开该政府信息的行政机关，请您向制作或者保存该政府信息的行政机关提出申请。"
	if decided.PartyName != "" {
		agency = "该政府信息由" + decided.PartyName + "负责公开"
		if decided.Contact != "" {
			agency += "（联系方式：" + decided.Contact + "）"
		}
		agency += "，请您向其提出申请。"
	}
	var title, on, link string
	if p := d.Published; p != nil {
		title, on, link = p.Title, ChineseDate(p.On), p.URL
	} else if strings.Contains(text, "{信息网址}") {
		return Letter{}, errs.E(errs.Invalid, "答复书须写明已公开信息的网址，但没有找到该信息。")
	}
	rep := strings.NewReplacer("{申请人}", d.Applicant, "{编号}", d.ReceiptNo, "{收到日期}", ChineseDate(d.ReceivedOn),
		"{申请内容}", quoted(d.Description), "{答复日期}", ChineseDate(d.AnsweredOn), "{机关}", d.Unit, "{说明}", sentence(d.Note),
		"{办理经过}", Procedure(d.History), "{信息标题}", title, "{公开日期}", on, "{信息网址}", link, "{负责机关告知}", agency)
	l := compose(LetterAnswer, LetterAnswer.Title(), d.Unit, text, rep, d.AnsweredOn, d.Office)
	if l.Addressee == "" {
		l.Addressee = d.Applicant
	}
	l.Paragraphs = append(l.Paragraphs, RemedyNotice)
	return l, nil
}

// ChineseDate writes a date as 2024年3月5日.
func ChineseDate(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// ContentHash is the hex SHA-256 of a generated document, kept with it.
func ContentHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
