package store_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/search"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// pubWorld is a unit with two departments, staff in each role, and the
// customs catalogue.
type pubWorld struct {
	db                        *store.DB
	clock                     *clock
	unit                      org.Unit
	office, ops               org.Department
	editor, reviewer, rOffice publish.Actor
	legal                     publish.Actor
	cats                      map[string]publish.Category
}

func newPubWorld(t *testing.T, d store.Dialect) *pubWorld {
	t.Helper()
	c := &clock{t: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)}
	db := storetest.Open(t, d, store.Options{Now: c.now})
	w := &pubWorld{db: db, clock: c, unit: mustUnit(t, db, 0, "fuzhou", "福州海关"), cats: map[string]publish.Category{}}
	for _, p := range []*org.Department{&w.office, &w.ops} {
		p.UnitID = w.unit.ID
	}
	w.office.Name, w.ops.Name = "办公室", "综合业务处"
	for _, p := range []*org.Department{&w.office, &w.ops} {
		if err := db.CreateDepartment(ctx, admin, p); err != nil {
			t.Fatal(err)
		}
	}
	actor := func(name string, dept int64, roles ...org.Role) publish.Actor {
		u := org.User{Username: name, DisplayName: "测试" + name, UnitID: w.unit.ID, DepartmentID: dept}
		for _, r := range roles {
			u.Grants = append(u.Grants, org.Grant{UnitID: w.unit.ID, Role: r})
		}
		if err := db.CreateUser(ctx, admin, &u, "x"); err != nil {
			t.Fatal(err)
		}
		return publish.ActorOf(u, w.unit.ID)
	}
	w.editor = actor("editor", w.ops.ID, org.RoleEditor)
	w.reviewer = actor("reviewer", w.ops.ID, org.RoleReviewer)
	w.rOffice = actor("officer", w.office.ID, org.RoleReviewer)
	w.legal = actor("legal", w.office.ID, org.RoleLegal)
	if _, err := db.EnsureCatalogue(ctx, admin, w.unit.ID, publish.CustomsCatalogue()); err != nil {
		t.Fatal(err)
	}
	cats, err := db.PublishCategories(ctx, w.unit.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		w.cats[c.Slug] = c
	}
	return w
}

func (w *pubWorld) content(title, body string) publish.Content {
	return publish.Content{Title: title, DepartmentID: w.ops.ID, MadeOn: calendar.DateOf(w.clock.t.In(time.FixedZone("CST", 8*3600))),
		CategoryID: w.cats["gonggao"].ID, Attribute: publish.Active, Body: "<p>" + body + "</p>"}
}

func (w *pubWorld) create(t *testing.T, c publish.Content, ups ...publish.Upload) publish.Item {
	t.Helper()
	it, err := w.db.CreateItem(ctx, admin, w.editor, w.unit.ID, store.ItemInput{Content: c, Uploads: ups})
	if err != nil {
		t.Fatalf("create %q: %v", c.Title, err)
	}
	return it
}

func (w *pubWorld) act(t *testing.T, who publish.Actor, id int64, a store.Act) publish.Item {
	t.Helper()
	it, err := w.db.ActOnItem(ctx, admin, who, id, 0, a)
	if err != nil {
		t.Fatalf("%s on %d: %v", a.Kind, id, err)
	}
	return it
}

// publishNow takes an item from draft to published.
func (w *pubWorld) publishNow(t *testing.T, id int64) publish.Item {
	t.Helper()
	w.act(t, w.editor, id, store.Act{Kind: publish.EvSubmit})
	it := w.act(t, w.reviewer, id, store.Act{Kind: publish.EvApprove})
	if it.State == publish.Legal {
		w.act(t, w.legal, id, store.Act{Kind: publish.EvLegalApprove})
	}
	return w.act(t, w.editor, id, store.Act{Kind: publish.EvPublish})
}

func (w *pubWorld) visible(t *testing.T, id int64) bool {
	t.Helper()
	_, err := w.db.Public().Item(ctx, w.unit.ID, id)
	if err != nil && !errs.Is(err, errs.NotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func (w *pubWorld) found(t *testing.T, q string) []int64 {
	t.Helper()
	res, err := w.db.Public().Search(ctx, publish.SearchQuery{ListQuery: publish.ListQuery{UnitID: w.unit.ID, PerPage: 100}, Query: search.Parse(q)})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var ids []int64
	for _, h := range res.Hits {
		ids = append(ids, h.Item.ID)
	}
	if len(ids) != res.Total && res.Total <= 100 {
		t.Fatalf("search %q: %d hits, total %d", q, len(ids), res.Total)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

func eachPub(t *testing.T, fn func(t *testing.T, w *pubWorld)) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) { fn(t, newPubWorld(t, d)) })
	}
}

