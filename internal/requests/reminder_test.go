package requests

import (
	"strings"
	"testing"

	"gongkai/internal/calendar"
)

func TestUrgencyAcrossNationalDay(t *testing.T) {
	cal := calendar.Default()
	// 2024-10-01..07 is the National Day holiday; 2024-09-29 (Sun) and
	// 2024-10-12 (Sat) are working days. From Mon 2024-09-30, due Tue
	// 2024-10-08: the working days after today up to the due day are
	// 10-08 only (10-01..07 are holidays) → due soon. Due soon is at most
	// DueSoonDays (3) working days left.
	for _, c := range []struct {
		today, due string
		want       Urgency
	}{
		{"2024-09-30", "2024-10-08", DueSoon},
		{"2024-09-25", "2024-10-08", NotUrgent}, // 09-26, 27, 29, 30, 10-08: 5 working days
		{"2024-09-26", "2024-10-08", NotUrgent}, // 09-27, 09-29 (make-up Sunday), 09-30, 10-08: 4
		{"2024-09-27", "2024-10-08", DueSoon},   // 09-29, 09-30, 10-08: 3
		{"2024-10-08", "2024-10-08", DueSoon},
		{"2024-10-09", "2024-10-08", Overdue},
	} {
		got, err := UrgencyOf(cal, mustDate(t, c.today), mustDate(t, c.due), DueSoonDays)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("today %s due %s: %q, want %q", c.today, c.due, got, c.want)
		}
	}
}

func TestReminderText(t *testing.T) {
	items := []ReminderItem{
		{ReceiptNo: "YSQ20241008000001", Applicant: "张三", Status: StatusProcessing, DueOn: mustDate(t, "2024-10-08"), Urgency: Overdue},
		{ReceiptNo: "YSQ20241009000002", Applicant: "某贸易有限公司", Status: StatusConsulting, DueOn: mustDate(t, "2024-10-11"), Urgency: DueSoon},
	}
	subject, body := ReminderText("福州海关", mustDate(t, "2024-10-09"), items)
	if subject != "【福州海关】依申请公开办理提醒：1件已超期，1件即将到期" {
		t.Fatalf("subject %q", subject)
	}
	for _, want := range []string{"YSQ20241008000001", "已超期", "某贸易有限公司", "2024年10月11日", "第三十三条"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

func TestMailReceiptText(t *testing.T) {
	subject, body := MailReceiptText("福州海关", "YSQ20241009000002", "abcdefghjkmn", mustDate(t, "2024-10-09"), mustDate(t, "2024-11-06"))
	if !strings.Contains(subject, "YSQ20241009000002") {
		t.Fatalf("subject %q", subject)
	}
	for _, want := range []string{"2024年10月9日确认收到", "第三十一条", "查询码：ABCDEFGHJKMN", "2024年11月6日前答复"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}
