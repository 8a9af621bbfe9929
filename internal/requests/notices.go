package requests

import (
	"strconv"
	"strings"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// This file is the letters an application's life sends besides the
// answer, each a document kept with the application like the answer
// letter, each from a step that happened:
//
//   - 补正申请告知书 (条例第三十条): what to correct, once, by when, and how to
//     send it — online against the receipt number and query code, or by
//     post, e-mail or telephone as the unit's settings say;
//   - 延期答复告知书 (条例第三十三条第二款): how long, and the new due date;
//   - 信息处理费收费通知书 (条例第四十二条, 国办函〔2020〕109号): the basis,
//     the standard, the amount and how to pay, and the 20 working days from
//     receipt; per request it says the requests clearly exceed a reasonable
//     number, per page only that the pages exceed the free 30;
//   - 征求意见书 (第三十二条、第三十四条): to the third party or the other
//     agency, with its 15 working days from receipt and what silence means;
//   - 说明理由通知书 (第三十五条): the request for reasons;
//   - 延迟答复告知书 (第三十五条): reasons accepted, the later answer date;
//   - 第三方告知书 (第三十二条): the decision to disclose against the third
//     party's objection, what and why, with the third party's remedy.
//
// Their texts are data (NoticeTexts), each citing its article; the answer
// letter's texts are in answerletter.go.

// NoticeKind names a document; each follows one step.
type NoticeKind string

// The documents, named by the step that sends them.
const (
	NoticeCorrection NoticeKind = NoticeKind(CorrectionRequested)
	NoticeExtension  NoticeKind = NoticeKind(Extended)
	NoticeFee        NoticeKind = NoticeKind(FeeNoticed)
	NoticeConsult    NoticeKind = NoticeKind(ConsultStarted)
	NoticeReasons    NoticeKind = NoticeKind(ReasonsRequested)
	NoticeLater      NoticeKind = NoticeKind(ReasonsAccepted)
	NoticeThirdParty NoticeKind = "third_party"
	// LetterAnswer is the answer letter's kind among an application's documents.
	LetterAnswer NoticeKind = "answer"
)

// NoticeKinds lists the notices in the order of an application's life.
var NoticeKinds = []NoticeKind{NoticeCorrection, NoticeConsult, NoticeReasons, NoticeLater, NoticeExtension, NoticeFee, NoticeThirdParty}

// NoticesFor lists the documents a step sends besides the answer letter:
// st is the state after it (the answer sends the third party's letter when
// the decision went against its objection).
func NoticesFor(e Event, st State) []NoticeKind {
	switch e.Kind {
	case CorrectionRequested, Extended, FeeNoticed, ConsultStarted, ReasonsRequested, ReasonsAccepted:
		return []NoticeKind{NoticeKind(e.Kind)}
	case Answered:
		if st.PublicInterest {
			return []NoticeKind{NoticeThirdParty}
		}
	}
	return nil
}

// ToApplicant reports whether the applicant receives the document (and may
// download it with the query code): all but the consultation and the third
// party's letter.
func (k NoticeKind) ToApplicant() bool { return k != NoticeConsult && k != NoticeThirdParty }

// Title is the document's title (the agency's name goes before it).
func (k NoticeKind) Title() string {
	switch k {
	case NoticeCorrection:
		return "补正申请告知书"
	case NoticeExtension:
		return "延期答复告知书"
	case NoticeFee:
		return "信息处理费收费通知书"
	case NoticeConsult:
		return "政府信息公开征求意见书"
	case NoticeReasons:
		return "说明理由通知书"
	case NoticeLater:
		return "延迟答复告知书"
	case NoticeThirdParty:
		return "政府信息公开决定告知书"
	case LetterAnswer:
		return "政府信息公开申请答复书"
	case LetterReceipt:
		return "政府信息公开申请受理回执"
	}
	return string(k)
}

// ThirdPartyRemedy is the remedy notice of the third party's letter: a
// decision to disclose against its objection is an administrative act it
// may challenge.
const ThirdPartyRemedy = "如对本决定不服，可以自收到本告知书之日起60日内依法申请行政复议，或者自知道或应当知道本行政行为之日起6个月内依法向人民法院提起行政诉讼。"

const noticeLead = "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{编号}），申请获取“{申请内容}”。"

// NoticeTexts are the documents' texts. Besides the answer letter's
// placeholders they use {日期} (the day of the notice), {期限} (the last day
// to correct or to pay, or the new due date), {天数} (the extension),
// {金额} (the fee in yuan), {页数}, {收费标准}, {缴费方式}, {其他方式} (how
// else to send something to the office), {对象} (the consulted party),
// {征求日期}, {答复日期}, {说明理由日期}.
var NoticeTexts = map[string]string{
	string(NoticeCorrection): noticeLead + "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您作出补正，需要补正的事项如下：{说明}\n" +
		"请您于{期限}前提交补正后的申请：可以凭申请编号和查询码在本机关门户网站“依申请公开”栏目的进度查询页面在线提交，{其他方式}。答复期限自本机关收到补正的申请之日起计算；您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
	string(NoticeExtension): noticeLead + "因{说明}，本机关不能在收到申请之日起20个工作日内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经政府信息公开工作机构负责人同意，答复期限延长{天数}个工作日，本机关将于{期限}前作出答复。",
	string(NoticeFee) + "/" + string(PerRequest): noticeLead + "经审查，您在本自然月内向本机关提出的政府信息公开申请数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关按件计收信息处理费，收费标准为：{收费标准}。{说明}您应缴纳信息处理费{金额}元。\n" +
		"缴费方式：{缴费方式}。请您自收到本通知书之日起20个工作日内（{期限}前）缴纳；逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。等待缴费期间不计入答复期限。",
	string(NoticeFee) + "/" + string(PerPage): noticeLead + "经审查，您本次申请获取的政府信息共{页数}页，超过免收信息处理费的30页。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关按量计收信息处理费，收费标准为：{收费标准}。{说明}您应缴纳信息处理费{金额}元。\n" +
		"缴费方式：{缴费方式}。请您自收到本通知书之日起20个工作日内（{期限}前）缴纳；逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。等待缴费期间不计入答复期限。",
	string(NoticeConsult) + "/" + string(PartyThird): "{对象}：\n本机关于{收到日期}收到一件政府信息公开申请（申请编号：{编号}），申请获取“{申请内容}”。经审查，该政府信息可能涉及你方的商业秘密、个人隐私等合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求你方意见。{说明}\n" +
		"请你方自收到本征求意见书之日起15个工作日内（收到之日不计入）书面提出是否同意公开的意见；不同意公开的，请说明理由。意见可以{其他方式}。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。",
	string(NoticeConsult) + "/" + string(PartyAgency): "{对象}：\n本机关于{收到日期}收到一件政府信息公开申请（申请编号：{编号}），申请获取“{申请内容}”。该政府信息由本机关与你机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求你机关意见。{说明}\n" +
		"请你机关自收到本征求意见书之日起15个工作日内（收到之日不计入）提出意见，意见可以{其他方式}。逾期未提出意见的，视为同意公开。",
	string(NoticeReasons): noticeLead + "经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第三十五条的规定，请您说明理由。{说明}\n" +
		"您可以凭申请编号和查询码在本机关门户网站“依申请公开”栏目查看本通知书，说明理由可以{其他方式}。本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在规定期限内答复的，将确定延迟答复的合理期限并告知您。",
	string(NoticeLater): noticeLead + "本机关已于{说明理由日期}要求您说明理由。经审查，您说明的理由合理，但本机关无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关确定延迟答复的期限，将于{期限}前作出答复。{说明}",
	string(NoticeThirdParty): "{对象}：\n本机关于{征求日期}就一件政府信息公开申请（申请编号：{编号}）所申请的“{申请内容}”书面征求你方意见，你方于{答复日期}答复不同意公开。经审查，本机关认为不公开该政府信息会对公共利益造成重大影响。根据《中华人民共和国政府信息公开条例》第十五条、第三十二条的规定，本机关决定予以公开，现将决定公开的政府信息内容和理由书面告知你方。\n" +
		"决定公开的政府信息：“{申请内容}”。理由：{说明}",
}

// noticeKey is the key of a notice's text: the fee's by its basis, the
// consultation's by its party.
func noticeKey(kind NoticeKind, d NoticeData) string {
	switch kind {
	case NoticeFee:
		if d.Basis == PerPage {
			return string(kind) + "/" + string(PerPage)
		}
		return string(kind) + "/" + string(PerRequest)
	case NoticeConsult:
		if d.Party == PartyAgency {
			return string(kind) + "/" + string(PartyAgency)
		}
		return string(kind) + "/" + string(PartyThird)
	}
	return string(kind)
}

// NoticeData is what fills a notice.
type NoticeData struct {
	Unit        string
	Office      Office
	ReceiptNo   string
	Applicant   string
	ReceivedOn  calendar.Date
	Description string
	On          calendar.Date // the day of the notice
	Due         calendar.Date // the last day to correct, pay or reply; the new due date
	Days        int
	Yuan        int
	Basis       FeeBasis
	Pages       int
	Bands       FeeBands
	Party       Party
	PartyName   string
	ConsultedOn calendar.Date // the third party's letter: when it was consulted and replied
	RepliedOn   calendar.Date
	ReasonsOn   calendar.Date // the day reasons were asked for
	Note        string
}

// WriteNotice fills the notice's text with d. Every field the notice needs
// must be there: a notice with a blank amount, date or item is never sent.
func WriteNotice(kind NoticeKind, d NoticeData) (Letter, error) {
	text, ok := NoticeTexts[noticeKey(kind, d)]
	if !ok {
		return Letter{}, errs.E(errs.Invalid, "没有“%s”的告知书模板。", kind)
	}
	if d.On.IsZero() || d.Due.IsZero() && kind != NoticeReasons && kind != NoticeThirdParty {
		return Letter{}, errs.E(errs.Invalid, "%s缺少日期或期限。", kind.Title())
	}
	switch kind {
	case NoticeFee:
		if d.Yuan <= 0 {
			return Letter{}, errs.E(errs.Invalid, "收费通知书缺少金额。")
		}
		if d.Basis == PerPage && d.Pages <= 0 {
			return Letter{}, errs.E(errs.Invalid, "按量计收的收费通知书缺少页数。")
		}
	case NoticeCorrection:
		if strings.TrimSpace(d.Note) == "" {
			return Letter{}, errs.FieldError("note", "请写明需要补正的事项（条例第三十条：一次性告知）。")
		}
	case NoticeExtension:
		if strings.TrimSpace(d.Note) == "" {
			d.Note = "所申请信息需要检索、审查的工作量较大"
		}
	case NoticeLater:
		if d.ReasonsOn.IsZero() {
			return Letter{}, errs.E(errs.Invalid, "延迟答复告知书缺少要求说明理由的日期。")
		}
	case NoticeThirdParty:
		if d.ConsultedOn.IsZero() || d.RepliedOn.IsZero() || strings.TrimSpace(d.Note) == "" {
			return Letter{}, errs.E(errs.Invalid, "第三方告知书须写明征求意见和答复的日期以及决定公开的理由。")
		}
	}
	note := sentence(d.Note)
	if kind == NoticeExtension {
		note = strings.TrimRight(strings.TrimSpace(d.Note), "。，；")
	}
	addressee := d.PartyName
	if addressee == "" {
		addressee = "第三方"
		if d.Party == PartyAgency {
			addressee = "有关机关"
		}
	}
	standard := d.Bands.RequestStandard()
	if d.Basis == PerPage {
		standard = d.Bands.PageStandard()
	}
	rep := strings.NewReplacer("{申请人}", d.Applicant, "{编号}", d.ReceiptNo, "{收到日期}", ChineseDate(d.ReceivedOn),
		"{申请内容}", quoted(d.Description), "{机关}", d.Unit, "{说明}", note, "{日期}", ChineseDate(d.On), "{期限}", ChineseDate(d.Due),
		"{天数}", strconv.Itoa(d.Days), "{金额}", strconv.Itoa(d.Yuan), "{页数}", strconv.Itoa(d.Pages), "{收费标准}", standard,
		"{缴费方式}", strings.TrimRight(d.Office.Payment, "。"), "{其他方式}", d.Office.ElseWhere(), "{对象}", addressee,
		"{征求日期}", ChineseDate(d.ConsultedOn), "{答复日期}", ChineseDate(d.RepliedOn), "{说明理由日期}", ChineseDate(d.ReasonsOn))
	l := compose(kind, kind.Title(), d.Unit, text, rep, d.On, d.Office)
	if kind == NoticeThirdParty {
		l.Paragraphs = append(l.Paragraphs, ThirdPartyRemedy)
	}
	return l, nil
}