func TestPublishWorkflow(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		db := w.db
		it := w.create(t, w.content("关于公布2024年第一批行政许可事项的公告", "福州海关决定公布行政许可事项。"))
		if it.State != publish.Draft || it.Version != 1 {
			t.Fatalf("new item: %+v", it)
		}
		// Nothing goes public before review (先审查、后公开).
		if _, err := db.ActOnItem(ctx, admin, w.editor, it.ID, 0, store.Act{Kind: publish.EvPublish}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("publish a draft: %v", err)
		}
		if _, err := db.ActOnItem(ctx, admin, w.editor, it.ID, 0, store.Act{Kind: publish.EvApprove}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("editor approving: %v", err)
		}
		w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvSubmit})
		// 谁公开、谁审查: a reviewer of another department may not review.
		if _, err := db.ActOnItem(ctx, admin, w.rOffice, it.ID, 0, store.Act{Kind: publish.EvApprove}); !errs.Is(err, errs.Forbidden) || !strings.Contains(errs.MessageOf(err), "谁公开、谁审查") {
			t.Fatalf("other department's reviewer: %v", err)
		}
		// A stale form (expecting an older history) is refused.
		if _, err := db.ActOnItem(ctx, admin, w.reviewer, it.ID, 1, store.Act{Kind: publish.EvApprove}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("stale approve: %v", err)
		}
		// A return needs a reason and sends the item back to draft.
		if _, err := db.ActOnItem(ctx, admin, w.reviewer, it.ID, 0, store.Act{Kind: publish.EvReturn}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("return without reason: %v", err)
		}
		if got := w.act(t, w.reviewer, it.ID, store.Act{Kind: publish.EvReturn, Reason: "请补充文号"}); got.State != publish.Draft {
			t.Fatalf("after return: %s", got.State)
		}
		c := w.content("关于公布2024年第一批行政许可事项的公告", "福州海关决定公布行政许可事项。")
		c.DocNo = "福州关公告〔2024〕1号"
		if _, err := db.SaveItem(ctx, admin, w.editor, it.ID, 0, store.ItemInput{Content: c}); err != nil {
			t.Fatal(err)
		}
		got := w.publishNow(t, it.ID)
		if got.State != publish.Published || got.Version != 2 || got.ReviewerName != "测试reviewer" {
			t.Fatalf("published: %+v", got)
		}
		if !w.visible(t, it.ID) || !reflect.DeepEqual(w.found(t, "许可事项"), []int64{it.ID}) || !reflect.DeepEqual(w.found(t, "〔2024〕1号"), []int64{it.ID}) {
			t.Fatal("published item not public or not found")
		}

		// A revision: the published version stays public while the new one
		// is reviewed, then replaces it.
		w.clock.add(24 * time.Hour)
		c.Body = "<p>福州海关决定公布行政许可事项（修订）。</p>"
		if _, err := db.SaveItem(ctx, admin, w.editor, it.ID, 0, store.ItemInput{Content: c}); err != nil {
			t.Fatal(err)
		}
		if pi, err := db.Public().Item(ctx, w.unit.ID, it.ID); err != nil || pi.Version != 2 || len(w.found(t, "修订")) != 0 {
			t.Fatalf("during revision the portal shows version %d (%v)", pi.Version, err)
		}
		w.publishNow(t, it.ID)
		pi, err := db.Public().Item(ctx, w.unit.ID, it.ID)
		if err != nil || pi.Version != 3 || !pi.Revised || !reflect.DeepEqual(w.found(t, "修订"), []int64{it.ID}) {
			t.Fatalf("after revision: %+v %v", pi, err)
		}

		// Withdrawal takes it off the portal and out of the index at once.
		if _, err := db.ActOnItem(ctx, admin, w.reviewer, it.ID, 0, store.Act{Kind: publish.EvWithdraw}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("withdraw without reason: %v", err)
		}
		w.act(t, w.reviewer, it.ID, store.Act{Kind: publish.EvWithdraw, Reason: "内容有误"})
		if w.visible(t, it.ID) || len(w.found(t, "许可事项")) != 0 {
			t.Fatal("withdrawn item still public")
		}

		// The stored state is what the history says.
		evs, err := db.PublishEvents(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := db.PublishItem(ctx, it.ID)
		replayed, err := publish.Replay(it.ID, w.unit.ID, withContents(t, w, it.ID, evs))
		if err != nil {
			t.Fatal(err)
		}
		if replayed.State != stored.State || replayed.Version != stored.Version || replayed.Events != stored.Events || !replayed.FirstPublishAt.Equal(stored.FirstPublishAt) {
			t.Fatalf("replay %+v\nstored %+v", replayed, stored)
		}
		pubs := publish.Publications(it.ID, evs, db.Now())
		if len(pubs) != 2 || pubs[0].Revision || !pubs[1].Revision {
			t.Fatalf("publications: %+v", pubs)
		}
		// History cannot be rewritten.
		if _, err := db.SQL().Exec("UPDATE publish_events SET reason = 'x'"); err == nil {
			t.Fatal("publish_events accepted an UPDATE")
		}
		if _, err := db.SQL().Exec("DELETE FROM publish_versions"); err == nil {
			t.Fatal("publish_versions accepted a DELETE")
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n == 0 {
			t.Fatalf("audit: %d %v", n, err)
		}
	})
}

