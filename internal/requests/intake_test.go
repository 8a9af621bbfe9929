package requests

import (
	"errors"
	"testing"

	"gongkai/internal/errs"
)

func TestApplicationValidate(t *testing.T) {
	good := Application{Channel: ChannelOnline, ApplicantType: NaturalPerson, Name: " 张三 ", IDNumber: "11010519491231002x",
		Phone: "0591-87654321", Description: "2024年福州海关行政处罚决定书（榕关缉违字〔2024〕1号）", Form: "电子文档", Delivery: "网上获取",
		ReceivedOn: d("2024-03-01")}
	a := good
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if a.Name != "张三" || a.IDNumber != "11010519491231002X" {
		t.Errorf("not normalised: %+v", a)
	}
	var empty Application
	err := empty.Validate()
	var fe *errs.FormError
	if !errors.As(err, &fe) {
		t.Fatalf("not a form error: %v", err)
	}
	got := map[string]bool{}
	for _, e := range fe.Fields {
		got[e.Field] = true
	}
	for _, f := range []string{"channel", "applicant_type", "name", "phone", "description", "form", "delivery", "received_on"} {
		if !got[f] {
			t.Errorf("no error for %s: %v", f, err)
		}
	}
	b := good
	b.ApplicantType, b.Delivery = Commercial, "邮寄"
	err = b.Validate()
	if !errors.As(err, &fe) || len(fe.Fields) != 2 || fe.Fields[0].Field != "id_number" || fe.Fields[1].Field != "address" {
		t.Errorf("company with a 身份证 and no address: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	k, err := ParseDataKey(NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := k.Seal("11010519491231002X"), k.Seal("11010519491231002X")
	if s1 == s2 {
		t.Error("sealing is deterministic: the nonce is not random")
	}
	if p, err := k.Open(s1); err != nil || p != "11010519491231002X" {
		t.Errorf("Open = %q, %v", p, err)
	}
	other, _ := ParseDataKey(NewDataKey())
	if _, err := other.Open(s1); err == nil {
		t.Error("opened with the wrong key")
	}
	c := k.QueryCode("tok")
	if len(c) != 12 || c != k.QueryCode("tok") || c == k.QueryCode("tok2") || c == other.QueryCode("tok") {
		t.Errorf("query code %q", c)
	}
	if HashQueryCode(c) != HashQueryCode(" "+c+" ") || HashQueryCode(c) == c {
		t.Error("hash")
	}
	if _, err := ParseDataKey("short"); err == nil {
		t.Error("short key accepted")
	}
}
