package requests

import (
	"strings"

	"gongkai/internal/calendar"
)

// LetterReceipt is the receipt's kind (受理回执): given to the applicant on
// demand, never stored (it carries the query code, kept only as a hash).
const LetterReceipt NoticeKind = "receipt"

// ReceiptData is what fills a receipt.
type ReceiptData struct {
	Unit        string
	Office      Office
	ReceiptNo   string
	Code        string
	Applicant   string
	ReceivedOn  calendar.Date // the day of receipt (第三十一条)
	Due         calendar.Date // the answer due date as it stands (第三十三条)
	Description string
}

// WriteReceipt is the receipt an applicant prints or keeps: the receipt
// number and query code, the day of receipt and the due date, and how the
// period can change.
func WriteReceipt(d ReceiptData) Letter {
	due := "收到申请之日起20个工作日内"
	if !d.Due.IsZero() {
		due += "（" + ChineseDate(d.Due) + "前）"
	}
	l := Letter{Kind: LetterReceipt, Agency: d.Unit, Title: "政府信息公开申请受理回执", Addressee: d.Applicant, Date: d.ReceivedOn, Contact: d.Office.ContactLine()}
	l.Paragraphs = []string{
		Tidy("本机关于" + ChineseDate(d.ReceivedOn) + "收到您提出的政府信息公开申请，申请获取“" + quoted(d.Description) + "”。"),
		"申请编号：" + d.ReceiptNo + "；查询码：" + strings.ToUpper(d.Code) + "。凭申请编号和查询码可以在本机关门户网站“依申请公开”栏目查询办理进度，在线补正，下载答复书和告知文书；查询码请妥善保管，不要告知他人。",
		"本机关将在" + due + "答复（《中华人民共和国政府信息公开条例》第三十三条）。需要补正、征求第三方或其他机关意见、收取信息处理费或者延长答复期限的，答复期限依照条例第三十条、第三十二条、第三十三条、第四十二条的规定计算，本机关将另行告知。",
	}
	return l
}
