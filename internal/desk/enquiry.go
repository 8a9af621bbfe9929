package desk

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// Enquiry kinds: a consultation (咨询) asks how something is done; a
// message (留言) raises an opinion, a suggestion or a problem. Both are left
// on the portal and answered the same way.
const (
	KindConsult = "consult"
	KindMessage = "message"
)

// EnquiryKinds are the two kinds with their names.
var EnquiryKinds = []Choice{{KindConsult, "咨询"}, {KindMessage, "留言"}}

// KindLabel names an enquiry kind.
func KindLabel(k string) string { return labelOf(EnquiryKinds, k) }

// ValidKind reports whether k is an enquiry kind.
func ValidKind(k string) bool { return k == KindConsult || k == KindMessage }

// RefPrefix is the first letters of an enquiry's reference: ZX for 咨询,
// LY for 留言.
func RefPrefix(kind string) string {
	if kind == KindConsult {
		return "ZX"
	}
	return "LY"
}

// Enquiry is a consultation or message left on the portal. Its name,
// phone and e-mail are personal details: they are shown to staff only,
// never on a public page. Its state is the state after its last event.
type Enquiry struct {
	ID         int64
	UnitID     int64
	Kind       string
	Ref        string // public reference, e.g. LY000123
	ReceivedAt time.Time
	Name       string
	Phone      string
	Email      string
	Topic      string
	Subject    string
	Body       string
	PublicOK   bool // the asker agreed that the question and reply may be published
	State      string
	AnsweredAt time.Time // when the reply was approved; zero while open
}

// Enquiry events, in the order they usually happen.
const (
	EvReceived  = "received"  // the portal stored the form
	EvDrafted   = "drafted"   // staff wrote (or rewrote) a reply: a draft, not public
	EvReturned  = "returned"  // the reviewer sent the draft back with a note
	EvApproved  = "approved"  // the reviewer approved the draft: the reply is final and the asker can read it
	EvPublished = "published" // the question and reply are shown in the public Q&A list
	EvWithdrawn = "withdrawn" // taken off the public list again
	EvDismissed = "dismissed" // closed without a reply (a duplicate, spam, abuse), with the reason
)

// States an enquiry can be in; each is named after the event that led to it.
var States = []Choice{
	{EvReceived, "待答复"}, {EvDrafted, "待审核"}, {EvReturned, "退回修改"},
	{EvApproved, "已答复"}, {EvPublished, "已答复并公开"}, {EvWithdrawn, "已答复（撤回公开）"}, {EvDismissed, "不予答复"},
}

// StateLabel names a state.
func StateLabel(s string) string { return labelOf(States, s) }

// EventLabels name the events in an enquiry's history.
var EventLabels = map[string]string{
	EvReceived: "收到", EvDrafted: "拟写答复", EvReturned: "审核退回", EvApproved: "审核通过",
	EvPublished: "网上公开", EvWithdrawn: "撤回公开", EvDismissed: "不予答复",
}

// Open reports whether an enquiry in state s still waits for its reply.
func Open(s string) bool { return s == EvReceived || s == EvDrafted || s == EvReturned }

// transitions lists, for each event, the states it may follow.
var transitions = map[string][]string{
	EvDrafted:   {EvReceived, EvDrafted, EvReturned},
	EvReturned:  {EvDrafted},
	EvApproved:  {EvDrafted},
	EvPublished: {EvApproved, EvWithdrawn},
	EvWithdrawn: {EvPublished},
	EvDismissed: {EvReceived, EvDrafted, EvReturned},
}

// Next is the state after event ev in state s, or an error saying why the
// event cannot happen now. The state after an event is named after it.
func Next(s, ev string) (string, error) {
	from, ok := transitions[ev]
	if !ok {
		return "", errs.E(errs.Invalid, "未知的办理操作")
	}
	for _, f := range from {
		if f == s {
			return ev, nil
		}
	}
	return "", errs.E(errs.Conflict, "该事项当前状态为“%s”，不能%s；请刷新页面查看最新办理情况", StateLabel(s), EventLabels[ev])
}

// StateOf replays a history and returns the state after it. It is the
// definition the stored state must agree with.
func StateOf(events []Event) (string, error) {
	if len(events) == 0 || events[0].Kind != EvReceived {
		return "", errs.E(errs.Internal, "办理记录缺少“收到”事件")
	}
	s := EvReceived
	for _, e := range events[1:] {
		n, err := Next(s, e.Kind)
		if err != nil {
			return "", err
		}
		s = n
	}
	return s, nil
}

// Event is one step in an enquiry's history.
type Event struct {
	ID        int64
	EnquiryID int64
	Seq       int
	At        time.Time
	Kind      string
	ActorID   int64
	ActorName string
	Body      string // drafted/approved: the reply; published: the question as published
	Note      string // returned, withdrawn, dismissed: the reason
}

