package requests

import (
	"fmt"
	"strings"

	"gongkai/internal/calendar"
)

// This file is the reminder side of the statutory clock (条例第三十三条): which
// open applications are overdue or due soon, the reminder a handler gets,
// and its text for the e-mail the SMTP adapter (internal/smtp) delivers when
// the SMTP settings are filled in (requests.smtp_host, requests.smtp_port,
// requests.smtp_from).

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
