// Package publish is proactive disclosure (主动公开, 条例第十九条至第二十六条):
// the catalogue of a unit's information (主动公开目录), the items published
// under it with their review workflow, the registers of 条例第二十条 behind
// table 二 of the annual report, and the statistics the report states.
//
// An item's history is a list of events (Event) that is only ever appended
// to; its state is derived from them by Apply (workflow.go). Every version
// of its content is kept. What the portal shows is read through one
// interface, Public (public.go), whose implementation can see only what is
// published.
//
// The package imports neither net/http nor a SQL driver.
package publish

import (
	"time"

	"gongkai/internal/calendar"
)

// Attribute is an item's disclosure attribute (公开属性), decided by the
// department that makes it (谁制作、谁认定).
type Attribute string

// The three attributes.
const (
	Active    Attribute = "active"     // 主动公开
	OnRequest Attribute = "on_request" // 依申请公开
	Withheld  Attribute = "withheld"   // 不予公开
)

// Attributes lists the attributes in display order.
var Attributes = []Attribute{Active, OnRequest, Withheld}

// Label is the attribute's Chinese name.
func (a Attribute) Label() string {
	switch a {
	case Active:
		return "主动公开"
	case OnRequest:
		return "依申请公开"
	case Withheld:
		return "不予公开"
	}
	return string(a)
}

// DocKind says whether an item is a document counted in table 二 under
// 条例第二十条第（一）项.
type DocKind string

// Document kinds.
const (
	Ordinary  DocKind = ""          // 一般信息
	Rule      DocKind = "rule"      // 规章
	Normative DocKind = "normative" // 行政规范性文件
)

// Label is the kind's Chinese name.
func (k DocKind) Label() string {
	switch k {
	case Rule:
		return "规章"
	case Normative:
		return "行政规范性文件"
	}
	return "一般信息"
}

// Validity is the standing of a rule or normative document (效力状态).
type Validity string

// Validities.
const (
	Valid     Validity = "valid"     // 有效
	Expired   Validity = "expired"   // 失效 (its term ran out)
	Abolished Validity = "abolished" // 废止
)

// Label is the validity's Chinese name.
func (v Validity) Label() string {
	switch v {
	case Valid:
		return "有效"
	case Expired:
		return "失效"
	case Abolished:
		return "废止"
	}
	return ""
}

// Category is a node of a unit's catalogue (主动公开目录).
type Category struct {
	ID       int64
	UnitID   int64
	ParentID int64  // 0 for a top-level category
	Slug     string // stable, used in URLs: /catalog/{slug}
	Name     string
	Sort     int
	// Noun is how the annual report names the category's items
	// ("“双随机、一公开”信息"); empty means Name.
	Noun string
	// Measure is the report's measure word: 条, 期, 篇次, 场.
	Measure string
	// Article is the item of 条例第二十条 the category serves, e.g. "第二十条第（一）项".
	Article string
	// Column places the category on a portal column: "guide" (信息公开指南),
	// "rules" (信息公开制度), "reports" (政府信息公开年报), or "".
	Column string
	// InReport says whether section 一（一） of the annual report lists it.
	InReport bool
	Intro    string
}

// ReportNoun is the name the report uses for the category's items.
func (c Category) ReportNoun() string {
	if c.Noun != "" {
		return c.Noun
	}
	return c.Name
}

// ReportMeasure is the measure word, 条 by default.
func (c Category) ReportMeasure() string {
	if c.Measure != "" {
		return c.Measure
	}
	return "条"
}

// Content is one version of an item: what the editor writes.
type Content struct {
	Title        string
	DocNo        string // 文号, e.g. 福州关公告〔2024〕1号; may be empty
	DepartmentID int64  // the department that made it (制作部门) and publishes it
	MadeOn       calendar.Date
	CategoryID   int64
	Attribute    Attribute
	Ground       string // legal ground of the attribute (公开属性依据)
	Body         string // sanitised HTML
	DocKind      DocKind
	ValidFrom    calendar.Date // rules and normative documents: 施行日期
	// LegalReview asks for legal review (法制审核) although the attribute
	// does not require it.
	LegalReview bool
	// Interprets is the item this one interprets (政策解读 of a policy); 0 for none.
	Interprets int64
	// Attachments are the ids of the item's attachments in this version.
	Attachments []int64
}

// State is where an item stands in the workflow.
type State string

