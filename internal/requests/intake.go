package requests

import (
	"strings"
	"unicode/utf8"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// Channel is how an application arrived. The date of receipt depends on it
// (条例第三十一条): in person, the day handed in; registered mail, the day
// signed for; ordinary mail, the day the agency confirms it with the
// applicant; online, fax or e-mail, the day both sides confirm.
type Channel string

// The channels.
const (
	ChannelOnline       Channel = "online"        // 网上申请
	ChannelInPerson     Channel = "in_person"     // 当面提交
	ChannelRegistered   Channel = "registered"    // 邮寄（挂号信、快递等需签收）
	ChannelOrdinaryMail Channel = "ordinary_mail" // 平常信函
	ChannelFax          Channel = "fax"           // 传真
	ChannelEmail        Channel = "email"         // 电子邮件
)

// Channels lists the channels with their Chinese labels and what the date
// asked for is, in order.
var Channels = []struct {
	Channel   Channel
	Label     string
	DateLabel string
}{
	{ChannelOnline, "网上申请", "双方确认之日"},
	{ChannelInPerson, "当面提交", "当面提交之日"},
	{ChannelRegistered, "邮寄（需签收）", "签收之日"},
	{ChannelOrdinaryMail, "平常信函", "与申请人确认之日"},
	{ChannelFax, "传真", "双方确认之日"},
	{ChannelEmail, "电子邮件", "双方确认之日"},
}

// ChannelLabel is the Chinese name of a channel.
func ChannelLabel(c Channel) string {
	for _, x := range Channels {
		if x.Channel == c {
			return x.Label
		}
	}
	return string(c)
}

// Application is what an applicant submits (条例第二十九条).
type Application struct {
	Channel       Channel
	ApplicantType ApplicantType
	Name          string // the person's name or the organisation's
	IDNumber      string // 身份证号码 or 统一社会信用代码, validated
	Phone         string
	Address       string
	Email         string
	Description   string // the information wanted: name, document number or features
	Form          string // 纸质、电子 …
	Delivery      string // 邮寄、电子邮件、自行领取 …
	// ReceivedOn is the date of receipt under 第三十一条 for the channel.
	ReceivedOn calendar.Date
	// Attachments are stored with the application in the transaction that
	// stores it (CheckAttachments limits them).
	Attachments []Attachment
	// AssignTo, when staff register an application, is the handler who
	// registers it: it is assigned to him (分办) in the same transaction.
	AssignTo int64
	// Subjects, when staff register an application, are what it is about
	// (申请内容分类), marked in the same transaction by the registering
	// handler.
	Subjects []string
	// ClientKey, for a portal submission, is the keyed hash of the client's
	// address that the submission limit counts (ApplyPerHour); staff
	// registrations have none.
	ClientKey string
}

// ApplyPerHour is how many applications one client (one network address)
// may submit on the portal in an hour: enough for a firm's batch, too few
// to flood the office's storage with attachments.
const ApplyPerHour = 30

// Forms and deliveries offered on the form.
var (
	Forms      = []string{"纸质", "电子文档"}
	Deliveries = []string{"邮寄", "电子邮件", "网上获取", "当面领取"}
)

// Validate checks an application and normalises it, collecting every field's
// error (errs.Fields) so the form can show each next to its field.
func (a *Application) Validate() error {
	var f errs.Fields
	a.Name = strings.TrimSpace(a.Name)
	a.Phone = strings.TrimSpace(a.Phone)
	a.Address = strings.TrimSpace(a.Address)
	a.Email = strings.TrimSpace(a.Email)
	a.Description = strings.TrimSpace(a.Description)
	if ChannelLabel(a.Channel) == string(a.Channel) {
		f.Add("channel", "请选择申请方式。")
	}
	t, err := ParseApplicantType(string(a.ApplicantType))
	if err != nil {
		f.Add("applicant_type", "%s", errs.MessageOf(err))
	} else {
		a.ApplicantType = t
		if id, err := ValidateIDNumber(t, a.IDNumber); err != nil {
			f.Add("id_number", "%s", errs.MessageOf(err))
		} else {
			a.IDNumber = id
		}
	}
	switch n := utf8.RuneCountInString(a.Name); {
	case n == 0:
		f.Add("name", "请填写申请人姓名或名称。")
	case n > 100:
		f.Add("name", "姓名或名称不能超过100个字。")
	}
	if a.Phone == "" && a.Address == "" && a.Email == "" {
		f.Add("phone", "请至少填写一种联系方式（电话、通信地址或电子邮箱）。")
	}
	if a.Phone != "" && !phoneOK(a.Phone) {
		f.Add("phone", "联系电话格式不正确。")
	}
	if a.Email != "" && (!strings.Contains(a.Email, "@") || strings.ContainsAny(a.Email, " ，,")) {
		f.Add("email", "电子邮箱格式不正确。")
	}
	switch n := utf8.RuneCountInString(a.Description); {
	case n < 5:
		f.Add("description", "请描述所需政府信息（名称、文号或其他便于查询的特征），不少于5个字。")
	case n > 5000:
		f.Add("description", "所需信息的描述不能超过5000字。")
	}
	if !oneOf(a.Form, Forms) {
		f.Add("form", "请选择获取信息的形式。")
	}
	if !oneOf(a.Delivery, Deliveries) {
		f.Add("delivery", "请选择获取信息的方式。")
	}
	if a.Delivery == "邮寄" && a.Address == "" {
		f.Add("address", "选择邮寄的，请填写通信地址。")
	}
	if a.Delivery == "电子邮件" && a.Email == "" {
		f.Add("email", "选择电子邮件的，请填写电子邮箱。")
	}
	if a.ReceivedOn.IsZero() {
		f.Add("received_on", "请填写收到申请的日期（条例第三十一条）。")
	}
	if err := CheckAttachments(a.Attachments); err != nil {
		f.Add("attachments", "%s", errs.MessageOf(err))
	}
	return f.Err()
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

func phoneOK(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == ' ' || r == '+' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

func fieldErr(field, msg string) error { return errs.FieldError(field, "%s", msg) }