// withContents fills create/edit/revise events with their full versions.
func withContents(t *testing.T, w *pubWorld, id int64, evs []publish.Event) []publish.Event {
	out := append([]publish.Event(nil), evs...)
	for i, e := range out {
		if e.Content != nil {
			c, err := w.db.PublishVersion(ctx, id, e.Version)
			if err != nil {
				t.Fatal(err)
			}
			out[i].Content = &c
		}
	}
	return out
}

func TestPublishLegalReviewAndAttributes(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		c := w.content("内部工作流程规定", "内部事务。")
		c.Attribute = publish.Withheld
		if _, err := w.db.CreateItem(ctx, admin, w.editor, w.unit.ID, store.ItemInput{Content: c}); err == nil || !strings.Contains(errs.MessageOf(err), "依据") {
			t.Fatalf("withheld without ground: %v", err)
		}
		c.Ground = publish.WithheldGrounds[4]
		it := w.create(t, c)
		w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvSubmit})
		if got := w.act(t, w.reviewer, it.ID, store.Act{Kind: publish.EvApprove}); got.State != publish.Legal {
			t.Fatalf("不予公开 must go to legal review, got %s", got.State)
		}
		got := w.act(t, w.legal, it.ID, store.Act{Kind: publish.EvLegalApprove})
		if got.State != publish.Approved || got.LegalName != "测试legal" {
			t.Fatalf("after legal review: %+v", got)
		}
		if _, err := w.db.ActOnItem(ctx, admin, w.editor, it.ID, 0, store.Act{Kind: publish.EvPublish}); err == nil || !strings.Contains(errs.MessageOf(err), "不主动公开") {
			t.Fatalf("publishing a 不予公开 item: %v", err)
		}
		// The author may not review their own text.
		both := w.editor
		both.Roles = append(both.Roles, org.RoleReviewer)
		it2 := w.create(t, w.content("自审测试", "正文"))
		w.act(t, w.editor, it2.ID, store.Act{Kind: publish.EvSubmit})
		if _, err := w.db.ActOnItem(ctx, admin, both, it2.ID, 0, store.Act{Kind: publish.EvApprove}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("self review: %v", err)
		}
		// Form errors name every field at fault.
		_, err := w.db.CreateItem(ctx, admin, w.editor, w.unit.ID, store.ItemInput{Content: publish.Content{}})
		var fe *errs.FormError
		if !asForm(err, &fe) || fe.Of("title") == "" || fe.Of("department") == "" || fe.Of("category") == "" || fe.Of("attribute") == "" {
			t.Fatalf("empty form: %v", err)
		}
	})
}

