package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/demo"
	"gongkai/internal/requests"
)

// 第四十四条 through the pages: three different applicants ask for the same
// information; the third application's page says so, and the office head's
// list shows the group — and not while only two have asked.
func TestProactiveSignalThroughThePages(t *testing.T) {
	w := newCitizenWorld(t)
	ctx := context.Background()
	who := audit.Actor{UserID: w.handler.ID, Name: w.handler.Username, UnitID: w.unit.ID}
	submit := func(n int, idNo, desc string) int64 {
		a := requests.Application{Channel: requests.ChannelInPerson, ApplicantType: requests.NaturalPerson, Name: "申请人" + strconv.Itoa(n), IDNumber: idNo,
			Phone: "13800000000", Description: desc, Form: "电子文档", Delivery: "网上获取", ReceivedOn: workdaysAgo(10 - n)}
		app, _, _, err := w.db.SubmitApplication(ctx, who, w.unit.ID, "tok-proactive-"+strconv.Itoa(n)+"-0123456789abcdef", a)
		if err != nil {
			t.Fatal(err)
		}
		return app.ID
	}
	head := newBrowser(t, w.app.URL)
	if code, _ := head.login("head", demo.Password); code != 200 {
		t.Fatal("login head")
	}
	submit(1, "11010519491231002X", "请公开2024年福州海关进口冷链食品抽检结果")
	second := submit(2, "350102198807154321", "申请公开2024年福州海关进口冷链食品的抽检结果")
	_ = submit(4, "110101199003071233", "请公开马尾港区行政处罚决定书目录")
	if _, p := head.get("/admin/requests/" + strconv.FormatInt(second, 10)); strings.Contains(p, `id="proactive"`) {
		t.Error("two applicants make the signal")
	}
	if _, p := head.get("/admin/requests/proactive"); strings.Contains(p, "进口冷链食品") {
		t.Errorf("a group with two applicants: %.2000s", p)
	}
	third := submit(3, "35010219920202123X", "2024年福州海关进口冷链食品抽检结果")
	_, p := head.get("/admin/requests/" + strconv.FormatInt(third, 10))
	if !strings.Contains(p, `id="proactive"`) || !strings.Contains(p, "另有2件其他申请人的申请") {
		t.Fatalf("the third application's page: %.3000s", p)
	}
	// The demo world's own groups are listed too; ours is the one about
	// 冷链食品, without the unrelated application.
	_, p = head.get("/admin/requests/proactive")
	var ours string
	for _, g := range strings.Split(p, `<section class="proactive-group"`)[1:] {
		if strings.Contains(g, "进口冷链食品") {
			ours = g
		}
	}
	if !strings.Contains(ours, "3位申请人，3件申请") || strings.Contains(ours, "马尾港区") {
		t.Errorf("the office head's list: %.3000s", p)
	}
	// The demo office head is no editor: publish's rule (谁制作、谁认定)
	// keeps the drafting to an editor, and the page says so.
	if strings.Contains(ours, "起草主动公开信息</button>") || !strings.Contains(ours, "需要“信息起草”角色") {
		t.Errorf("the proposal offered to an office head who is no editor: %.2000s", ours)
	}
	if code, _ := head.post("/admin/requests/proactive", url.Values{"csrf": {csrfOf(t, p)}, "unit": {strconv.FormatInt(w.unit.ID, 10)}, "app": {strconv.FormatInt(third, 10)}}); code != http.StatusForbidden {
		t.Errorf("an office head who is no editor proposing: %d", code)
	}
}
