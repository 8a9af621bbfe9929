package desk

import (
	"strings"

	"gongkai/internal/errs"
)

// Complaints about disclosure work (政府信息公开工作投诉): a register of each
// complaint received and its outcome. The report says how many were
// received (the seed: 「年内未收到政府信息公开相关投诉事项」).

// ComplaintOutcomes are how a complaint is concluded.
var ComplaintOutcomes = []Choice{
	{"upheld", "投诉属实，已整改"}, {"partly", "部分属实，已整改"}, {"rejected", "投诉不成立，已说明"},
	{"withdrawn", "投诉人撤回"}, {"referred", "不属于本机关职责，已转交"},
}

// OutcomeLabel names an outcome; "" is 办理中.
func OutcomeLabel(k string) string {
	if k == "" {
		return "办理中"
	}
	return labelOf(ComplaintOutcomes, k)
}

// Complaint is one complaint about the unit's disclosure work.
type Complaint struct {
	ID          int64
	UnitID      int64
	ReceivedOn  string // YYYY-MM-DD
	Channel     string // how it came: 信函, 电话, 网站, 上级转办…
	Complainant string // a name or "匿名"; staff only
	Subject     string
	Summary     string
	Outcome     string // "" while open
	OutcomeNote string
	ConcludedOn string
}

// ValidateComplaint checks a new complaint.
func ValidateComplaint(c *Complaint) error {
	var f errs.Fields
	c.Channel = strings.TrimSpace(c.Channel)
	c.Complainant = strings.TrimSpace(c.Complainant)
	c.Subject = strings.TrimSpace(c.Subject)
	c.Summary = strings.TrimSpace(c.Summary)
	checkDay(&f, "received_on", "收到日期", &c.ReceivedOn)
	checkText(&f, "channel", "来源渠道", c.Channel, 30, true)
	checkText(&f, "complainant", "投诉人", c.Complainant, 50, false)
	checkText(&f, "subject", "投诉事项", c.Subject, 100, true)
	checkText(&f, "summary", "主要内容", c.Summary, MaxLongText, true)
	return f.Err()
}

// ValidateConclusion checks the outcome of a complaint against its receipt.
func ValidateConclusion(c *Complaint, outcome, note, day string) error {
	var f errs.Fields
	if _, ok := keyOf(ComplaintOutcomes, outcome); !ok {
		f.Add("outcome", "请选择办理结果")
	}
	checkDay(&f, "concluded_on", "办结日期", &day)
	if len(f) == 0 && day < c.ReceivedOn {
		f.Add("concluded_on", "办结日期不能早于收到日期 %s", c.ReceivedOn)
	}
	note = strings.TrimSpace(note)
	checkText(&f, "outcome_note", "处理情况", note, MaxLongText, true)
	if err := f.Err(); err != nil {
		return err
	}
	c.Outcome, c.OutcomeNote, c.ConcludedOn = outcome, note, day
	return nil
}