func TestPublishScheduled(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		it := w.create(t, w.content("定时发布的通告", "定时标记词甲"))
		w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvSubmit})
		w.act(t, w.reviewer, it.ID, store.Act{Kind: publish.EvApprove})
		at := w.clock.t.Add(2 * time.Hour)
		if _, err := w.db.ActOnItem(ctx, admin, w.editor, it.ID, 0, store.Act{Kind: publish.EvPublish, PublishAt: w.clock.t.Add(-time.Hour)}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("schedule in the past: %v", err)
		}
		if got := w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvPublish, PublishAt: at}); got.State != publish.Scheduled {
			t.Fatalf("state %s", got.State)
		}
		list := func() int {
			p, err := w.db.Public().List(ctx, publish.ListQuery{UnitID: w.unit.ID})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		if w.visible(t, it.ID) || len(w.found(t, "标记词甲")) != 0 || list() != 0 {
			t.Fatal("scheduled item public before its time")
		}
		w.clock.add(2*time.Hour + time.Second)
		if !w.visible(t, it.ID) || len(w.found(t, "标记词甲")) != 1 || list() != 1 {
			t.Fatal("scheduled item not public after its time")
		}
		got, _ := w.db.PublishItem(ctx, it.ID)
		if got.Effective(w.db.Now()) != publish.Published {
			t.Fatalf("effective state %s", got.Effective(w.db.Now()))
		}
		// A schedule cancelled in time never counts as a publication.
		it2 := w.create(t, w.content("取消的定时发布", "定时标记词乙"))
		w.act(t, w.editor, it2.ID, store.Act{Kind: publish.EvSubmit})
		w.act(t, w.reviewer, it2.ID, store.Act{Kind: publish.EvApprove})
		w.act(t, w.editor, it2.ID, store.Act{Kind: publish.EvPublish, PublishAt: w.clock.t.Add(time.Hour)})
		if got := w.act(t, w.reviewer, it2.ID, store.Act{Kind: publish.EvUnschedule, Reason: "推迟"}); got.State != publish.Approved || got.EverPublished() {
			t.Fatalf("after cancel: %+v", got)
		}
		w.clock.add(2 * time.Hour)
		if w.visible(t, it2.ID) || len(w.found(t, "标记词乙")) != 0 {
			t.Fatal("cancelled schedule went public")
		}
		evs, _ := w.db.PublishEvents(ctx, it2.ID)
		if pubs := publish.Publications(it2.ID, evs, w.db.Now()); len(pubs) != 0 {
			t.Fatalf("cancelled schedule counted: %+v", pubs)
		}
	})
}

func TestPublishAttachments(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		docx := publish.MakeDocx([]string{"附件：进口货物检验检疫申报指南", "适用于跨境电商零售进口"})
		ups := []publish.Upload{
			{Name: "指南.docx", Type: "application/zip", Data: docx, Text: publish.ExtractText("指南.docx", docx)},
			{Name: "说明.txt", Type: "text/plain; charset=utf-8", Data: []byte("跨境电商附件说明"), Text: "跨境电商附件说明"},
		}
		it := w.create(t, w.content("附件测试", "正文没有那个词"), ups...)
		// The same bytes attached to a second item are stored once.
		it2 := w.create(t, w.content("附件测试二", "正文"), ups[1])
		var blobs int
		w.db.SQL().QueryRow("SELECT count(*) FROM publish_blobs").Scan(&blobs)
		if blobs != 2 {
			t.Fatalf("%d blobs, want 2", blobs)
		}
		atts, _ := w.db.PublishAttachments(ctx, it.ID)
		if len(atts) != 2 {
			t.Fatalf("attachments %d", len(atts))
		}
		if _, _, err := w.db.Public().Attachment(ctx, w.unit.ID, atts[0].ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("attachment of a draft downloadable: %v", err)
		}
		w.publishNow(t, it.ID)
		a, data, err := w.db.Public().Attachment(ctx, w.unit.ID, atts[0].ID)
		if err != nil || a.Name != "指南.docx" || len(data) != len(docx) {
			t.Fatalf("public attachment: %+v %d %v", a, len(data), err)
		}
		if got := w.found(t, "跨境电商零售"); !reflect.DeepEqual(got, []int64{it.ID}) {
			t.Fatalf("attachment text not searchable: %v", got)
		}
		// Another item's attachment id cannot be kept in a new version.
		atts2, _ := w.db.PublishAttachments(ctx, it2.ID)
		c := w.content("附件测试二", "正文")
		c.Attachments = []int64{atts[0].ID, atts2[0].ID}
		got, err := w.db.SaveItem(ctx, admin, w.editor, it2.ID, 0, store.ItemInput{Content: c})
		if err != nil || !reflect.DeepEqual(got.Content.Attachments, []int64{atts2[0].ID}) {
			t.Fatalf("kept attachments %v (%v)", got.Content.Attachments, err)
		}
	})
}

