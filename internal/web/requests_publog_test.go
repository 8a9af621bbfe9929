package web

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The public log through the web: off, the portal says so and shows
// nothing; on, an answered application's entry shows only once a handler
// approves it, with the question as approved — never the raw question or
// the applicant — and goes when withheld.
var reTextarea = regexp.MustCompile(`(?s)<textarea id="f-question"[^>]*>(.*?)</textarea>`)

func TestPublogFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		ctx := context.Background()
		hash, _ := auth.HashPassword("desk password", auth.Params{Memory: 1024, Time: 1, Threads: 1})
		usr := org.User{Username: "handler", DisplayName: "经办人", UnitID: e.unit.ID, Grants: []org.Grant{{UnitID: e.unit.ID, Role: org.RoleHandler}}}
		if err := db.CreateUser(ctx, audit.System("test"), &usr, hash); err != nil {
			t.Fatal(err)
		}
		handler := audit.Actor{UserID: usr.ID, Name: usr.Username, UnitID: e.unit.ID}
		on := func(s string) calendar.Date {
			d, err := calendar.ParseDate(s)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		raw := "本人李明华（手机13912345678）请公开2024年进口食品抽检结果"
		app, _, _, err := db.SubmitApplication(ctx, handler, e.unit.ID, "tok-publog-web-0123456789", requests.Application{Channel: requests.ChannelOnline,
			ApplicantType: requests.NaturalPerson, Name: "李明华", IDNumber: "11010519491231002X", Phone: "13912345678", Description: raw,
			Form: "电子文档", Delivery: "网上获取", ReceivedOn: on("2024-09-02")})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range []requests.Event{{Kind: requests.Decided, On: on("2024-09-10"), Outcome: annual.RowDisclosed}, {Kind: requests.Answered, On: on("2024-09-12")}} {
			if _, err := db.AppendRequestEvent(ctx, handler, app.ID, ev); err != nil {
				t.Fatal(err)
			}
		}
		public := e.client()
		if _, page := public.get("/column/apply"); strings.Contains(page, `href="/column/apply/log"`) {
			t.Fatal("a link to the log while off")
		}
		code, page := public.get("/column/apply/log")
		if code != 200 || !strings.Contains(page, "本机关未公开依申请公开的办理记录") || strings.Contains(page, "log-entries") {
			t.Fatalf("off: %d\n%.1500s", code, page)
		}
		staff := e.client()
		csrf := staff.login("handler")
		id := strconv.FormatInt(app.ID, 10)
		if code, page = staff.get("/admin/requests/" + id); code != 200 || !strings.Contains(page, "/admin/requests/"+id+"/publog") {
			t.Fatalf("no link on the application page: %d", code)
		}
		code, page = staff.get("/admin/requests/" + id + "/publog")
		if code != 200 || !strings.Contains(page, "publog-off") || strings.Contains(find(t, reTextarea, page)[1], "13912345678") || strings.Contains(find(t, reTextarea, page)[1], "李明华") {
			t.Fatalf("entry page %d\n%.3000s", code, page)
		}
		if code, _ = staff.post("/admin/requests/publog", url.Values{"csrf": {csrf}, "unit": {strconv.FormatInt(e.unit.ID, 10)}, "enabled": {"on"}}); code != 200 {
			t.Fatalf("switch on: %d", code)
		}
		if _, page = public.get("/column/apply"); !strings.Contains(page, `href="/column/apply/log"`) {
			t.Fatal("no link to the log on the application form")
		}
		// Switched on, nothing approved: nothing shows.
		if _, page = public.get("/column/apply/log"); strings.Contains(page, "进口食品") || !strings.Contains(page, "暂无公开的办理记录") {
			t.Fatalf("unapproved entry on the portal:\n%.2000s", page)
		}
		// The raw question is refused.
		code, page = staff.post("/admin/requests/"+id+"/publog", url.Values{"csrf": {csrf}, "decision": {"approve"}, "question": {raw}})
		if code != 422 && code != 400 || !strings.Contains(page, "仍含有个人信息") {
			t.Fatalf("raw question approved: %d\n%.2000s", code, page)
		}
		if _, page = public.get("/column/apply/log"); strings.Contains(page, "进口食品") {
			t.Fatal("refused entry on the portal")
		}
		if code, page = staff.upload("/admin/requests/"+id+"/publog/files", csrf, "document", upFile{"抽检结果.pdf", []byte("%PDF-1.4 抽检结果")}); code != 200 || !strings.Contains(page, "抽检结果.pdf") {
			t.Fatalf("upload: %d\n%.2000s", code, page)
		}
		c, _ := db.PublogCaseOf(ctx, app.ID)
		if len(c.Files) != 1 {
			t.Fatalf("files %+v", c.Files)
		}
		if code, body := staff.get("/admin/requests/" + id + "/publog/files/" + strconv.FormatInt(c.Files[0].ID, 10)); code != 200 || body != "%PDF-1.4 抽检结果" {
			t.Fatalf("staff download %d", code)
		}
		if code, _ := staff.get("/admin/requests/" + id + "/publog/files/999999"); code != 404 {
			t.Fatalf("a missing file: %d", code)
		}
		code, _ = staff.post("/admin/requests/"+id+"/publog", url.Values{"csrf": {csrf}, "decision": {"approve"}, "question": {"请公开2024年进口食品抽检结果"}, "file": {strconv.FormatInt(c.Files[0].ID, 10)}})
		if code != 200 {
			t.Fatalf("approve: %d", code)
		}
		code, page = public.get("/column/apply/log?page=99999999999999999999")
		if code != 200 {
			t.Fatalf("a huge page: %d", code)
		}
		code, page = public.get("/column/apply/log")
		if code != 200 || !strings.Contains(page, "请公开2024年进口食品抽检结果") || !strings.Contains(page, "予以公开") || !strings.Contains(page, "2024-09-12") {
			t.Fatalf("approved entry: %d\n%.2000s", code, page)
		}
		link := find(t, regexp.MustCompile(`href="(/column/apply/log/\d+/files/\d+)"`), page)[1]
		if code, body := public.get(link); code != 200 || body != "%PDF-1.4 抽检结果" {
			t.Fatalf("document %d %q", code, body)
		}
		for _, secret := range []string{"李明华", "13912345678", "本人", app.ReceiptNo, "11010519491231002X"} {
			if strings.Contains(page, secret) {
				t.Errorf("%q on the portal", secret)
			}
		}
		// Withheld: gone.
		if code, _ = staff.post("/admin/requests/"+id+"/publog", url.Values{"csrf": {csrf}, "decision": {"withhold"}}); code != 200 {
			t.Fatalf("withhold: %d", code)
		}
		if _, page = public.get("/column/apply/log"); strings.Contains(page, "进口食品") || strings.Contains(page, "2024-09-12") || !strings.Contains(page, "暂无公开的办理记录") {
			t.Fatal("withheld entry on the portal")
		}
		if code, _ := public.get(link); code != 404 {
			t.Fatalf("a withheld entry's document: %d", code)
		}
		// Approved again, then the log switched off: nothing at all.
		staff.post("/admin/requests/"+id+"/publog", url.Values{"csrf": {csrf}, "decision": {"approve"}, "question": {"请公开2024年进口食品抽检结果"}})
		if _, page = public.get("/column/apply/log"); !strings.Contains(page, "进口食品") {
			t.Fatal("re-approved entry missing")
		}
		staff.post("/admin/requests/publog", url.Values{"csrf": {csrf}, "unit": {strconv.FormatInt(e.unit.ID, 10)}, "enabled": {"off"}})
		if _, page = public.get("/column/apply/log"); strings.Contains(page, "进口食品") || !strings.Contains(page, "本机关未公开") {
			t.Fatal("the log shows while off")
		}
		if code, page = staff.get("/admin/requests/publog"); code != 200 || !strings.Contains(page, app.ReceiptNo) || !strings.Contains(page, "已批准公开") {
			t.Fatalf("list %d\n%.2000s", code, page)
		}
	})
}
