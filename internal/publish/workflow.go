package publish

import (
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file is the review workflow of proactive disclosure. It applies:
//
//   - 条例第十七条: information is reviewed before it is published
//     (先审查、后公开), under a review mechanism with clear responsibility:
//     the department that publishes reviews (谁公开、谁审查) and the reviewer
//     answers for it (谁审查、谁负责), so every review records its reviewer,
//     and nobody reviews a text they wrote.
//   - 条例第十三条至第十六条: the attribute is decided by the department
//     that makes the information (谁制作、谁认定); a decision not to disclose
//     (不予公开) rests on one of the grounds of 第十四条至第十六条 and passes
//     legal review (法制审核) before it stands.
//   - 条例第十九条、第二十条: only 主动公开 information is published.
//
// Apply is the state machine: it is run on every new event and on every
// replay of a stored history, so a history that breaks a rule cannot be
// stored. Authorize checks who may cause an event; it needs the actor's
// roles as they are now, so it runs only when the event is new.

// Actor is a staff member acting on an item, with their roles in the
// item's unit.
type Actor struct {
	UserID       int64
	Name         string
	DepartmentID int64
	Roles        []org.Role
}

// ActorOf builds the actor for a user acting in a unit.
func ActorOf(u org.User, unitID int64) Actor {
	return Actor{UserID: u.ID, Name: u.DisplayName, DepartmentID: u.DepartmentID, Roles: u.RolesIn(unitID)}
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r org.Role) bool {
	for _, x := range a.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// ReviewScope says which reviewers may review an item (谁公开、谁审查).
type ReviewScope string

// Review scopes. The setting "publish.review_scope" chooses one; the
// default is ScopeDepartment.
const (
	// ScopeDepartment: a reviewer of the item's own department, or a
	// reviewer with no department (the unit's office as a whole).
	ScopeDepartment ReviewScope = "department"
	// ScopeUnit: any reviewer of the unit.
	ScopeUnit ReviewScope = "unit"
)

// Authorize checks that actor may cause an event of kind k on it. Kind
// EvCreate is checked against the new content's department.
func Authorize(it Item, k EventKind, a Actor, scope ReviewScope) error {
	need := func(r org.Role, what string) error {
		if !a.Has(r) {
			return errs.E(errs.Forbidden, "%s需要“%s”角色", what, r.Label())
		}
		return nil
	}
	switch k {
	case EvCreate, EvEdit, EvRevise, EvSubmit:
		return need(org.RoleEditor, k.Label())
	case EvApprove, EvReturn:
		if err := need(org.RoleReviewer, k.Label()); err != nil {
			return err
		}
		if scope != ScopeUnit && a.DepartmentID != 0 && a.DepartmentID != it.Content.DepartmentID {
			return errs.E(errs.Forbidden, "谁公开、谁审查：本条信息须由制作发布部门的审查人员审查")
		}
		return nil
	case EvLegalApprove, EvLegalReturn:
		return need(org.RoleLegal, k.Label())
	case EvPublish:
		if !a.Has(org.RoleEditor) && !a.Has(org.RoleReviewer) {
			return errs.E(errs.Forbidden, "发布需要“%s”或“%s”角色", org.RoleEditor.Label(), org.RoleReviewer.Label())
		}
		return nil
	case EvUnschedule, EvWithdraw:
		return need(org.RoleReviewer, k.Label())
	case EvValidity:
		if !a.Has(org.RoleEditor) && !a.Has(org.RoleLegal) {
			return errs.E(errs.Forbidden, "变更效力状态需要“%s”或“%s”角色", org.RoleEditor.Label(), org.RoleLegal.Label())
		}
		return nil
	}
	return errs.E(errs.Invalid, "未知操作“%s”", k)
}

func refuse(it Item, e Event) error {
	return errs.E(errs.Conflict, "当前状态为“%s”，不能%s", it.State.Label(), e.Kind.Label())
}

// Apply returns the item after event e, or a coded error saying why e may
// not happen now. e.Seq must follow it.Events; e.At must not go back in time.
func Apply(it Item, e Event) (Item, error) {
	if e.Seq != it.Events+1 {
		return it, errs.E(errs.Conflict, "该信息已被他人修改，请刷新页面后重试")
	}
	if !it.UpdatedAt.IsZero() && e.At.Before(it.UpdatedAt) {
		return it, errs.E(errs.Invalid, "事件时间早于上一事件")
	}
	next := it
	next.Events = e.Seq
	next.UpdatedAt = e.At
	switch e.Kind {
	case EvCreate:
		if it.Events != 0 {
			return it, errs.E(errs.Conflict, "信息已存在")
		}
		if e.Content == nil || e.Version != 1 {
			return it, errs.E(errs.Invalid, "新建须带第 1 版内容")
		}
		next.State, next.Version, next.Content, next.AuthorID = Draft, 1, *e.Content, e.ActorID
		next.CreatedAt = e.At
		if e.Content.DocKind != Ordinary {
			next.Validity = Valid
		}
	case EvEdit, EvRevise:
		if e.Kind == EvEdit && it.State != Draft {
			return it, refuse(it, e)
		}
		if e.Kind == EvRevise {
			if it.State == Scheduled && it.Effective(e.At) == Scheduled {
				return it, errs.E(errs.Conflict, "定时发布尚未生效：请先取消定时发布，再修改")
			}
			if eff := it.Effective(e.At); eff != Published && eff != Withdrawn {
				return it, refuse(it, e)
			}
		}
		if e.Content == nil || e.Version != it.Version+1 {
			return it, errs.E(errs.Invalid, "新版本号应为 %d", it.Version+1)
		}
		if it.EverPublished() && e.Content.Attribute != it.Content.Attribute && it.State != Withdrawn {
			return it, errs.E(errs.Invalid, "已发布的信息不能直接改变公开属性：请先撤回，再更新")
		}
		next.State, next.Version, next.Content, next.AuthorID = Draft, e.Version, *e.Content, e.ActorID
		next.ReviewerID, next.ReviewerName, next.LegalID, next.LegalName = 0, "", 0, ""
		if e.Content.DocKind != Ordinary && next.Validity == "" {
			next.Validity = Valid
		}
	case EvSubmit:
		if it.State != Draft {
			return it, refuse(it, e)
		}
		next.State = Review
	case EvApprove, EvReturn:
		if it.State != Review {
			return it, refuse(it, e)
		}
		if e.ActorID != 0 && e.ActorID == it.AuthorID {
			return it, errs.E(errs.Forbidden, "先审查、后公开：不能审查自己起草的信息，请由其他审查人员审查")
		}
		if e.Kind == EvReturn {
			if e.Reason == "" {
				return it, errs.FieldError("reason", "请填写退回理由")
			}
			next.State, next.Reason = Draft, e.Reason
			break
		}
		next.ReviewerID, next.ReviewerName = e.ActorID, e.ActorName
		if it.Content.NeedsLegal() {
			next.State = Legal
		} else {
			next.State = Approved
		}
	case EvLegalApprove, EvLegalReturn:
		if it.State != Legal {
			return it, refuse(it, e)
		}
		if e.ActorID != 0 && e.ActorID == it.AuthorID {
			return it, errs.E(errs.Forbidden, "不能对自己起草的信息进行法制审核")
		}
		if e.Kind == EvLegalReturn {
			if e.Reason == "" {
				return it, errs.FieldError("reason", "请填写退回理由")
			}
			next.State, next.Reason = Draft, e.Reason
			break
		}
		next.LegalID, next.LegalName = e.ActorID, e.ActorName
		next.State = Approved
	case EvPublish:
		if it.State != Approved {
			return it, refuse(it, e)
		}
		if it.Content.Attribute != Active {
			return it, errs.E(errs.Invalid, "公开属性为“%s”的信息不主动公开", it.Content.Attribute.Label())
		}
		if e.PublishAt.IsZero() || e.PublishAt.Before(e.At.Truncate(time.Second)) {
			return it, errs.FieldError("publish_at", "定时发布的时间不能早于现在")
		}
		if e.Version != it.Version {
			return it, errs.E(errs.Invalid, "只能发布最新版本（第 %d 版）", it.Version)
		}
		next.PublishAt, next.PublishedVersion = e.PublishAt, e.Version
		if it.FirstPublishAt.IsZero() {
			next.FirstPublishAt = e.PublishAt
		}
		if e.PublishAt.After(e.At) {
			next.State = Scheduled
		} else {
			next.State = Published
		}
	case EvUnschedule:
		if it.State != Scheduled || !it.PublishAt.After(e.At) {
			return it, errs.E(errs.Conflict, "只有尚未到发布时间的定时发布可以取消")
		}
		next.State, next.Reason = Approved, e.Reason
		next.PublishAt, next.PublishedVersion = time.Time{}, 0
		next.FirstPublishAt = cancelFirst(it)
	case EvWithdraw:
		if it.PublishedVersion == 0 {
			return it, errs.E(errs.Conflict, "该信息未在门户网站公开，无需撤回")
		}
		if e.Reason == "" {
			return it, errs.FieldError("reason", "请填写撤回理由")
		}
		next.State, next.Reason = Withdrawn, e.Reason
		next.PublishedVersion = 0
		if it.State == Scheduled && it.PublishAt.After(e.At) {
			next.FirstPublishAt = cancelFirst(it)
		}
	case EvValidity:
		if it.Content.DocKind == Ordinary {
			return it, errs.E(errs.Invalid, "只有规章和行政规范性文件有效力状态")
		}
		if !it.EverPublished() {
			return it, errs.E(errs.Conflict, "尚未发布的文件不能变更效力状态")
		}
		switch e.Validity {
		case Valid:
			next.ValidityOn = e.ValidityOn
		case Expired, Abolished:
			if e.ValidityOn.IsZero() {
				return it, errs.FieldError("validity_on", "请填写失效或废止日期")
			}
			if !it.Content.ValidFrom.IsZero() && e.ValidityOn.Before(it.Content.ValidFrom) {
				return it, errs.FieldError("validity_on", "失效或废止日期不能早于施行日期")
			}
			next.ValidityOn = e.ValidityOn
		default:
			return it, errs.FieldError("validity", "请选择效力状态")
		}
		next.Validity = e.Validity
	default:
		return it, errs.E(errs.Invalid, "未知事件“%s”", e.Kind)
	}
	return next, nil
}

// cancelFirst is FirstPublishAt after the pending publication is
// cancelled before its time. A revision can only follow a publication that
// took effect (or a withdrawal), so a pending publication is the first one
// exactly when FirstPublishAt is its own time.
func cancelFirst(it Item) time.Time {
	if it.FirstPublishAt.Equal(it.PublishAt) {
		return time.Time{}
	}
	return it.FirstPublishAt
}

// Replay folds a stored history into the item it describes, checking each
// event as it goes.
func Replay(id, unitID int64, events []Event) (Item, error) {
	it := Item{ID: id, UnitID: unitID}
	for _, e := range events {
		var err error
		if it, err = Apply(it, e); err != nil {
			return it, errs.Wrap(errs.CodeOf(err), err, "第 %d 个事件（%s）：%s", e.Seq, e.Kind.Label(), errs.MessageOf(err))
		}
	}
	return it, nil
}