// Both engines find the same items, and exactly those that contain the
// query's terms (search.Query.Contains is the reference).
func TestSearchSameOnBothEngines(t *testing.T) {
	titles := []string{"福州海关关于公布行政许可事项的公告", "海关总署关税征管司通知", "进口关税配额管理", "海关 税务 联合检查", "政府信息公开指南",
		"RCEP关税政策服务平台上线", "原产地证书签证指引", "马尾海关查验科“双随机、一公开”抽查结果", "关于2024年公务员考录的通知", "福州长乐机场海关旅检现场"}
	bodies := []string{"依据《中华人民共和国海关法》第十条", "关税税率调整", "信息公开申请", "跨境电商零售进口", "12360热线服务", "第1号", "报关单证"}
	queries := []string{"海关", "关税", "公开", "海", "关", "rcep", "海关 公开", "关税政策", "税务", "12360", "第1号", "双随机", "海关总署关税", "不存在的词", "长乐机场海关"}
	results := map[string]map[string][]int64{}
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			w := newPubWorld(t, d)
			texts := map[int64]string{}
			for i := 0; i < 40; i++ {
				title := titles[i%len(titles)] + fmt.Sprintf("（%d）", i)
				body := bodies[i%len(bodies)] + "。" + bodies[(i*3+1)%len(bodies)]
				it := w.create(t, w.content(title, body))
				if i%5 != 4 { // every fifth stays a draft
					w.publishNow(t, it.ID)
					texts[it.ID] = title + "\n" + body
				}
			}
			results[string(d)] = map[string][]int64{}
			for _, q := range queries {
				got := w.found(t, q)
				var want []int64
				for id, text := range texts {
					if search.Parse(q).Contains(text) {
						want = append(want, id)
					}
				}
				sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%q: found %v, want %v", q, got, want)
				}
				results[string(d)][q] = got
			}
			// Ranking: a title hit comes before body hits.
			res, err := w.db.Public().Search(ctx, publish.SearchQuery{ListQuery: publish.ListQuery{UnitID: w.unit.ID}, Query: search.Parse("关税")})
			if err != nil || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Title, "<mark>关税</mark>") {
				t.Errorf("ranking: first hit %+v (%v)", res.Hits, err)
			}
		})
	}
	if len(results) == 2 && !reflect.DeepEqual(results["sqlite"], results["postgres"]) {
		t.Error("the two engines found different items")
	}
}

func asForm(err error, fe **errs.FormError) bool {
	e, ok := err.(*errs.FormError)
	if ok {
		*fe = e
	}
	return ok
}

func TestRegistersAndStats(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		d := func(s string) calendar.Date { x, _ := calendar.ParseDate(s); return x }
		ds := []publish.Decision{
			{Kind: publish.Licensing, DocNo: "许1", Subject: "甲公司", SubjectType: publish.SubjectOrg, Matter: "备案", DecidedOn: d("2024-01-05"), Publicize: true},
			{Kind: publish.Licensing, DocNo: "许2", Subject: "乙公司", SubjectType: publish.SubjectOrg, Matter: "备案", DecidedOn: d("2023-12-29")},
			{Kind: publish.Penalty, DocNo: "罚1", Subject: "王五", SubjectType: publish.SubjectPerson, Matter: "走私", DecidedOn: d("2024-06-01"), Publicize: true},
		}
		if err := w.db.AddDecisions(ctx, admin, w.unit.ID, ds, "测试"); err != nil {
			t.Fatal(err)
		}
		if err := w.db.AddDecisions(ctx, admin, w.unit.ID, ds[:1], "重复"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate decision: %v", err)
		}
		for _, fen := range []int64{125000, 256250} {
			if err := w.db.AddFee(ctx, admin, &publish.Fee{UnitID: w.unit.ID, CollectedOn: d("2024-04-01"), Item: "信息处理费", Basis: "国办函〔2020〕109号", AmountFen: fen}); err != nil {
				t.Fatal(err)
			}
		}
		// A normative document, published, then abolished.
		c := w.content("福州海关某管理办法", "正文")
		c.DocKind, c.DocNo, c.CategoryID = publish.Normative, "福州关规〔2024〕1号", w.cats["art20-1"].ID
		it := w.create(t, c)
		if _, err := w.db.ActOnItem(ctx, admin, w.editor, it.ID, 0, store.Act{Kind: publish.EvValidity, Validity: publish.Abolished, ValidityOn: d("2024-05-01")}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("validity of an unpublished document: %v", err)
		}
		w.publishNow(t, it.ID)
		t2, err := w.db.Table2(ctx, w.unit.ID, 2024)
		if err != nil {
			t.Fatal(err)
		}
		if t2.LicensingDecisions.Int() != 1 || t2.PenaltyDecisions.Int() != 1 || *t2.FeesWanYuan != "0.38125" || t2.NormativeDocuments.Issued.Int() != 1 || t2.NormativeDocuments.InForce.Int() != 1 {
			t.Fatalf("table 2: %+v", t2)
		}
		w.act(t, w.editor, it.ID, store.Act{Kind: publish.EvValidity, Validity: publish.Abolished, ValidityOn: d("2024-05-01")})
		t2, _ = w.db.Table2(ctx, w.unit.ID, 2024)
		if t2.NormativeDocuments.Abolished.Int() != 1 || t2.NormativeDocuments.InForce.Int() != 0 {
			t.Fatalf("after abolition: %+v", t2.NormativeDocuments)
		}
		if pi, _ := w.db.Public().Item(ctx, w.unit.ID, it.ID); pi.Validity != publish.Abolished {
			t.Fatalf("portal shows validity %q", pi.Validity)
		}
		page, err := w.db.Public().Decisions(ctx, publish.DecisionQuery{UnitID: w.unit.ID})
		if err != nil || page.Total != 2 {
			t.Fatalf("双公示: %d %v", page.Total, err)
		}
		st, err := w.db.PublishStats(ctx, w.unit.ID, 2024)
		if err != nil || st.New != 1 {
			t.Fatalf("stats: %+v %v", st, err)
		}
	})
}

