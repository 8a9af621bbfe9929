package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/internal/demo"
)

// TestBrowserRequestLife is the whole life in a real browser: a citizen
// applies on the portal (a mistake first, shown next to its field with
// what was typed kept), a handler decides and answers in the back office,
// and the citizen reads the answer with the receipt number and query code.
func TestBrowserRequestLife(t *testing.T) {
	ctx := newChrome(t)
	app := startApp(t, demoCopy(t))
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}

	// The citizen: a wrong check digit first.
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/column/apply"),
		chromedp.WaitVisible(`#f-name`),
		chromedp.Click(`input[name=applicant_type][value=natural_person]`),
		chromedp.SendKeys(`#f-name`, "王小红"),
		chromedp.SendKeys(`#f-id_number`, "110105194912310021"),
		chromedp.SendKeys(`#f-phone`, "13800000000"),
		chromedp.SendKeys(`#f-description`, "请公开福州海关2025年行政处罚决定书目录"),
		chromedp.Click(`input[name=form][value="电子文档"]`),
		chromedp.Click(`input[name=delivery][value="网上获取"]`),
		chromedp.Click(`form[action="/column/apply"] button[type=submit]`),
		chromedp.WaitVisible(`#e-id_number`),
	)
	if err != nil {
		t.Fatalf("apply with a mistake: %v", err)
	}
	if e := text(`#e-id_number`); !strings.Contains(e, "校验位") {
		t.Fatalf("field error %q", e)
	}
	kept, err := chromedp.Run(ctx, chromedp.Value(`#f-name`))
	if err != nil || kept != "王小红" {
		t.Fatalf("typed name not kept: %q %v", kept, err)
	}
	// The corrected form goes with a file (a copy of the ID card).
	idCopy := filepath.Join(t.TempDir(), "身份证复印件.pdf")
	if err := os.WriteFile(idCopy, []byte("%PDF-1.4 身份证复印件"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(`#f-id_number`, "11010519491231002X"),
		chromedp.SetUploadFiles(`#f-attachments`, []string{idCopy}),
		chromedp.Click(`form[action="/column/apply"] button[type=submit]`),
		chromedp.WaitVisible(`#receipt-no`),
	)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	receipt, code := strings.TrimSpace(text(`#receipt-no strong`)), strings.TrimSpace(text(`#query-code strong`))
	if !strings.HasPrefix(receipt, "YSQ") || len(code) < 8 {
		t.Fatalf("receipt %q code %q", receipt, code)
	}
	if body := text(`main`); !strings.Contains(body, "身份证复印件.pdf") {
		t.Fatalf("receipt does not list the file: %.1000s", body)
	}

	// The handler takes it from 待分办 (认领) and answers.
	err = chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/admin/"),
		chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, "handler"),
		chromedp.SendKeys(`#f-password`, demo.Password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`.panels`),
		chromedp.Navigate(app.URL+"/admin/requests?view=unassigned"),
		chromedp.Click(`//a[text()="`+receipt+`"]`),
		chromedp.WaitVisible(`//button[text()="认领本申请"]`),
		chromedp.Click(`//button[text()="认领本申请"]`),
		// The page before the claim has the decision form too: wait for
		// the page the claim leads to.
		chromedp.WaitVisible(`//div[@role="status" and contains(., "已记录：分办")]`),
		chromedp.WaitVisible(`#f-decided-outcome`),
		chromedp.SetValue(`#f-decided-outcome`, "disclosed"),
		chromedp.Click(`//button[text()="保存答复意见"]`),
		chromedp.WaitVisible(`#f-answered-note`),
		chromedp.SetValue(`#f-answered-note`, "所需目录见本答复附件。"),
		chromedp.Click(`//button[text()="作出答复"]`),
		chromedp.WaitNotPresent(`#f-answered-note`),
	)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	if body := text(`main`); !strings.Contains(body, "已答复") || !strings.Contains(body, "身份证复印件.pdf") || !strings.Contains(body, "答复书和告知书在办理时生成") {
		t.Fatalf("after the answer: %.1500s", body)
	}

	// The citizen reads the answer.
	err = chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/column/apply/status"),
		chromedp.WaitVisible(`#f-code`),
		chromedp.SendKeys(`#f-receipt_no`, receipt),
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Click(`form[action="/column/apply/status"] button[type=submit]`),
		chromedp.WaitVisible(`#answer`),
	)
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	if o, a := text(`#outcome`), text(`#answer`); o != "予以公开" || !strings.Contains(a, "所需目录见本答复附件") {
		t.Fatalf("citizen sees outcome %q answer %q", o, a)
	}
}
