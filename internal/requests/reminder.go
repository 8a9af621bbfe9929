package requests

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// This file is the reminder side of the statutory clock (条例第三十三条): which
// open applications are overdue or due soon, the reminder a handler gets,
// and its delivery by e-mail over SMTP when the SMTP settings are filled in
// (requests.smtp_host, requests.smtp_port, requests.smtp_from).

// DueSoonDays is the default number of working days before the due date
// from which an application is "due soon" (setting requests.due_soon_days).
const DueSoonDays = 3

// Urgency classifies an open application's due date on today.
type Urgency string

// The urgencies.
const (
	NotUrgent Urgency = ""
	DueSoon   Urgency = "due_soon" // 即将到期
	Overdue   Urgency = "overdue"  // 已超期
	// ConsultLapsed: a consultation's 15 working days passed without a
	// reply (条例第三十二条、第三十四条): the clock runs again, the handler
	// must decide.
	ConsultLapsed Urgency = "consult_lapsed"
	// CitizenCorrected: the applicant sent the 补正 online; the period
	// restarted (条例第三十条).
	CitizenCorrected Urgency = "corrected"
)

// Label is the Chinese name of the urgency.
func (u Urgency) Label() string {
	switch u {
	case DueSoon:
		return "即将到期"
	case Overdue:
		return "已超期"
	case ConsultLapsed:
		return "征求意见期满"
	case CitizenCorrected:
		return "申请人已补正"
	}
	return ""
}

// UrgencyOf says whether an application due on due is overdue on today (the
// due day itself is still in time) or due within soon working days.
func UrgencyOf(cal *calendar.Calendar, today, due calendar.Date, soon int) (Urgency, error) {
	if due.IsZero() {
		return NotUrgent, nil
	}
	if today.After(due) {
		return Overdue, nil
	}
	r, err := cal.WorkdaysBetween(today, due, nil)
	if err != nil {
		return NotUrgent, err
	}
	if r.Count <= soon {
		return DueSoon, nil
	}
	return NotUrgent, nil
}

// ReminderItem is one application in a reminder.
type ReminderItem struct {
	ReceiptNo string
	Applicant string
	Status    Status
	DueOn     calendar.Date
	Urgency   Urgency
}

// ReminderText is the subject and body of a handler's reminder.
func ReminderText(unit string, today calendar.Date, items []ReminderItem) (subject, body string) {
	var over, soon, other int
	for _, it := range items {
		switch it.Urgency {
		case Overdue:
			over++
		case DueSoon:
			soon++
		default:
			other++
		}
	}
	subject = fmt.Sprintf("【%s】依申请公开办理提醒：%d件已超期，%d件即将到期", unit, over, soon)
	if other > 0 {
		subject += fmt.Sprintf("，%d件需要处理", other)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "截至%s，您承办的以下政府信息公开申请需要尽快办理（条例第三十三条：自收到申请之日起20个工作日内答复）：\n\n", ChineseDate(today))
	for _, it := range items {
		due := ""
		if !it.DueOn.IsZero() {
			due = "答复期限" + ChineseDate(it.DueOn)
		}
		fmt.Fprintf(&b, "%s  %s  %s  %s  %s\n", it.Urgency.Label(), it.ReceiptNo, it.Applicant, due, it.Status.Label())
	}
	b.WriteString("\n请登录政务公开平台后台办理。本邮件由系统自动发送。\n")
	return subject, b.String()
}

// SMTP is where reminder e-mail goes.
type SMTP struct {
	Host string
	Port int
	From string
}

// Configured reports whether e-mail can be sent.
func (s SMTP) Configured() bool { return s.Host != "" && s.From != "" }

// Send delivers one plain-text message (UTF-8, base64, the subject encoded
// per RFC 2047) to the recipients.
func (s SMTP) Send(to []string, subject, body string) error {
	if !s.Configured() {
		return errs.E(errs.Invalid, "未配置邮件服务器（requests.smtp_host、requests.smtp_from）。")
	}
	port := s.Port
	if port == 0 {
		port = 25
	}
	addr := net.JoinHostPort(s.Host, strconv.Itoa(port))
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return errs.E(errs.Unavailable, "无法连接邮件服务器 %s：%v", addr, err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return errs.E(errs.Unavailable, "邮件服务器 %s 无响应：%v", addr, err)
	}
	defer c.Close()
	if err := c.Mail(s.From); err != nil {
		return errs.E(errs.Unavailable, "邮件服务器拒绝发件人 %s：%v", s.From, err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return errs.E(errs.Unavailable, "邮件服务器拒绝收件人 %s：%v", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return errs.E(errs.Unavailable, "发送邮件失败：%v", err)
	}
	if _, err := w.Write(message(s.From, to, subject, body)); err != nil {
		return errs.E(errs.Unavailable, "发送邮件失败：%v", err)
	}
	if err := w.Close(); err != nil {
		return errs.E(errs.Unavailable, "发送邮件失败：%v", err)
	}
	return c.Quit()
}

func message(from string, to []string, subject, body string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n", from, strings.Join(to, ", "), mime.BEncoding.Encode("UTF-8", subject))
	b.WriteString("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}