// An imported history leaves the same public rows as the same history
// lived through the workflow.
func TestImportMatchesLive(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		it := w.create(t, w.content("导入比对", "第一版"), publish.Upload{Name: "a.txt", Type: "text/plain; charset=utf-8", Data: []byte("附件甲"), Text: "附件甲"})
		w.publishNow(t, it.ID)
		w.clock.add(time.Hour)
		c := w.content("导入比对", "第二版")
		c.Attachments = it.Content.Attachments
		if _, err := w.db.SaveItem(ctx, admin, w.editor, it.ID, 0, store.ItemInput{Content: c}); err != nil {
			t.Fatal(err)
		}
		w.publishNow(t, it.ID)
		evs, _ := w.db.PublishEvents(ctx, it.ID)
		full := withContents(t, w, it.ID, evs)
		full[0].Content.Attachments = nil
		for i := range full {
			if full[i].Content != nil && i > 0 {
				full[i].Content.Attachments = nil
			}
		}
		ids, err := w.db.ImportItems(ctx, admin, w.unit.ID, []publish.ImportItem{{Events: full, Uploads: []publish.Upload{{Name: "a.txt", Type: "text/plain; charset=utf-8", Data: []byte("附件甲"), Text: "附件甲"}}}})
		if err != nil {
			t.Fatal(err)
		}
		live, _ := w.db.Public().Item(ctx, w.unit.ID, it.ID)
		imp, err := w.db.Public().Item(ctx, w.unit.ID, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if live.Version != imp.Version || live.Body != imp.Body || live.Revised != imp.Revised || !live.PublishedAt.Equal(imp.PublishedAt) ||
			!live.UpdatedAt.Equal(imp.UpdatedAt) || len(live.Attachments) != len(imp.Attachments) || live.Text != imp.Text {
			t.Fatalf("live %+v\nimported %+v", live, imp)
		}
		if got := w.found(t, "附件甲"); len(got) != 2 {
			t.Fatalf("search after import: %v", got)
		}
		if n, err := w.db.Reindex(ctx); err != nil || n != 2 {
			t.Fatalf("reindex: %d %v", n, err)
		}
		if got := w.found(t, "附件甲"); len(got) != 2 {
			t.Fatalf("search after reindex: %v", got)
		}
		// A history that breaks a rule is refused whole.
		bad := []publish.Event{full[0], {Kind: publish.EvPublish, At: full[0].At, PublishAt: full[0].At, Version: 1}}
		if _, err := w.db.ImportItems(ctx, admin, w.unit.ID, []publish.ImportItem{{Events: bad}}); err == nil || !strings.Contains(errs.MessageOf(err), "不能发布") {
			t.Fatalf("illegal history: %v", err)
		}
	})
}