// The states. An item in Scheduled whose time has come is published: see
// Item.Effective.
const (
	Draft     State = "draft"     // 草稿
	Review    State = "review"    // 待审查
	Legal     State = "legal"     // 待法制审核
	Approved  State = "approved"  // 已审定 (待发布, or final for 依申请公开 / 不予公开)
	Scheduled State = "scheduled" // 定时发布
	Published State = "published" // 已发布
	Withdrawn State = "withdrawn" // 已撤回
)

// Label is the state's Chinese name.
func (s State) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Review:
		return "待审查"
	case Legal:
		return "待法制审核"
	case Approved:
		return "已审定"
	case Scheduled:
		return "定时发布"
	case Published:
		return "已发布"
	case Withdrawn:
		return "已撤回"
	}
	return string(s)
}

// EventKind names what happened to an item.
type EventKind string

// Event kinds.
const (
	EvCreate       EventKind = "create"        // 新建（第 1 版）
	EvEdit         EventKind = "edit"          // 修改草稿（新版本）
	EvRevise       EventKind = "revise"        // 更新已发布或已撤回的信息（新版本）
	EvSubmit       EventKind = "submit"        // 提交审查
	EvApprove      EventKind = "approve"       // 审查通过
	EvReturn       EventKind = "return"        // 审查退回
	EvLegalApprove EventKind = "legal_approve" // 法制审核通过
	EvLegalReturn  EventKind = "legal_return"  // 法制审核退回
	EvPublish      EventKind = "publish"       // 发布（立即或定时）
	EvUnschedule   EventKind = "unschedule"    // 取消定时发布
	EvWithdraw     EventKind = "withdraw"      // 撤回
	EvValidity     EventKind = "validity"      // 变更效力状态
)

// Label is the event's Chinese name.
func (k EventKind) Label() string {
	switch k {
	case EvCreate:
		return "新建"
	case EvEdit:
		return "修改"
	case EvRevise:
		return "更新"
	case EvSubmit:
		return "提交审查"
	case EvApprove:
		return "审查通过"
	case EvReturn:
		return "审查退回"
	case EvLegalApprove:
		return "法制审核通过"
	case EvLegalReturn:
		return "法制审核退回"
	case EvPublish:
		return "发布"
	case EvUnschedule:
		return "取消定时发布"
	case EvWithdraw:
		return "撤回"
	case EvValidity:
		return "变更效力"
	}
	return string(k)
}

// Event is one entry of an item's history.
type Event struct {
	Seq       int // 1, 2, 3… per item
	Kind      EventKind
	At        time.Time
	ActorID   int64
	ActorName string
	Version   int // the version the event concerns
	// Content is the new version's content (create, edit, revise).
	Content *Content
	// PublishAt is when a publish event makes the version public (At for
	// "publish now").
	PublishAt time.Time
	// Reason explains a return, a withdrawal or a cancelled schedule.
	Reason string
	// Validity and ValidityOn record a change of validity (废止 on a date).
	Validity   Validity
	ValidityOn calendar.Date
}

// Item is an item as its events leave it.
type Item struct {
	ID      int64
	UnitID  int64
	State   State
	Version int     // the latest version
	Content Content // the latest version's content
	// AuthorID wrote the latest version; a reviewer may not review their
	// own text.
	AuthorID int64
	// ReviewerID / ReviewerName / LegalID / LegalName are the latest
	// review's people (谁审查、谁负责).
	ReviewerID   int64
	ReviewerName string
	LegalID      int64
	LegalName    string
	// PublishAt is when the latest publish event takes effect.
	PublishAt time.Time
	// PublishedVersion is the version of the latest publish event; 0 when
	// none, or after a withdrawal.
	PublishedVersion int
	// FirstPublishAt is when the item's first publication takes (or took)
	// effect; zero when none was ordered, or it was cancelled in time.
	FirstPublishAt time.Time
	Validity       Validity
	ValidityOn     calendar.Date // the day it became 失效 or 废止
	Reason         string        // the last return, withdrawal or cancellation reason
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Events         int // events applied
}

// Effective is the state as the public sees it at now: a scheduled item
// whose time has come is published.
func (it Item) Effective(now time.Time) State {
	if it.State == Scheduled && !it.PublishAt.After(now) {
		return Published
	}
	return it.State
}

// EverPublished reports whether a publication has been ordered and not
// cancelled before it took effect.
func (it Item) EverPublished() bool { return !it.FirstPublishAt.IsZero() }

// NeedsLegal reports whether the item must pass legal review before it is
// approved: a 不予公开 decision always does (对政府信息不予公开决定进行法制审核),
// and so does any item whose editor asked for it.
func (c Content) NeedsLegal() bool { return c.Attribute == Withheld || c.LegalReview }
