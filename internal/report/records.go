package report

import (
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/publish"
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
	// NotSubKind excludes a sub-kind (answered = concluded but not withdrawn);
	// NoSubKind keeps only applications without one.
	NotSubKind string
	NoSubKind  bool
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
	// Sum names what a figure adds up over its records instead of counting
	// them: "hits" (a day's visits), "followers", "enterprises" (reached by
	// an event), "answers" (a survey's responses in the year).
	Sum string
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
	Total int // records
	// Sum is the figure's total over the records when the query sums
	// (RecordQuery.Sum), else Total.
	Sum  int64
	Page int
	Per  int
}

// Pages is the number of pages.
func (p RecordPage) Pages() int {
	if p.Per <= 0 || p.Total == 0 {
		return 1
	}
	return (p.Total + p.Per - 1) / p.Per
}

// CellQuery is the query behind a number cell of tables 二, 三 and 四,
// named by its path ("table3.rows.disclosed[0]"); ok is false for a path
// that names no cell. t3 is the table the path refers to (for its extra
// rows).
func CellQuery(where string, t3 *annual.Table3, unitIDs []int64, year int) (q RecordQuery, ok bool) {
	q = RecordQuery{UnitIDs: unitIDs, Year: year, Column: -1}
	switch {
	case strings.HasPrefix(where, "table3."):
		key, col, ok := cellPath(where)
		if !ok || col < 0 || col >= annual.NumColumns {
			return q, false
		}
		q.Kind = RecApplications
		if col < int(annual.ColTotal) {
			q.Column = col
		}
		if strings.HasPrefix(key, "extra_rows[") {
			i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(key, "extra_rows["), "].values"))
			if err != nil || t3 == nil || i < 0 || i >= len(t3.ExtraRows) {
				return q, false
			}
			sub, known := requests.ExtraRowSubKind(t3.ExtraRows[i].Label)
			if !known {
				return q, false
			}
			q.Bucket, q.Outcome = requests.BucketConcluded, t3.ExtraRows[i].CountsAs
			if sub == "" {
				q.NoSubKind = true
			} else {
				q.SubKind = sub
			}
			return q, true
		}
		switch annual.RowKey(strings.TrimPrefix(key, "rows.")) {
		case annual.RowReceived:
			q.Bucket = requests.BucketReceived
		case annual.RowCarriedOver:
			q.Bucket = requests.BucketCarriedOver
		case annual.RowCarriedForward:
			q.Bucket = requests.BucketCarriedForward
		case annual.RowTotalHandled:
			q.Bucket = requests.BucketConcluded
		default:
			spec, known := annual.Spec(annual.RowKey(strings.TrimPrefix(key, "rows.")))
			if !known || !spec.Outcome {
				return q, false
			}
			q.Bucket, q.Outcome = requests.BucketConcluded, spec.Key
		}
		return q, true
	case strings.HasPrefix(where, "table2."):
		parts := strings.Split(strings.TrimPrefix(where, "table2."), ".")
		switch {
		case len(parts) == 2 && (parts[0] == "regulations" || parts[0] == "normative_documents"):
			q.Kind, q.DocKind, q.DocCount = RecDocuments, string(publish.Rule), parts[1]
			if parts[0] == "normative_documents" {
				q.DocKind = string(publish.Normative)
			}
			return q, parts[1] == "issued" || parts[1] == "abolished" || parts[1] == "in_force"
		case len(parts) == 1:
			switch parts[0] {
			case "licensing_decisions":
				q.Kind, q.DecisionKind = RecDecisions, string(publish.Licensing)
			case "penalty_decisions":
				q.Kind, q.DecisionKind = RecDecisions, string(publish.Penalty)
			case "enforcement_decisions":
				q.Kind, q.DecisionKind = RecDecisions, string(publish.Enforcement)
			case "fees_wan_yuan":
				q.Kind = RecAdminFees
			default:
				return q, false
			}
			return q, true
		}
	case strings.HasPrefix(where, "table4."):
		parts := strings.Split(strings.TrimPrefix(where, "table4."), ".")
		if len(parts) != 2 {
			return q, false
		}
		known := false
		for _, g := range annual.Table4Groups {
			known = known || g.Key == parts[0]
		}
		cell := false
		for _, k := range annual.OutcomeKeys {
			cell = cell || k == parts[1]
		}
		q.Kind, q.AppealKind, q.AppealCell = RecAppeals, parts[0], parts[1]
		return q, known && cell
	}
	return q, false
}

// cellPath splits "table3.rows.disclosed[3]" into "rows.disclosed" and 3.
func cellPath(where string) (key string, col int, ok bool) {
	rest := strings.TrimPrefix(where, "table3.")
	i := strings.LastIndexByte(rest, '[')
	if i < 0 || !strings.HasSuffix(rest, "]") {
		return "", 0, false
	}
	n, err := strconv.Atoi(rest[i+1 : len(rest)-1])
	if err != nil {
		return "", 0, false
	}
	return rest[:i], n, true
}