// Label names the event.
func (e Event) Label() string { return EventLabels[e.Kind] }

// Action is a staff member's step on an enquiry.
type Action struct {
	Kind string // EvDrafted, EvReturned, EvApproved, EvPublished, EvWithdrawn, EvDismissed
	Body string // the reply (drafted), the public question text (published)
	Note string // the reason (returned, withdrawn, dismissed)
}

// ValidateAction checks what the form carries for an action.
func ValidateAction(a *Action) error {
	var f errs.Fields
	a.Body = strings.TrimSpace(a.Body)
	a.Note = strings.TrimSpace(a.Note)
	switch a.Kind {
	case EvDrafted:
		checkText(&f, "body", "答复内容", a.Body, MaxLongText, true)
	case EvPublished:
		checkText(&f, "body", "公开的问题内容", a.Body, MaxLongText, true)
	case EvReturned, EvWithdrawn, EvDismissed:
		checkText(&f, "note", "理由", a.Note, 500, true)
	case EvApproved:
	default:
		return errs.E(errs.Invalid, "未知的办理操作")
	}
	return f.Err()
}

var phoneRE = regexp.MustCompile(`^[0-9+\-() ]{7,20}$`)

// ValidateEnquiry checks a form left on the portal. Every field at fault is
// reported at once.
func ValidateEnquiry(e *Enquiry) error {
	var f errs.Fields
	e.Name = strings.TrimSpace(e.Name)
	e.Phone = strings.TrimSpace(e.Phone)
	e.Email = strings.TrimSpace(e.Email)
	e.Subject = strings.TrimSpace(e.Subject)
	e.Body = strings.TrimSpace(strings.ReplaceAll(e.Body, "\r\n", "\n"))
	if !ValidKind(e.Kind) {
		return errs.E(errs.Invalid, "未知的事项类型")
	}
	checkText(&f, "name", "姓名或单位名称", e.Name, 50, true)
	if e.Phone == "" && e.Email == "" {
		f.Add("phone", "请至少填写联系电话或电子邮箱中的一项，以便我们联系您")
	}
	if e.Phone != "" && !phoneRE.MatchString(e.Phone) {
		f.Add("phone", "联系电话格式不正确：应为 7–20 位数字，可含 - 和括号")
	}
	if e.Email != "" {
		if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email || utf8.RuneCountInString(e.Email) > 100 {
			f.Add("email", "电子邮箱格式不正确，例如 name@example.com")
		}
	}
	if k, ok := ParseTopic(e.Topic); ok {
		e.Topic = k
	} else {
		f.Add("topic", "请选择类别")
	}
	checkText(&f, "subject", "标题", e.Subject, 50, true)
	checkText(&f, "body", KindLabel(e.Kind)+"内容", e.Body, MaxLongText, true)
	if utf8.RuneCountInString(e.Body) > 0 && utf8.RuneCountInString(e.Body) < 5 {
		f.Add("body", "%s内容太短，请写清楚您的问题（至少 5 个字）", KindLabel(e.Kind))
	}
	return f.Err()
}

var (
	longDigitsRE = regexp.MustCompile(`[0-9０-９]{7,}[XxＸｘ]?`)
	emailRE      = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
)

// Redact masks what looks like personal details in a question before it is
// published: runs of seven or more digits (telephone, ID card and
// declaration numbers) and e-mail addresses. The reviewer sees the result
// and may edit it further before publishing.
func Redact(s string) string {
	s = emailRE.ReplaceAllString(s, "＊＊＊@＊＊＊")
	return longDigitsRE.ReplaceAllStringFunc(s, func(m string) string {
		return strings.Repeat("＊", utf8.RuneCountInString(m))
	})
}

// PublicQA is a question and its reply as the public Q&A list shows them:
// it has no field for the asker's name, phone or e-mail, and exists only
// for enquiries whose approved reply was published.
type PublicQA struct {
	ID          int64
	Kind        string
	Ref         string
	Topic       string
	Subject     string
	Question    string // as published (redacted)
	Reply       string // the approved reply
	ReceivedAt  time.Time
	RepliedAt   time.Time
	PublishedAt time.Time
}

// Status is what the asker sees when looking up their own enquiry with its
// reference and query code: the reply only once it is approved.
type Status struct {
	Ref        string
	Kind       string
	Subject    string
	ReceivedAt time.Time
	State      string
	Reply      string    // the approved reply; "" before approval
	RepliedAt  time.Time // zero before approval
	Note       string    // the reason when dismissed
}

// History is an enquiry with its whole history, as moved from an earlier
// system (or made by the demo): ReceivedAt set on the enquiry, and the
// events after "received" (drafted, approved, published…) in order, each
// with its time, actor, body and note.
type History struct {
	Enquiry Enquiry
	Events  []Event
}
