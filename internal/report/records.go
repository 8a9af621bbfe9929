package report

import (
	"gongkai/internal/annual"
	"gongkai/internal/requests"
)

// RecordKind names the records a figure counts.
type RecordKind string

// The kinds of record a figure can lead to.
const (
	RecApplications RecordKind = "applications" // 依申请公开 applications
	RecAppeals      RecordKind = "appeals"      // 行政复议、行政诉讼
	RecFees         RecordKind = "fees"         // applications whose 信息处理费 was paid in the year
	RecItems        RecordKind = "items"        // 主动公开 publications
	RecDecisions    RecordKind = "decisions"    // 第二十条 licensing, penalty, enforcement decisions
	RecDocuments    RecordKind = "documents"    // rules and normative documents
	RecAdminFees    RecordKind = "admin_fees"   // 行政事业性收费 collected
	RecCalls        RecordKind = "calls"        // 12360 call-detail records
	RecHotline      RecordKind = "hotline"      // 12360 hotline records (工单) and their ratings
	RecEnquiries    RecordKind = "enquiries"    // web consultations and messages
	RecVisits       RecordKind = "visits"       // website visits, by day
	RecPosts        RecordKind = "posts"        // new-media posts and live streams
	RecFollowers    RecordKind = "followers"    // follower counts recorded
	RecOutreach     RecordKind = "outreach"     // press conferences and outreach events
	RecSurveys      RecordKind = "surveys"      // questionnaires and their answers
	RecComplaints   RecordKind = "complaints"   // complaints about disclosure work
	RecProblems     RecordKind = "problems"     // the rectification register
)

// RecordQuery selects the records behind a figure or a table cell: the
// drill-down of the preview. The store lists exactly the records the figure
// counts, so their number equals the figure (a test holds every count of
// the catalogue to it).
type RecordQuery struct {
	Kind    RecordKind
	UnitIDs []int64
	Year    int

	// Applications: a bucket of table 三 (and an outcome, a sub-kind, an
	// applicant column; ColTotal or -1 for all columns), or a subject.
	Bucket   requests.Bucket
	Outcome  annual.RowKey
	Outcomes []annual.RowKey // any of these outcomes (a group of rows)
	SubKind  string
	// NotSubKind excludes a sub-kind (answered = concluded but not withdrawn).
	NotSubKind string
	Column     int
	Subject    string
	// Appeals: a group of table 四 ("" for all) and a cell ("" for total).
	AppealKind string
	AppealCell string

	// Items: a category's slug ("" for all) and whether updates (更新) are
	// listed instead of first publications; Previous asks for the year before.
	Category string
	Revision bool

	// Decisions: the kind. Documents: the kind and the count
	// (issued, abolished, in_force).
	DecisionKind string
	DocKind      string
	DocCount     string

	// Calls: answered only. Hotline: rated only.
	Answered bool
	Rated    bool
	// Enquiries: consult or message; handled (a reply approved in the year)
	// or received.
	EnquiryKind string
	Handled     bool
	// Posts: the platform ("" for all), post or live, the column (专栏).
	Platform    string
	PostKind    string
	MediaColumn string
	// Outreach: press or outreach.
	OutreachKind string
	// Problems: the year they were stated in.
	ProblemYear int
}

// RecordRow is one record listed behind a figure.
type RecordRow struct {
	ID     int64
	Day    string // the day that puts it in the year (YYYY-MM-DD)
	Title  string
	Detail string
	Href   string // its own page in the back office, "" when it has none
}

// RecordPage is a page of records behind a figure.
type RecordPage struct {
	Rows  []RecordRow
	Total int
	Page  int
	Per   int
}

// Pages is the number of pages.
func (p RecordPage) Pages() int {
	if p.Per <= 0 || p.Total == 0 {
		return 1
	}
	return (p.Total + p.Per - 1) / p.Per
}
