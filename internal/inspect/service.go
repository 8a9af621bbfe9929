package inspect

import (
	"context"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/jobs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/rectify"
)

// FindingRecord is a finding as it is kept: the defect with when it was
// first and last seen, whether a complete run closed it, and the
// register's problem it was sent to.
type FindingRecord struct {
	Finding
	UnitID    int64
	Target    string
	FirstSeen time.Time
	LastSeen  time.Time
	FirstRun  int64
	LastRun   int64
	Closed    time.Time // zero while open
	ProblemID int64     // the register's problem it was sent to, 0 for none
	Dept      string    // the responsible department's name
}

// FindingFilter selects kept findings.
type FindingFilter struct {
	UnitIDs      []int64
	Open         *bool // nil for both
	DepartmentID int64 // -1 for none
	From, To     time.Time
	Indicator    Indicator
}

// Site is a site a unit is responsible for besides its own portal.
type Site struct {
	ID           int64
	UnitID       int64
	Name, URL    string
	AllowPrivate bool
	Active       bool
	CreatedAt    time.Time
}

// Notice is a finding told to a staff member.
type Notice struct {
	ID, FindingID, RunID, UnitID int64
	Level                        Level
	Message, OnDate              string
	Read                         bool
}

// Service is what the inspection's pages need of the store. The web layer
// holds it, not the concrete store.
type Service interface {
	Units(ctx context.Context) ([]org.Unit, error)
	Departments(ctx context.Context, unitID int64) ([]org.Department, error)
	Now() time.Time
	QueueRun(ctx context.Context, actor audit.Actor, who Actor, r *Run) (bool, error)
	EnqueueJob(ctx context.Context, j jobs.Job) (bool, error)
	InspectRun(ctx context.Context, id int64) (Run, error)
	InspectRuns(ctx context.Context, unitID int64, limit int) ([]Run, error)
	RunFindings(ctx context.Context, runID int64) ([]FindingRecord, error)
	InspectFinding(ctx context.Context, id int64) (FindingRecord, error)
	Findings(ctx context.Context, f FindingFilter) ([]FindingRecord, error)
	FindingHistory(ctx context.Context, findingID int64) ([]Run, []Level, error)
	SendFindingToRegister(ctx context.Context, actor audit.Actor, who Actor, reg rectify.Actor, findingID int64) (rectify.Problem, error)
	InspectStoredSettings(ctx context.Context) (map[string]string, desk.Limit, error)
	SetInspectSettings(ctx context.Context, actor audit.Actor, who Actor, unitID int64, values map[string]string) error
	UnitSettings(ctx context.Context, unitID int64) (map[string]string, error)
	SetInspectUnitSettings(ctx context.Context, actor audit.Actor, who Actor, unitID int64, values map[string]string) error
	PublishCategories(ctx context.Context, unitID int64) ([]publish.Category, error)
	InspectSites(ctx context.Context, unitID int64) ([]Site, error)
	AddInspectSite(ctx context.Context, actor audit.Actor, who Actor, s *Site) error
	SetInspectSiteActive(ctx context.Context, actor audit.Actor, who Actor, id int64, active bool) error
	Accounts(ctx context.Context, unitIDs []int64) ([]desk.Account, error)
	MediaChannels(ctx context.Context, unitID int64) (map[int64][]Channel, error)
	SetMediaChannel(ctx context.Context, actor audit.Actor, who Actor, accountID int64, c Channel) error
	InspectNotices(ctx context.Context, userID int64, limit int) ([]Notice, error)
	MarkInspectNoticeRead(ctx context.Context, userID, id int64) error
	Assess(ctx context.Context, q AssessQuery) (Assessment, error)
	AssessRecords(ctx context.Context, q AssessQuery, m Measure, scope Scope, id int64, month time.Time) ([]AssessRecord, error)
}
