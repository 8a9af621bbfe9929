package requests

import (
	"strconv"
	"strings"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// This file is the procedural notices an application's life sends the
// applicant before the answer, each as a document kept with the
// application like the answer letter:
//
//   - 补正申请告知书 (条例第三十条): what to correct, once, and by when;
//   - 延期答复告知书 (条例第三十三条第二款): how long, and the new due date;
//   - 信息处理费收费通知书 (条例第四十二条, 国办函〔2020〕109号): the amount,
//     how it was computed, and the last day to pay.
//
// Their texts are data (NoticeTexts), each citing its article; the answer
// letter's texts are in answerletter.go.

// NoticeKind names a notice; each follows one event.
type NoticeKind string

// The notices, named by the event that sends them.
const (
	NoticeCorrection NoticeKind = NoticeKind(CorrectionRequested)
	NoticeExtension  NoticeKind = NoticeKind(Extended)
	NoticeFee        NoticeKind = NoticeKind(FeeNoticed)
	// LetterAnswer is the answer letter's kind among an application's documents.
	LetterAnswer NoticeKind = "answer"
)

// NoticeFor is the notice an event sends, if any.
func NoticeFor(k Kind) (NoticeKind, bool) {
	switch k {
	case CorrectionRequested, Extended, FeeNoticed:
		return NoticeKind(k), true
	}
	return "", false
}

// Title is the document's title.
func (k NoticeKind) Title() string {
	switch k {
	case NoticeCorrection:
		return "补正申请告知书"
	case NoticeExtension:
		return "延期答复告知书"
	case NoticeFee:
		return "信息处理费收费通知书"
	case LetterAnswer:
		return "政府信息公开申请答复书"
	}
	return string(k)
}

// NoticeTexts are the notices' texts. Besides the answer letter's
// placeholders they use {日期} (the day of the notice), {期限} (the last day
// to correct or to pay, or the new due date), {天数} (the extension) and
// {金额} (the fee in yuan).
var NoticeTexts = map[NoticeKind]string{
	NoticeCorrection: lead + "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您作出补正，需要补正的事项如下：{说明}\n" +
		"请您于{期限}前将补正后的申请提交本机关。答复期限自本机关收到补正的申请之日起计算；您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
	NoticeExtension: lead + "因{说明}，本机关不能在收到申请之日起20个工作日内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经政府信息公开工作机构负责人同意，答复期限延长{天数}个工作日，本机关将于{期限}前作出答复。",
	NoticeFee: lead + "您的申请数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定收取信息处理费{金额}元。{说明}\n" +
		"请您于{期限}前缴纳。您逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。等待缴费期间不计入答复期限。",
}

// NoticeData is what fills a notice.
type NoticeData struct {
	Unit        string
	ReceiptNo   string
	Applicant   string
	ReceivedOn  calendar.Date
	Description string
	On          calendar.Date // the day of the notice
	Due         calendar.Date // the last day to correct or pay; the new due date
	Days        int
	Yuan        int
	Note        string
}

// WriteNotice fills the notice's text with d. Every field the notice needs
// must be there: a notice with a blank amount or date is never sent.
func WriteNotice(kind NoticeKind, d NoticeData) (Letter, error) {
	text, ok := NoticeTexts[kind]
	if !ok {
		return Letter{}, errs.E(errs.Invalid, "没有“%s”的告知书模板。", kind)
	}
	if d.Due.IsZero() || d.On.IsZero() {
		return Letter{}, errs.E(errs.Invalid, "%s缺少日期或期限。", kind.Title())
	}
	if kind == NoticeFee && d.Yuan <= 0 {
		return Letter{}, errs.E(errs.Invalid, "收费通知书缺少金额。")
	}
	if kind == NoticeCorrection && strings.TrimSpace(d.Note) == "" {
		return Letter{}, errs.FieldError("note", "请写明需要补正的事项（条例第三十条：一次性告知）。")
	}
	if kind == NoticeExtension && strings.TrimSpace(d.Note) == "" {
		d.Note = "所申请信息需要检索、审查的工作量较大"
	}
	desc := strings.Join(strings.Fields(d.Description), " ")
	if r := []rune(desc); len(r) > 200 {
		desc = string(r[:200]) + "……"
	}
	note := strings.TrimRight(strings.TrimSpace(d.Note), "。")
	if kind != NoticeExtension && note != "" {
		note += "。"
	}
	rep := strings.NewReplacer("{申请人}", d.Applicant, "{编号}", d.ReceiptNo, "{收到日期}", ChineseDate(d.ReceivedOn),
		"{申请内容}", desc, "{机关}", d.Unit, "{说明}", note, "{日期}", ChineseDate(d.On), "{期限}", ChineseDate(d.Due),
		"{天数}", strconv.Itoa(d.Days), "{金额}", strconv.Itoa(d.Yuan))
	l := Letter{Title: kind.Title(), Number: d.ReceiptNo}
	for _, p := range strings.Split(rep.Replace(text), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			l.Paragraphs = append(l.Paragraphs, p)
		}
	}
	l.Signature = []string{d.Unit, ChineseDate(d.On)}
	return l, nil
}
