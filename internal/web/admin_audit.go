package web

import (
	"net/http"
	"sort"
	"strconv"

	"gongkai/internal/org"
	"gongkai/internal/store"
)

// auditList shows the audit log, newest first, with a chain verification.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := store.AuditFilter{ObjectType: q.Get("type"), ObjectID: q.Get("id"), Limit: 100}
	f.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	// An administrator of a unit sees its entries; an administrator at the
	// top of the hierarchy sees all.
	scope, units, err := s.adminScope(r)
	if err != nil {
		return err
	}
	all := true
	for _, u := range units {
		all = all && scope[u.ID]
	}
	if !all {
		f.UnitID = userOf(r).UnitID
	}
	entries, err := s.DB.AuditEntries(ctx, f)
	if err != nil {
		return err
	}
	p := s.page(w, r, "审计日志")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"审计日志", ""}}
	users, err := s.DB.Users(ctx)
	if err != nil {
		return err
	}
	people := map[int64]string{}
	for _, u := range users {
		people[u.ID] = u.DisplayName
	}
	var types []Choice
	for k, l := range auditObjects {
		types = append(types, Choice{k, l})
	}
	sort.Slice(types, func(i, j int) bool { return types[i].Key < types[j].Key })
	data := map[string]any{"Entries": entries, "Units": unitNames(units), "People": people, "Types": types}
	if len(entries) == f.Limit {
		data["More"] = entries[len(entries)-1].Seq
	}
	if q.Get("verify") == "1" {
		n, err := s.DB.VerifyAudit(ctx)
		data["Verified"] = n
		if err != nil {
			data["VerifyError"] = err.Error()
		}
	}
	p.Values = map[string]string{"type": f.ObjectType, "id": f.ObjectID}
	p.Data = data
	return s.render(w, "admin/audit", p)
}

func unitNames(units []org.Unit) map[int64]string {
	m := map[int64]string{}
	for _, u := range units {
		m[u.ID] = u.Name
	}
	return m
}
