package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/errs"
)

// Version is a published version of a report: the document as it was built
// when published, its exports and their SHA-256. It never changes; a
// correction is a later version with its reason.
type Version struct {
	ID       int64
	ReportID int64
	UnitID   int64
	Year     int
	Scope    annual.Scope
	// Number is 1 for the first publication, 2 for the first correction…
	Number int
	// Reason is a correction's stated reason (更正说明), "" for version 1.
	Reason string
	// Override is the office head's reason for publishing despite errors.
	Override string
	Errors   int
	Warnings int
	// Document is the document's JSON (gongkai.annual-report/v1 with the
	// sections and statistics), and SHA256 its hash.
	Document []byte
	SHA256   string
	Files    []File

	PublishedByID int64
	PublishedBy   string
	PublishedAt   time.Time
}

// Formats are the exports kept with each version, in the order pages list
// them.
var Formats = []string{"html", "pdf", "docx", "xlsx", "json"}

// FormatLabel names an export for people.
func FormatLabel(f string) string {
	switch f {
	case "html":
		return "网页（HTML）"
	case "pdf":
		return "PDF"
	case "docx":
		return "Word（DOCX）"
	case "xlsx":
		return "表格（XLSX）"
	case "json":
		return "开放数据（JSON）"
	}
	return f
}

// File is one export of a version.
type File struct {
	Format  string
	SHA256  string
	Size    int64
	Content []byte // nil in listings
}

// Store keeps reports: the sources of a build, the record of drafts, and
// the published versions. Every write is audited in its transaction; a
// publication is authorized there (AuthorizePublish), against the version
// number the transaction sees.
type Store interface {
	Sources
	// NoteDraft records that a draft was built, with its errors and
	// warnings (the dashboard's 草稿 / 有错误).
	NoteDraft(ctx context.Context, actor audit.Actor, unitID int64, year int, scope annual.Scope, errors, warnings int) error
	// PublishReport stores v as the report's next version (v.Number and
	// v.ID are set) and makes it current.
	PublishReport(ctx context.Context, actor audit.Actor, who Actor, v *Version) error
	ReportRecord(ctx context.Context, unitID int64, year int, scope annual.Scope) (Record, bool, error)
	ReportRecords(ctx context.Context, unitIDs []int64, year int) ([]Record, error)
	ReportVersions(ctx context.Context, unitID int64, year int, scope annual.Scope) ([]Version, error)
	ReportVersion(ctx context.Context, id int64) (Version, error)
	ReportFile(ctx context.Context, versionID int64, format string) (File, error)
	// PublishedReports lists the current versions of the units' reports,
	// newest year first.
	PublishedReports(ctx context.Context, unitIDs []int64) ([]Version, error)
}

// Publication asks for a report to be published.
type Publication struct {
	Request
	// Reason is a correction's stated reason; Override the office head's
	// reason for publishing despite errors.
	Reason, Override string
	// Expect, when set, is the SHA-256 of the draft's JSON the publisher
	// looked at: if the records changed since, the publication is refused
	// rather than publishing something else.
	Expect string
}

// DraftHash is the SHA-256 of a draft's JSON document, what a publisher
// confirms having looked at.
func DraftHash(d *Draft) (string, error) {
	b, err := json.Marshal(d.Doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Publish builds the report from the records as they are now, checks it,
// renders every export and stores them as the report's next version, frozen.
// Who may, and whether errors stop it, is decided in the store's
// transaction (AuthorizePublish).
func Publish(ctx context.Context, st Store, actor audit.Actor, who Actor, p Publication, opts RenderOptions) (*Version, *Draft, error) {
	if err := Authorize(who, ActPublish); err != nil {
		return nil, nil, err
	}
	d, err := Build(ctx, st, p.Request)
	if err != nil {
		return nil, nil, err
	}
	if p.Expect != "" {
		h, err := DraftHash(d)
		if err != nil {
			return nil, d, err
		}
		if h != p.Expect {
			return nil, d, errs.FieldError("draft", "您查看草稿之后业务记录发生了变化，草稿已按最新记录重新生成：请核对后再发布")
		}
	}
	e, w := d.Counts()
	v := &Version{UnitID: p.UnitID, Year: p.Year, Scope: p.Scope, Errors: e, Warnings: w,
		Reason: strings.TrimSpace(p.Reason), Override: strings.TrimSpace(p.Override)}
	if opts.Date.IsZero() {
		opts.Date = p.Now
	}
	if v.Document, err = Render(d.Doc, "json", opts); err != nil {
		return nil, d, err
	}
	for _, f := range Formats {
		data, err := Render(d.Doc, f, opts)
		if err != nil {
			return nil, d, err
		}
		v.Files = append(v.Files, File{Format: f, Content: data})
	}
	if err := st.PublishReport(ctx, actor, who, v); err != nil {
		return nil, d, err
	}
	return v, d, nil
}

// Service is what the report's pages need of the store: the sources and
// records of reports, the records behind a figure, the unit's settings, the
// platform's settings and the clock. The web layer holds it, not the
// concrete store.
type Service interface {
	Store
	Settings
	FigureRecords(ctx context.Context, q RecordQuery, page, per int) (RecordPage, error)
	SetUnitSettings(ctx context.Context, actor audit.Actor, unitID int64, values map[string]string) error
	Now() time.Time
}
