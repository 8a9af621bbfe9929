package requests

import (
	"strings"

	"gongkai/internal/calendar"
)

// MailReceiptText is the reply to an applicant who applied by e-mail, sent
// when the handler registers the application: the day of receipt, which
// for 数据电文 is the day the agency confirmed it with him (条例第三十一条),
// the receipt number and query code, and the answer period (第三十三条).
func MailReceiptText(unit, receiptNo, code string, receivedOn, due calendar.Date) (subject, body string) {
	subject = "【" + unit + "】已收到您的政府信息公开申请（申请编号" + receiptNo + "）"
	var b strings.Builder
	b.WriteString("您好：\n\n")
	b.WriteString(unit + "已于" + ChineseDate(receivedOn) + "确认收到您通过电子邮件提出的政府信息公开申请（《中华人民共和国政府信息公开条例》第三十一条）。\n\n")
	b.WriteString("申请编号：" + receiptNo + "\n查询码：" + strings.ToUpper(code) + "\n\n")
	b.WriteString("凭申请编号和查询码可以在本机关门户网站“依申请公开”栏目查询办理进度、在线补正、下载答复书；查询码请妥善保管，不要告知他人。")
	if !due.IsZero() {
		b.WriteString("本机关将在" + ChineseDate(due) + "前答复（条例第三十三条）；需要补正、征求意见、收费或者延长答复期限的，本机关将另行告知。")
	}
	b.WriteString("\n\n回复本邮件补正材料时，请保留主题中的申请编号。本邮件由系统自动发送。\n")
	return subject, b.String()
}
