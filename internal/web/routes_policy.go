package web

import (
	"net/http"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// routeActions maps every back-office route to the action of the access
// policy (org.Policy) that opens it. s.staff refuses a route to a user who
// may take its action in no unit; what the user may do in a particular
// unit is decided by the handler, and for every write by the store, in its
// transaction. A route missing here is refused to everyone (the route
// test names it): a new page declares who opens it here, and its menu
// entry in adminMenu.
var routeActions = map[string]org.Action{
	"GET /admin/{$}":     org.ActDashboard,
	"POST /admin/logout": org.ActDashboard,

	"GET /admin/users":                   org.ActAdminUsers,
	"GET /admin/users/new":               org.ActAdminUsers,
	"POST /admin/users/new":              org.ActAdminUsers,
	"GET /admin/users/{id}":              org.ActAdminUsers,
	"POST /admin/users/{id}/roles":       org.ActAdminUsers,
	"POST /admin/users/{id}/disable":     org.ActAdminUsers,
	"POST /admin/users/{id}/password":    org.ActAdminUsers,
	"GET /admin/units":                   org.ActAdminUnits,
	"POST /admin/units":                  org.ActAdminUnits,
	"GET /admin/units/{id}":              org.ActAdminUnits,
	"POST /admin/units/{id}/departments": org.ActAdminUnits,
	"GET /admin/audit":                   org.ActAdminAudit,
	"GET /admin/calendar":                org.ActCalendarView,
	"POST /admin/calendar/import":        org.ActCalendarImport,

	"GET /admin/annual":                               org.ActAnnualBuild,
	"GET /admin/annual/{unit}/{year}":                 org.ActAnnualBuild,
	"GET /admin/annual/{unit}/{year}/draft/{file}":    org.ActAnnualBuild,
	"GET /admin/annual/{unit}/{year}/records":         org.ActAnnualBuild,
	"POST /admin/annual/{unit}/{year}/publish":        org.ActAnnualPublish, // report.AuthorizePublish decides, with the override
	"GET /admin/annual/{unit}/{year}/versions/{file}": org.ActAnnualBuild,
	"GET /admin/annual/{unit}/template":               org.ActAnnualBuild, // read-only without annual.template
	"POST /admin/annual/{unit}/template":              org.ActAnnualTemplate,
	"GET /admin/annual/{unit}/settings":               org.ActAnnualBuild,
	"POST /admin/annual/{unit}/settings":              org.ActAnnualTemplate,

	"GET /admin/rectify":         org.ActStaff, // rectify.CanView: the managers, and each problem's owner department
	"GET /admin/rectify/new":     org.ActAnnualRectify,
	"POST /admin/rectify/new":    org.ActAnnualRectify,
	"GET /admin/rectify/import":  org.ActAnnualRectify,
	"POST /admin/rectify/import": org.ActAnnualRectify,
	"GET /admin/rectify/{id}":    org.ActStaff,
	"POST /admin/rectify/{id}":   org.ActStaff, // rectify.Authorize decides each step

	"GET /admin/inspect":                        org.ActInspectRun,
	"POST /admin/inspect/run":                   org.ActInspectRun,
	"GET /admin/inspect/runs/{id}":              org.ActInspectRun,
	"GET /admin/inspect/findings/{id}":          org.ActInspectRun,
	"POST /admin/inspect/findings/{id}/rectify": org.ActInspectRectify,
	"GET /admin/inspect/settings":               org.ActInspectRun,
	"POST /admin/inspect/settings":              org.ActInspectSettings,
	"GET /admin/inspect/assess":                 org.ActInspectRun,
	"GET /admin/inspect/assess/records":         org.ActInspectRun,
	"GET /admin/inspect/notices":                org.ActStaff,
	"POST /admin/inspect/notices/{id}/read":     org.ActStaff,

	"GET /admin/reports/uploads/{id}":                      org.ActAnnualCheck,
	"POST /admin/reports/uploads/{id}/decide":              org.ActAnnualReview, // annual.Review decides on the unit's roles
	"GET /admin/reports/batches":                           org.ActAnnualCheck,
	"POST /admin/reports/batches":                          org.ActAnnualCheck,
	"GET /admin/reports/batches/{id}":                      org.ActAnnualCheck,
	"GET /admin/reports/batches/{id}/{file}":               org.ActAnnualCheck,
	"GET /admin/reports/batches/{id}/files/{file}":         org.ActAnnualCheck,
	"POST /admin/reports/batches/{id}/files/{file}/decide": org.ActAnnualReview,
	"GET /admin/reports":                                   org.ActAnnualCheck,
	"POST /admin/reports/check":                            org.ActAnnualCheck,
	"POST /admin/reports/import":                           org.ActAnnualCheck,
	"GET /admin/reports/history/{id}":                      org.ActAnnualCheck,

	"GET /admin/desk":                      org.ActDeskView,
	"POST /admin/desk/settings":            org.ActDeskSettings,
	"GET /admin/desk/enquiries":            org.ActDeskQueue,
	"GET /admin/desk/enquiries/{id}":       org.ActDeskQueue,
	"POST /admin/desk/enquiries/{id}":      org.ActDeskQueue,
	"GET /admin/desk/calls":                org.ActDeskWork,
	"GET /admin/desk/calls/new":            org.ActDeskWork,
	"POST /admin/desk/calls/new":           org.ActDeskWork,
	"GET /admin/desk/imports":              org.ActDeskWork,
	"POST /admin/desk/imports":             org.ActDeskWork,
	"GET /admin/desk/imports/upload/{id}":  org.ActDeskWork,
	"POST /admin/desk/imports/upload/{id}": org.ActDeskWork,
	"GET /admin/desk/imports/{id}":         org.ActDeskWork,
	"GET /admin/desk/visits":               org.ActDeskView,
	"GET /admin/desk/media":                org.ActDeskWork,
	"POST /admin/desk/media/{what}":        org.ActDeskWork,
	"GET /admin/desk/outreach":             org.ActDeskWork,
	"POST /admin/desk/outreach":            org.ActDeskWork,
	"GET /admin/desk/surveys":              org.ActDeskWork,
	"POST /admin/desk/surveys":             org.ActDeskWork,
	"GET /admin/desk/surveys/{id}":         org.ActDeskWork,
	"POST /admin/desk/surveys/{id}/{what}": org.ActDeskWork,
	"GET /admin/desk/complaints":           org.ActDeskWork,
	"POST /admin/desk/complaints":          org.ActDeskWork,
	"POST /admin/desk/complaints/{id}":     org.ActDeskWork,

	"GET /admin/publish":                         org.ActPublishView,
	"GET /admin/publish/items":                   org.ActPublishView,
	"GET /admin/publish/new":                     org.ActPublishDraft,
	"POST /admin/publish/new":                    org.ActPublishDraft,
	"GET /admin/publish/items/{id}":              org.ActPublishView,
	"GET /admin/publish/items/{id}/edit":         org.ActPublishDraft,
	"POST /admin/publish/items/{id}/edit":        org.ActPublishDraft,
	"POST /admin/publish/items/{id}/act":         org.ActPublishView, // publish.Authorize decides each step
	"GET /admin/publish/items/{id}/versions/{v}": org.ActPublishView,
	"GET /admin/publish/files/{id}":              org.ActPublishView,
	"GET /admin/publish/catalogue":               org.ActPublishView,
	"POST /admin/publish/catalogue":              org.ActPublishCatalogue,
	"POST /admin/publish/catalogue/default":      org.ActPublishCatalogue,
	"GET /admin/publish/registers":               org.ActPublishView,
	"POST /admin/publish/decisions":              org.ActPublishView,
	"POST /admin/publish/decisions/import":       org.ActPublishView,
	"POST /admin/publish/fees":                   org.ActPublishView,
	"GET /admin/publish/stats":                   org.ActPublishView,

	"GET /admin/rcep":               org.ActRCEPView,
	"POST /admin/rcep/import":       org.ActRCEPImport,
	"POST /admin/rcep/settings":     org.ActRCEPImport,
	"GET /admin/rcep/versions/{id}": org.ActRCEPView,
	"GET /admin/rcep/stats":         org.ActRCEPView,

	"GET /admin/requests":                          org.ActRequestView,
	"GET /admin/requests/new":                      org.ActRequestRegister,
	"POST /admin/requests/new":                     org.ActRequestRegister,
	"GET /admin/requests/stats":                    org.ActRequestStats,
	"GET /admin/requests/{id}":                     org.ActRequestView,
	"POST /admin/requests/{id}/events":             org.ActRequestView, // requests.StepsFor and the store decide each step
	"POST /admin/requests/{id}/appeals":            org.ActRequestHandle,
	"POST /admin/requests/notifications/{id}/read": org.ActRequestView,
	"GET /admin/requests/{id}/letter.docx":         org.ActRequestApplicant,
	"GET /admin/requests/{id}/letter.pdf":          org.ActRequestApplicant,
	"GET /admin/requests/{id}/letters/{lid}":       org.ActRequestApplicant,
	"GET /admin/requests/{id}/attachments/{aid}":   org.ActRequestApplicant,
	"POST /admin/requests/{id}/attachments":        org.ActRequestApplicant,
	"GET /admin/requests/letters":                  org.ActRequestLetters,
	"POST /admin/requests/letters":                 org.ActRequestLettersEdit,
	"GET /admin/requests/office":                   org.ActRequestOffice,
	"POST /admin/requests/office":                  org.ActRequestOffice,
	"GET /admin/requests/subjects":                 org.ActRequestSubjectList,
	"POST /admin/requests/subjects":                org.ActRequestSubjectList,
	// Applications by e-mail: registered by those who register letters;
	// the files, like an application's, only by the unit's handlers.
	"GET /admin/mail":                        org.ActRequestRegister,
	"GET /admin/mail/{id}":                   org.ActRequestRegister,
	"POST /admin/mail/{id}/confirm":          org.ActRequestRegister,
	"POST /admin/mail/{id}/correction":       org.ActRequestRegister,
	"POST /admin/mail/{id}/reject":           org.ActRequestRegister,
	"GET /admin/mail/{id}/attachments/{aid}": org.ActRequestApplicant,
	// 区分处理 (routes_redact.go): the legal reviewer and the office head see
	// the documents, marks and released copies; the unit's handler changes
	// them (the store checks redact.Editable as well).
	"GET /admin/requests/{id}/redact":                           org.ActRequestView,
	"POST /admin/requests/{id}/redact":                          org.ActRequestHandle,
	"POST /admin/requests/{id}/redact/{did}/marks":              org.ActRequestHandle,
	"POST /admin/requests/{id}/redact/{did}/marks/{mid}/cancel": org.ActRequestHandle,
	"POST /admin/requests/{id}/redact/{did}/rules":              org.ActRequestHandle,
	"POST /admin/requests/{id}/redact/{did}/release":            org.ActRequestHandle,
	"GET /admin/requests/proactive":                             org.ActRequestView,  // 第四十四条: descriptions only, no applicant's details
	"POST /admin/requests/proactive":                            org.ActPublishDraft, // a draft item, through publish.Authorize
	"GET /admin/requests/{id}/redact/releases/{rid}":            org.ActRequestView,
	// The public log of answered requests (requests_publog.go): the store
	// checks the unit's handler again for every write.
	"GET /admin/requests/publog":                  org.ActRequestView,
	"POST /admin/requests/publog":                 org.ActRequestHandle,
	"GET /admin/requests/{id}/publog":             org.ActRequestView,
	"POST /admin/requests/{id}/publog":            org.ActRequestHandle,
	"POST /admin/requests/{id}/publog/files":      org.ActRequestHandle,
	"GET /admin/requests/{id}/publog/files/{fid}": org.ActRequestView,
}

// RouteAction is the policy's action for a route pattern ("GET /admin/…").
func RouteAction(pattern string) (org.Action, bool) {
	a, ok := routeActions[pattern]
	return a, ok
}

// mayOpen decides, before its handler runs, whether the user may open the
// route at all: the route's action allowed in some unit.
func mayOpen(r *http.Request, u *org.User) error {
	a, ok := routeActions[r.Pattern]
	if !ok {
		return errs.E(errs.Forbidden, "没有访问该页面的权限。")
	}
	if !u.MayAnywhere(a) {
		return org.Refusal(a)
	}
	return nil
}

// MenuItem is a link of a menu, shown to those the policy lets open it.
type MenuItem struct {
	Label  string
	Href   string
	Action org.Action
}

// adminMenu is the back office's navigation: each entry is shown to those
// whose roles let them open it (its route's action).
var adminMenu = []MenuItem{
	{"工作台", "/admin/", org.ActDashboard},
	{"用户管理", "/admin/users", org.ActAdminUsers},
	{"单位与部门", "/admin/units", org.ActAdminUnits},
	{"审计日志", "/admin/audit", org.ActAdminAudit},
	{"年度报告", "/admin/annual", org.ActAnnualBuild},
	{"年度报告检查", "/admin/reports", org.ActAnnualCheck},
	{"整改台账", "/admin/rectify", org.ActAnnualRectify},
	{"网站检查", "/admin/inspect", org.ActInspectRun},
	{"服务台", "/admin/desk", org.ActDeskView},
	{"主动公开", "/admin/publish", org.ActPublishView},
	{"依申请公开", "/admin/requests", org.ActRequestView},
	{"工作日历", "/admin/calendar", org.ActCalendarView},
	{"享惠智选", "/admin/rcep", org.ActRCEPView},
}

// Menu is the navigation the page's user may open.
func (p *Page) Menu() []MenuItem {
	if p.User == nil {
		return nil
	}
	var out []MenuItem
	for _, m := range adminMenu {
		if p.User.MayAnywhere(m.Action) {
			out = append(out, m)
		}
	}
	// A department's member reaches the problems given to the department.
	if !p.User.MayAnywhere(org.ActAnnualRectify) && p.User.DepartmentID != 0 && !p.User.Disabled {
		for i, m := range out {
			if m.Href == "/admin/" {
				out = append(out[:i+1], append([]MenuItem{{"整改台账", "/admin/rectify", org.ActStaff}}, out[i+1:]...)...)
				break
			}
		}
	}
	// The statistician reaches tables 三 and 四 without the worklist.
	if !p.User.MayAnywhere(org.ActRequestView) && p.User.MayAnywhere(org.ActRequestStats) {
		out = append(out, MenuItem{"依申请公开统计", "/admin/requests/stats", org.ActRequestStats})
	}
	return out
}
