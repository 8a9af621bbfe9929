package requests

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// This file is the issuing office of a unit's letters (GB/T 9704-2012
// 《党政机关公文格式》 is the model): the agency's name in the title, the
// 文书编号 from a per-unit, per-kind, per-year-of-issue sequence, the place
// for the seal and the date, the contact person and telephone; and what the
// letters tell the applicant about the office — where else to send a
// correction, how to pay a fee, where the portal is. Each unit keeps its
// own (settings requests.office.<unit id>.<field>); the defaults say what a
// letter needs and derive what they can from the unit's name.

// Office is a unit's settings for its letters.
type Office struct {
	Short   string // 机关简称 in the 文书编号, e.g. 福州关 (default: from the unit's name)
	DocNo   string // the 文书编号 format (DefaultDocNo)
	Contact string // 联系人
	Phone   string // 联系电话
	Address string // 通信地址 (with the postcode)
	Email   string // 电子邮箱
	Site    string // 门户网站地址, for links in letters (https://…)
	Payment string // 缴费方式 (条例第四十二条: the fee notice says how to pay)
}

// OfficeFields names the settings, in display order, with their labels.
var OfficeFields = []struct{ Key, Label, Hint string }{
	{"short", "机关简称（用于文书编号）", "如“福州关”；留空则由单位名称推出"},
	{"docno", "文书编号格式", "{简称}、{类}（文书类别代字）、{年}、{号} 为占位符，默认 " + DefaultDocNo},
	{"contact", "联系人", "印在答复书和告知书末尾"},
	{"phone", "联系电话", "如（0591）87081207"},
	{"address", "通信地址和邮编", "申请人邮寄补正材料、第三方提交意见的地址"},
	{"email", "电子邮箱", "申请人发送补正材料的地址"},
	{"site", "门户网站地址", "如 http://fuzhou.customs.gov.cn，用于答复书中已公开信息的链接"},
	{"payment", "信息处理费缴费方式", "收费通知书写明的缴费方式，如缴款账户、非税收入缴款码的取得方式"},
}

// DefaultDocNo is the default 文书编号 format: 福州关依复〔2026〕3号.
const DefaultDocNo = "{简称}依{类}〔{年}〕{号}号"

// DefaultPayment is the fee notice's payment sentence while a unit has set
// none: it sends the applicant to the office rather than say nothing.
const DefaultPayment = "请与本机关政府信息公开工作机构联系（联系方式见本通知书末尾）取得缴款方式后缴纳"

// docCodes are the letter kinds' 代字 in the 文书编号.
var docCodes = map[NoticeKind]string{
	LetterAnswer: "复", NoticeCorrection: "补", NoticeExtension: "延", NoticeFee: "费",
	NoticeConsult: "征", NoticeReasons: "询", NoticeLater: "迟", NoticeThirdParty: "告",
}

// ShortName derives a unit's short name: 福州海关 → 福州关, 海关总署 → 署;
// other names stay as they are.
func ShortName(unit string) string {
	switch {
	case unit == "海关总署":
		return "署"
	case strings.HasSuffix(unit, "海关"):
		return strings.TrimSuffix(unit, "海关") + "关"
	}
	return unit
}

// WithDefaults fills what the unit has not set.
func (o Office) WithDefaults(unit string) Office {
	if strings.TrimSpace(o.Short) == "" {
		o.Short = ShortName(unit)
	}
	if strings.TrimSpace(o.DocNo) == "" {
		o.DocNo = DefaultDocNo
	}
	if strings.TrimSpace(o.Payment) == "" {
		o.Payment = DefaultPayment
	}
	return o
}

// Get returns a field by its key.
func (o Office) Get(key string) string {
	switch key {
	case "short":
		return o.Short
	case "docno":
		return o.DocNo
	case "contact":
		return o.Contact
	case "phone":
		return o.Phone
	case "address":
		return o.Address
	case "email":
		return o.Email
	case "site":
		return o.Site
	case "payment":
		return o.Payment
	}
	return ""
}

// Set sets a field by its key.
func (o *Office) Set(key, v string) {
	switch key {
	case "short":
		o.Short = v
	case "docno":
		o.DocNo = v
	case "contact":
		o.Contact = v
	case "phone":
		o.Phone = v
	case "address":
		o.Address = v
	case "email":
		o.Email = v
	case "site":
		o.Site = v
	case "payment":
		o.Payment = v
	}
}

// Validate checks the settings a unit saves, every field at fault at once.
func (o Office) Validate() error {
	var f errs.Fields
	for _, fd := range OfficeFields {
		v := o.Get(fd.Key)
		if v != strings.TrimSpace(v) || strings.ContainsAny(v, "\r\n\t") {
			f.Add(fd.Key, "%s不能有换行或首尾空格。", fd.Label)
		} else if utf8.RuneCountInString(v) > 200 {
			f.Add(fd.Key, "%s不能超过200个字。", fd.Label)
		}
	}
	if o.DocNo != "" && !strings.Contains(o.DocNo, "{号}") {
		f.Add("docno", "文书编号格式须含序号占位符{号}。")
	}
	if o.DocNo != "" && !strings.Contains(o.DocNo, "{年}") {
		f.Add("docno", "文书编号按年编号，格式须含年份占位符{年}。")
	}
	if o.Site != "" && !strings.HasPrefix(o.Site, "http://") && !strings.HasPrefix(o.Site, "https://") {
		f.Add("site", "门户网站地址应以 http:// 或 https:// 开头。")
	}
	if o.Email != "" && !strings.Contains(o.Email, "@") {
		f.Add("email", "电子邮箱格式不正确。")
	}
	return f.Err()
}

// DocNumber writes the 文书编号 of the nth document of a kind issued in year.
func (o Office) DocNumber(kind NoticeKind, year, n int) string {
	code := docCodes[kind]
	if code == "" {
		code = "文"
	}
	return strings.NewReplacer("{简称}", o.Short, "{类}", code, "{年}", strconv.Itoa(year), "{号}", strconv.Itoa(n)).Replace(o.DocNo)
}

// ContactLine is the letter's closing note: the contact person and
// telephone (and the address), or "" when none is set.
func (o Office) ContactLine() string {
	var parts []string
	if o.Contact != "" {
		parts = append(parts, "联系人："+o.Contact)
	}
	if o.Phone != "" {
		parts = append(parts, "联系电话："+o.Phone)
	}
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, "　") + "）"
}

// ElseWhere is how else the applicant can send something to the office
// (a correction, reasons): by post, e-mail or telephone, as set.
func (o Office) ElseWhere() string {
	var ways []string
	if o.Address != "" {
		ways = append(ways, fmt.Sprintf("邮寄或送达%s", o.Address))
	}
	if o.Email != "" {
		ways = append(ways, "发送电子邮件至"+o.Email)
	}
	if o.Phone != "" {
		ways = append(ways, "致电"+o.Phone+"联系")
	}
	if len(ways) == 0 {
		return "也可以与本机关政府信息公开工作机构联系提交"
	}
	return "也可以" + strings.Join(ways, "，或")
}
