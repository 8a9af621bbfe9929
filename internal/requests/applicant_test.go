package requests

import (
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

func TestValidateResidentID(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"11010519491231002X", "11010519491231002X", true}, // GB 11643 example
		{"11010519491231002x", "11010519491231002X", true}, // lower-case x accepted
		{" 110105194912310021 ", "", false},                // wrong check digit
		{"11010519491231002", "", false},                   // 17 digits
		{"1101051949123100AX", "", false},                  // letter in the body
		{"110105194902300021", "", false},                  // 30 February
		{"350102199001011234", "", false},
	} {
		got, err := ValidateResidentID(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ValidateResidentID(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%q: code %s", tc.in, errs.CodeOf(err))
		}
	}
	// Every single-digit change of a valid number is caught by MOD 11-2.
	base := []byte("11010519491231002X")
	for i := 0; i < 17; i++ {
		b := append([]byte(nil), base...)
		b[i] = '0' + (b[i]-'0'+1)%10
		if _, err := ValidateResidentID(string(b)); err == nil {
			// a changed date may still be caught only by the checksum
			t.Errorf("altered digit %d accepted: %s", i, b)
		}
	}
}

func TestValidateCreditCode(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"91330100716105852F", true}, // 阿里巴巴（中国）有限公司
		{"9144030071526726XG", true}, // 深圳市腾讯计算机系统有限公司
		{"91330100716105852G", false},
		{"91330100716105852", false},
		{"9133010071610585IF", false}, // I is not used
	} {
		_, err := ValidateCreditCode(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateCreditCode(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestValidateIDNumberByType(t *testing.T) {
	if _, err := ValidateIDNumber(NaturalPerson, "91330100716105852F"); err == nil {
		t.Error("a credit code accepted for a natural person")
	}
	if _, err := ValidateIDNumber(Commercial, "11010519491231002X"); err == nil {
		t.Error("a 身份证 accepted for a company")
	}
	if _, err := ValidateIDNumber(Commercial, ""); errs.MessageOf(err) != "请填写统一社会信用代码。" {
		t.Errorf("empty: %v", err)
	}
	if got := MaskID("11010519491231002X"); got != "110*************2X" {
		t.Errorf("MaskID = %q", got)
	}
}

func TestApplicantTypeColumns(t *testing.T) {
	for i, at := range ApplicantTypes {
		c, ok := at.Column()
		if !ok || c != annual.Column(i) {
			t.Errorf("%s: column %d %v", at, c, ok)
		}
	}
	if _, err := ParseApplicantType("total"); err == nil {
		t.Error("total accepted as an applicant type")
	}
	if NaturalPerson.Label() != "自然人" || LegalServices.Label() != "法人或其他组织：法律服务机构" {
		t.Error(NaturalPerson.Label(), LegalServices.Label())
	}
}
