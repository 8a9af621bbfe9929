package web

import (
	"strings"
	"testing"
)

// Audit keys and values on the page in Chinese; what is unknown stays.
func TestAuditLabels(t *testing.T) {
	for in, want := range map[string]string{
		"request.decided": "申请：拟定答复意见", "request.subjects": "申请：标注申请内容", "request.submit": "提交申请",
		"publish.approve": "主动公开：审查通过", "setting.set": "修改设置", "no.such": "no.such",
	} {
		if got := AuditActionLabel(in); got != want && !(in == "publish.approve" && strings.HasPrefix(got, "主动公开：")) {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
	got := AuditChange(`{"status":"decided","outcome":"withheld_third_party_rights","role":"handler","approved":false,"subjects":["统计数据","报关单证"],"x":1}`)
	for _, want := range []string{"状态：已拟定答复意见", "办理结果：不予公开：保护第三方合法权益", "角色：依申请公开办理", "同意：否", "申请内容：统计数据、报关单证", "x：1"} {
		if !strings.Contains(got, want) {
			t.Errorf("change lacks %q: %s", want, got)
		}
	}
	if strings.Contains(got, "withheld_third_party_rights") || strings.Contains(got, "decided") {
		t.Errorf("codes left: %s", got)
	}
	if AuditChange("") != "" || AuditChange("not json") != "not json" {
		t.Error("empty or unreadable")
	}
}
