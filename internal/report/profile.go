package report

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// Profile is what a unit's settings say about its report: the opening
// paragraph's contacts (国办公开办函〔2021〕30号 asks for the office's address,
// postcode, telephone and e-mail and where the report can be downloaded) and
// the report's options. Each field is a unit setting under the key given in
// ProfileFields.
type Profile struct {
	Office     string // 政务公开办公室: 「福州海关政务公开办公室」
	Address    string // 地址
	Postcode   string // 邮编
	Telephone  string // 电话
	Email      string // 电子邮箱
	PortalName string // 门户网站名称: 「福州海关门户网站」
	PortalURL  string // 门户网站地址, where the report is downloaded
	// GovernmentWide marks the 政府信息公开工作主管部门 of a 本级政府, whose
	// whole-government report is due by 31 March (条例第四十九条第二款).
	GovernmentWide bool
	// CustomsRows prints table 三's （六）3「其他」 split into the customs
	// variant's rows (咨询事项，指引咨询渠道; 申请人撤销申请), as customs units do.
	CustomsRows bool
	// AboutStep is what the 约数 form rounds down to (「700余家」): 100 by
	// default.
	AboutStep int64
	// Subjects is how many of the most frequent subjects of applications
	// 依申请.内容涉及 names (default 3).
	Subjects int
}

// ProfileField describes one setting of the profile.
type ProfileField struct {
	Key      string // the unit setting's key
	Label    string
	Required bool // the opening paragraph needs it
	Hint     string
}

// ProfileFields are the profile's settings, in the order a form shows them.
var ProfileFields = []ProfileField{
	{"report.office", "政务公开办公室名称", false, "默认为“单位名称＋政务公开办公室”"},
	{"report.address", "办公地址", true, "如：福建省福州市江滨东大道76号"},
	{"report.postcode", "邮政编码", true, "6 位数字"},
	{"report.telephone", "联系电话", true, "如：（0591）87081207"},
	{"report.email", "电子邮箱", true, ""},
	{"report.portal_name", "门户网站名称", false, "默认为“单位名称＋门户网站”"},
	{"report.portal_url", "门户网站地址", true, "年报电子版的下载地址，如 http://fuzhou.customs.gov.cn"},
	{"report.government_wide", "本级政府信息公开工作主管部门", false, "是：全政府年报于3月31日前公布（条例第四十九条第二款）；否：1月31日前"},
	{"report.customs_rows", "表三（六）采用海关细分行", false, "是：“其他”分列“咨询事项，指引咨询渠道”和“申请人撤销申请”"},
	{"report.about_step", "约数取整单位", false, "“覆盖企业700余家”按此数向下取整，默认100"},
	{"report.subjects", "申请内容列举数", false, "一（二）列举申请最多的几类内容，默认3"},
}

// ProfileOf reads a unit's profile from its settings, filling the defaults.
func ProfileOf(u org.Unit, settings map[string]string) Profile {
	p := Profile{
		Office:     settings["report.office"],
		Address:    settings["report.address"],
		Postcode:   settings["report.postcode"],
		Telephone:  settings["report.telephone"],
		Email:      settings["report.email"],
		PortalName: settings["report.portal_name"],
		PortalURL:  settings["report.portal_url"],
		AboutStep:  100,
		Subjects:   3,
	}
	if p.Office == "" {
		p.Office = u.Name + "政务公开办公室"
	}
	if p.PortalName == "" {
		p.PortalName = u.Name + "门户网站"
	}
	p.GovernmentWide = settings["report.government_wide"] == "1"
	p.CustomsRows = settings["report.customs_rows"] != "0"
	if n, err := strconv.ParseInt(settings["report.about_step"], 10, 64); err == nil && n > 0 {
		p.AboutStep = n
	}
	if n, err := strconv.Atoi(settings["report.subjects"]); err == nil && n > 0 {
		p.Subjects = n
	}
	return p
}

var postcodeRE = regexp.MustCompile(`^[0-9]{6}$`)

// ValidateProfile checks the settings a form submits (by key), every field
// at fault at once.
func ValidateProfile(in map[string]string) error {
	var f errs.Fields
	for _, pf := range ProfileFields {
		v := strings.TrimSpace(in[pf.Key])
		if utf8.RuneCountInString(v) > 200 {
			f.Add(pf.Key, "%s不能超过 200 个字", pf.Label)
			continue
		}
		if v == "" {
			continue
		}
		switch pf.Key {
		case "report.postcode":
			if !postcodeRE.MatchString(v) {
				f.Add(pf.Key, "邮政编码应为 6 位数字")
			}
		case "report.email":
			if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
				f.Add(pf.Key, "电子邮箱格式不正确")
			}
		case "report.portal_url":
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				f.Add(pf.Key, "门户网站地址应以 http:// 或 https:// 开头")
			}
		case "report.government_wide", "report.customs_rows":
			if v != "0" && v != "1" {
				f.Add(pf.Key, "请选择“是”或“否”")
			}
		case "report.about_step":
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 100000 {
				f.Add(pf.Key, "约数取整单位应为 1–100000 的整数")
			}
		case "report.subjects":
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 10 {
				f.Add(pf.Key, "列举数应为 1–10 的整数")
			}
		}
	}
	return f.Err()
}

// Missing names the required fields the profile lacks.
func (p Profile) Missing() []string {
	var out []string
	vals := map[string]string{"report.address": p.Address, "report.postcode": p.Postcode, "report.telephone": p.Telephone,
		"report.email": p.Email, "report.portal_url": p.PortalURL}
	for _, pf := range ProfileFields {
		if pf.Required && strings.TrimSpace(vals[pf.Key]) == "" {
			out = append(out, pf.Label)
		}
	}
	return out
}

// Preface writes the opening paragraph as 国办公开办函〔2021〕30号 asks for it
// (and the seed words it): the legal basis, the statistical period, where
// the electronic version is downloaded, and how to reach the office. A field
// the profile lacks is printed as 「（未填写）」, and the report's checks name
// it.
func (p Profile) Preface(subject string, year int) string {
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "（未填写）"
		}
		return s
	}
	return fmt.Sprintf("本报告根据《中华人民共和国政府信息公开条例》《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》等规定，"+
		"梳理%d年度%s政府信息公开工作情况编制而成。报告中所列数据的统计期限，自%d年1月1日起至%d年12月31日止。"+
		"本年报电子版可在%s（%s）下载。如对报告有意见、建议，请联系%s，地址：%s，邮编%s；电话：%s；电子邮箱：%s。",
		year, subject, year, year, p.PortalName, or(p.PortalURL), p.Office, or(p.Address), or(p.Postcode), or(p.Telephone), or(p.Email))
}