func TestSearchFilters(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		a := w.create(t, w.content("海关公告甲", "正文"))
		w.publishNow(t, a.ID)
		c := w.content("海关通知乙", "正文")
		c.CategoryID, c.DepartmentID = w.cats["tongzhi"].ID, w.office.ID
		b, err := w.db.CreateItem(ctx, admin, w.editor, w.unit.ID, store.ItemInput{Content: c})
		if err != nil {
			t.Fatal(err)
		}
		w.act(t, w.editor, b.ID, store.Act{Kind: publish.EvSubmit})
		w.act(t, w.rOffice, b.ID, store.Act{Kind: publish.EvApprove})
		w.act(t, w.editor, b.ID, store.Act{Kind: publish.EvPublish})
		find := func(lq publish.ListQuery) []int64 {
			lq.UnitID = w.unit.ID
			res, err := w.db.Public().Search(ctx, publish.SearchQuery{ListQuery: lq, Query: search.Parse("海关")})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range res.Hits {
				ids = append(ids, h.Item.ID)
			}
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
			return ids
		}
		if got := find(publish.ListQuery{}); !reflect.DeepEqual(got, []int64{a.ID, b.ID}) {
			t.Errorf("no filter: %v", got)
		}
		if got := find(publish.ListQuery{CategoryIDs: []int64{w.cats["tongzhi"].ID}}); !reflect.DeepEqual(got, []int64{b.ID}) {
			t.Errorf("category: %v", got)
		}
		if got := find(publish.ListQuery{DepartmentID: w.ops.ID}); !reflect.DeepEqual(got, []int64{a.ID}) {
			t.Errorf("department: %v", got)
		}
		if got := find(publish.ListQuery{Year: 2024}); len(got) != 2 {
			t.Errorf("year 2024: %v", got)
		}
		if got := find(publish.ListQuery{Year: 2023}); len(got) != 0 {
			t.Errorf("year 2023: %v", got)
		}
	})
}

// Past the cap, a search counts and ranks the most recently published
// matches only: the same ones on both engines, title hits first, pages
// taken from that ranking.
func TestSearchCap(t *testing.T) {
	defer store.SetSearchCap(5)()
	eachPub(t, func(t *testing.T, w *pubWorld) {
		var ids []int64
		for i := 0; i < 8; i++ {
			title, body := fmt.Sprintf("通知（%d）", i), "海关监管"
			if i%3 == 0 {
				title, body = fmt.Sprintf("海关通知（%d）", i), "正文"
			}
			it := w.create(t, w.content(title, body))
			w.publishNow(t, it.ID)
			w.clock.add(time.Minute)
			ids = append(ids, it.ID)
		}
		res, err := w.db.Public().Search(ctx, publish.SearchQuery{ListQuery: publish.ListQuery{UnitID: w.unit.ID, PerPage: 3}, Query: search.Parse("海关")})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 5 || !res.More || res.Pages() != 2 {
			t.Fatalf("total %d more %v pages %d", res.Total, res.More, res.Pages())
		}
		// The five newest are items 3…7; of them 3 and 6 have 海关 in the
		// title and come first, the newer first on a tie.
		var got []int64
		for _, h := range res.Hits {
			got = append(got, h.Item.ID)
		}
		if want := []int64{ids[6], ids[3]}; !reflect.DeepEqual(got[:2], want) {
			t.Fatalf("first hits %v, want %v then body hits", got, want)
		}
		if !strings.Contains(res.Hits[0].Title, "<mark>海关</mark>") || !strings.Contains(res.Hits[2].Snippet, "<mark>海关</mark>") {
			t.Errorf("highlighting: %q / %q", res.Hits[0].Title, res.Hits[2].Snippet)
		}
		res2, err := w.db.Public().Search(ctx, publish.SearchQuery{ListQuery: publish.ListQuery{UnitID: w.unit.ID, PerPage: 3, Page: 2}, Query: search.Parse("海关")})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res2.Hits {
			got = append(got, h.Item.ID)
		}
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		if !reflect.DeepEqual(got, ids[3:]) {
			t.Fatalf("two pages hold %v, want %v", got, ids[3:])
		}
		// Below the cap every match counts, old ones too.
		if got := w.found(t, "正文"); !reflect.DeepEqual(got, []int64{ids[0], ids[3], ids[6]}) {
			t.Fatalf("正文: %v", got)
		}
	})
}
