package report

import (
	"context"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
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
