// Package requests is 依申请公开: the life of an application for government
// information under the statutory clock (条例第二十七条至第四十五条), the
// fees of 国办函〔2020〕109号, and the facts table 三 and 四 of the annual
// report are computed from.
//
// It imports neither net/http nor a SQL driver; the store keeps applications
// and their append-only events, the web layer shows them.
package requests

import (
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// ApplicantType is who applies, as table 三's columns count them
// (条例第二十七条: 公民、法人或者其他组织).
type ApplicantType string

// The applicant types, in the order of table 三's columns.
const (
	NaturalPerson  ApplicantType = "natural_person"  // 自然人
	Commercial     ApplicantType = "commercial"      // 商业企业
	Research       ApplicantType = "research"        // 科研机构
	PublicInterest ApplicantType = "public_interest" // 社会公益组织
	LegalServices  ApplicantType = "legal_services"  // 法律服务机构
	OtherOrg       ApplicantType = "other_org"       // 其他
)

// ApplicantTypes lists the types in printed order.
var ApplicantTypes = []ApplicantType{NaturalPerson, Commercial, Research, PublicInterest, LegalServices, OtherOrg}

// Column is the table 三 column the type is counted in.
func (t ApplicantType) Column() (annual.Column, bool) {
	for i, k := range annual.ColumnKeys[:annual.ColTotal] {
		if k == string(t) {
			return annual.Column(i), true
		}
	}
	return 0, false
}

// Label is the Chinese name of the type.
func (t ApplicantType) Label() string {
	if c, ok := t.Column(); ok {
		if t == NaturalPerson {
			return annual.ColumnLabels[c]
		}
		return "法人或其他组织：" + annual.ColumnLabels[c]
	}
	return string(t)
}

// IsPerson reports whether the applicant is a natural person, who proves
// identity with a 居民身份证 rather than a 统一社会信用代码.
func (t ApplicantType) IsPerson() bool { return t == NaturalPerson }

// ParseApplicantType checks a submitted type.
func ParseApplicantType(s string) (ApplicantType, error) {
	t := ApplicantType(strings.TrimSpace(s))
	if _, ok := t.Column(); !ok {
		return "", errs.FieldError("applicant_type", "请选择申请人类型。")
	}
	return t, nil
}

// idWeights are the weights of GB 11643-1999 (ISO 7064 MOD 11-2) for the
// first 17 digits of a 公民身份号码.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck maps sum mod 11 to the check character.
const idCheck = "10X98765432"

// ValidateResidentID checks an 18-digit 公民身份号码 (GB 11643-1999): 17
// digits, a valid date of birth in positions 7–14 and the ISO 7064 MOD 11-2
// check character (0–9 or X). It returns the number normalised (upper-case X).
func ValidateResidentID(s string) (string, error) {
	id := strings.ToUpper(strings.TrimSpace(s))
	if len(id) != 18 {
		return "", errs.FieldError("id_number", "身份证号码应为18位。")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return "", errs.FieldError("id_number", "身份证号码前17位应为数字。")
		}
		sum += int(c-'0') * idWeights[i]
	}
	if _, err := calendar.ParseDate(id[6:10] + "-" + id[10:12] + "-" + id[12:14]); err != nil {
		return "", errs.FieldError("id_number", "身份证号码中的出生日期无效。")
	}
	if id[17] != idCheck[sum%11] {
		return "", errs.FieldError("id_number", "身份证号码校验位不正确，请核对。")
	}
	return id, nil
}

// usccChars are the 31 characters of a 统一社会信用代码 (GB 32100-2015: digits
// and capital letters without I, O, Z, S, V); a character's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of GB 32100-2015 for the first 17 characters
// (3^(i) mod 31).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidateCreditCode checks an 18-character 统一社会信用代码 (GB 32100-2015):
// the character set and the check character 31 − (Σ value×weight mod 31)
// (31 becoming 0). It returns the code normalised (upper case).
func ValidateCreditCode(s string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if len(code) != 18 {
		return "", errs.FieldError("id_number", "统一社会信用代码应为18位。")
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(usccChars, code[i])
		if v < 0 {
			return "", errs.FieldError("id_number", "统一社会信用代码含有无效字符（不使用 I、O、Z、S、V）。")
		}
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	check := (31 - sum%31) % 31
	if code[17] != usccChars[check] {
		return "", errs.FieldError("id_number", "统一社会信用代码校验位不正确，请核对。")
	}
	return code, nil
}

// ValidateIDNumber checks the identity number against the applicant type:
// a 身份证 for a natural person, a 统一社会信用代码 for an organisation.
func ValidateIDNumber(t ApplicantType, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		if t.IsPerson() {
			return "", errs.FieldError("id_number", "请填写身份证号码。")
		}
		return "", errs.FieldError("id_number", "请填写统一社会信用代码。")
	}
	if t.IsPerson() {
		return ValidateResidentID(s)
	}
	return ValidateCreditCode(s)
}

// MaskID shows only the first 3 and the last 2 characters of an identity
// number, for lists (1101**************2X).
func MaskID(id string) string {
	if len(id) <= 5 {
		return strings.Repeat("*", len(id))
	}
	return id[:3] + strings.Repeat("*", len(id)-5) + id[len(id)-2:]
}
