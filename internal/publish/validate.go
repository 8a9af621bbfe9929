package publish

import (
	"errors"
	"strings"
	"unicode/utf8"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// WithheldGrounds are the grounds on which information is not disclosed
// (条例第十四条至第十六条); the form offers them, and a 不予公开 item must
// name one of them.
var WithheldGrounds = []string{
	"属于国家秘密（条例第十四条）",
	"法律、行政法规禁止公开（条例第十四条）",
	"公开后可能危及国家安全、公共安全、经济安全、社会稳定（条例第十四条）",
	"涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害（条例第十五条）",
	"属于人事管理、后勤管理、内部工作流程等内部事务信息（条例第十六条第一款）",
	"属于讨论记录、过程稿、磋商信函、请示报告等过程性信息（条例第十六条第二款）",
	"属于行政执法案卷信息（条例第十六条第二款）",
}

// DefaultActiveGround is the ground recorded for 主动公开 when the editor
// names none.
const DefaultActiveGround = "《中华人民共和国政府信息公开条例》第十九条、第二十条"

// Limits on an item's fields.
const (
	MaxTitle = 200
	MaxDocNo = 64
	MaxBody  = 2 << 20 // bytes of sanitised HTML
)

// ValidateContent checks and tidies a version before it is stored: every
// field at fault is reported at once. The body must already be sanitised.
func ValidateContent(c *Content) error {
	var f errs.Fields
	c.Title = strings.TrimSpace(c.Title)
	c.DocNo = strings.TrimSpace(c.DocNo)
	c.Ground = strings.TrimSpace(c.Ground)
	if c.Title == "" {
		f.Add("title", "请填写标题")
	} else if utf8.RuneCountInString(c.Title) > MaxTitle {
		f.Add("title", "标题不能超过 %d 个字", MaxTitle)
	}
	if utf8.RuneCountInString(c.DocNo) > MaxDocNo {
		f.Add("doc_no", "文号不能超过 %d 个字", MaxDocNo)
	}
	if c.DepartmentID == 0 {
		f.Add("department", "请选择制作部门（谁制作、谁认定）")
	}
	if c.MadeOn.IsZero() {
		f.Add("made_on", "请填写成文或变更日期（YYYY-MM-DD）")
	}
	if c.CategoryID == 0 {
		f.Add("category", "请选择目录类别")
	}
	switch c.Attribute {
	case Active:
		if c.Ground == "" {
			c.Ground = DefaultActiveGround
		}
	case OnRequest:
		if c.Ground == "" {
			f.Add("ground", "依申请公开须写明依据")
		}
	case Withheld:
		if c.Ground == "" {
			f.Add("ground", "不予公开须写明依据（条例第十四条至第十六条）")
		} else if !hasWithheldGround(c.Ground) {
			f.Add("ground", "不予公开的依据须为条例第十四条、第十五条或第十六条规定的情形之一")
		}
	default:
		f.Add("attribute", "请选择公开属性")
	}
	switch c.DocKind {
	case Ordinary:
		c.ValidFrom = calendar.Date{}
	case Rule, Normative:
		if c.DocNo == "" {
			f.Add("doc_no", "%s须填写文号", c.DocKind.Label())
		}
		if c.ValidFrom.IsZero() {
			c.ValidFrom = c.MadeOn
		} else if !c.MadeOn.IsZero() && c.ValidFrom.Before(c.MadeOn) {
			f.Add("valid_from", "施行日期不能早于成文日期")
		}
	default:
		f.Add("doc_kind", "文件类型不正确")
	}
	if strings.TrimSpace(c.Body) == "" && len(c.Attachments) == 0 {
		f.Add("body", "请填写正文或上传附件")
	}
	if len(c.Body) > MaxBody {
		f.Add("body", "正文过长（不超过 2 MB）")
	}
	return f.Err()
}

func hasWithheldGround(g string) bool {
	for _, art := range []string{"第十四条", "第十五条", "第十六条"} {
		if strings.Contains(g, art) {
			return true
		}
	}
	return false
}

func asFormError(err error, fe **errs.FormError) bool { return errors.As(err, fe) }
