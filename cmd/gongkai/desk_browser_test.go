package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/demo"
)

// In a real browser: a visitor leaves a message on the portal (after one
// mistake the form shows what was typed and marks the field), a hotline
// agent drafts the reply, and the reply reaches the portal only after a
// reviewer approves it.
func TestBrowserMessageReviewedBeforePublic(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, demoCopy(t))
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	const subject = "出口芦柑需要办理哪些检疫手续"
	const reply = "出口芦柑须在出口前向产地海关申请检疫并取得植物检疫证书，具体可拨打12360咨询。"

	// The visitor opens the form from the 互动交流 column.
	run("open form",
		chromedp.Navigate(app.URL+"/interact"),
		chromedp.Click(`a[href="/interact/message/new"]`),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SetValue(`#f-name`, "林晓"),
		chromedp.SetValue(`#f-subject`, subject),
		chromedp.SetValue(`#f-body`, "我们是果品企业，今年准备出口芦柑到东南亚，请问需要办理哪些检疫手续？"),
		chromedp.SetValue(`#f-topic`, "inspection"),
	)
	// No phone and no e-mail: the form comes back with what was typed and
	// the message next to the field.
	run("submit without contact", chromedp.SendKeys(`#f-answer`, "0"), chromedp.Click(`form button[type=submit]`), chromedp.WaitVisible(`.error-summary`))
	if msg := text(`.has-error .field-error`); !strings.Contains(msg, "联系电话或电子邮箱") {
		t.Fatalf("error next to the phone field: %q", msg)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(`#f-subject`)); v != subject {
		t.Fatalf("subject not kept: %q", v)
	}
	question := text(`label[for=f-answer]`)
	run("fill phone and answer",
		chromedp.SendKeys(`#f-phone`, "0591-87000000"),
		chromedp.SendKeys(`#f-answer`, solveChallenge(t, question)),
		// A person takes a few seconds; the server refuses faster forms.
		chromedp.Sleep(3500*time.Millisecond),
		chromedp.Click(`form button[type=submit]`),
		chromedp.WaitVisible(`#ref`),
	)
	ref, code := text(`#ref`), text(`#code`)
	id, err := strconv.ParseInt(strings.TrimLeft(strings.TrimPrefix(ref, "LY"), "0"), 10, 64)
	if err != nil {
		t.Fatalf("reference %q", ref)
	}
	public := func() string {
		t.Helper()
		run("public list", chromedp.Navigate(app.URL+"/interact/message"), chromedp.WaitVisible(`h1`))
		return text(`main`)
	}
	if strings.Contains(public(), subject) {
		t.Fatal("the message is public before any reply")
	}

	login := func(user string) {
		t.Helper()
		run("login "+user,
			chromedp.Navigate(app.URL+"/admin/login"),
			chromedp.WaitVisible(`#f-username`),
			chromedp.SendKeys(`#f-username`, user),
			chromedp.SendKeys(`#f-password`, demo.Password),
			chromedp.Click(`button[type=submit]`),
			chromedp.WaitVisible(`.panels`),
		)
	}
	logout := func() {
		t.Helper()
		run("logout", chromedp.Click(`form[action="/admin/logout"] button`), chromedp.WaitVisible(`#f-username`))
	}
	enquiry := app.URL + "/admin/desk/enquiries/" + strconv.FormatInt(id, 10)

	// The agent finds it in the queue and drafts the reply.
	login("agent")
	run("queue", chromedp.Navigate(app.URL+"/admin/desk/enquiries?state=todo"), chromedp.WaitVisible(`table`))
	if !strings.Contains(text(`main`), ref) {
		t.Fatalf("%s not in the agent's queue", ref)
	}
	run("draft",
		chromedp.Navigate(enquiry),
		chromedp.WaitVisible(`#f-body`),
		chromedp.SetValue(`#f-body`, reply),
		chromedp.Click(`#save-draft`),
		chromedp.WaitVisible(`.notice`),
	)
	if s := text(`h1`); !strings.Contains(s, "待审核") {
		t.Fatalf("after the draft: %q", s)
	}
	logout()
	if strings.Contains(public(), reply) {
		t.Fatal("the draft is public before review")
	}
	run("lookup before review",
		chromedp.Navigate(app.URL+"/interact/lookup"),
		chromedp.WaitVisible(`#f-ref`),
		chromedp.SendKeys(`#f-ref`, ref),
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Click(`form button[type=submit]`),
		chromedp.WaitVisible(`#state`),
	)
	if s := text(`#state`); s != "办理中" || strings.Contains(text(`main`), reply) {
		t.Fatalf("lookup before review shows %q", s)
	}

	// The reviewer approves it, and it is published.
	login("reviewer")
	run("approve", chromedp.Navigate(enquiry), chromedp.WaitVisible(`#approve`), chromedp.Click(`#approve`), chromedp.WaitVisible(`.notice`))
	if s := text(`.notice`); !strings.Contains(s, "已审核通过并在网站公开") {
		t.Fatalf("after approval: %q", s)
	}
	logout()

	page := public()
	if !strings.Contains(page, subject) || !strings.Contains(page, reply) {
		t.Fatal("the approved reply is not on the portal")
	}
	if strings.Contains(page, "林晓") || strings.Contains(page, "0591-87000000") {
		t.Fatal("the portal shows the asker's personal details")
	}
	run("lookup after review",
		chromedp.Navigate(app.URL+"/interact/lookup"),
		chromedp.WaitVisible(`#f-ref`),
		chromedp.SendKeys(`#f-ref`, ref),
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Click(`form button[type=submit]`),
		chromedp.WaitVisible(`#reply`),
	)
	if s := text(`#reply`); s != reply {
		t.Fatalf("lookup reply %q", s)
	}
}

var challengeRE = regexp.MustCompile(`(\S+) (加|减) (\S+) 等于多少`)

// solveChallenge reads the portal's challenge as a person would.
func solveChallenge(t *testing.T, label string) string {
	t.Helper()
	m := challengeRE.FindStringSubmatch(label)
	if m == nil {
		t.Fatalf("no challenge in %q", label)
	}
	num := func(s string) int {
		s = strings.TrimPrefix(s, "验证问题：")
		for i, n := range []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"} {
			if n == s {
				return i
			}
		}
		t.Fatalf("number %q in %q", s, label)
		return 0
	}
	a, b := num(m[1]), num(m[3])
	if m[2] == "减" {
		return strconv.Itoa(a - b)
	}
	return strconv.Itoa(a + b)
}
