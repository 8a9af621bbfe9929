package org

import (
	"sort"
	"strings"

	"gongkai/internal/errs"
)

// The access policy (权限表): which roles may take which action in a unit,
// each line with the article or the office's reason. It is declared once,
// here; the store decides with it inside the write transaction (the roles
// the actor holds in the unit at that moment), and the pages ask the same
// table what to offer. An action not in the table is allowed to no one.

// Action is something a staff member does in a unit that the policy
// decides (操作).
type Action string

// The actions.
const (
	// The back office as a whole.
	ActDashboard Action = "dashboard" // 工作台
	// ActStaff is any staff member, with or without a role: work that is
	// given to a person or a department rather than to a role (a problem
	// of the rectification register, an inspection's notice). The area's
	// own rules decide what the person may do with it.
	ActStaff          Action = "staff"           // 本人或本部门的任务
	ActCalendarView   Action = "calendar.view"   // 工作日历（查看、计算期限）
	ActCalendarImport Action = "calendar.import" // 导入节假日安排
	ActAdminUsers     Action = "admin.users"     // 用户管理
	ActAdminUnits     Action = "admin.units"     // 单位与部门
	ActAdminAudit     Action = "admin.audit"     // 审计日志

	// 主动公开 (the rules themselves are publish.Authorize; this is who they name).
	ActPublishView      Action = "publish.view"      // 主动公开工作台
	ActPublishDraft     Action = "publish.draft"     // 起草、修改、送审
	ActPublishReview    Action = "publish.review"    // 审查、撤回
	ActPublishLegal     Action = "publish.legal"     // 不予公开的法制审核
	ActPublishCatalogue Action = "publish.catalogue" // 维护主动公开目录

	// 服务台.
	ActDeskView     Action = "desk.view"     // 服务台概况和统计
	ActDeskQueue    Action = "desk.queue"    // 网上咨询和留言的办理队列
	ActDeskWork     Action = "desk.work"     // 热线记录、导入、新媒体、发布宣讲、问卷、投诉
	ActDeskDraft    Action = "desk.draft"    // 拟写答复
	ActDeskReview   Action = "desk.review"   // 审核答复（先审后发）
	ActDeskSettings Action = "desk.settings" // 服务台的设置（超期未回应的期限）

	// 享惠智选.
	ActRCEPView   Action = "rcep.view"   // 税率数据版本和使用情况
	ActRCEPImport Action = "rcep.import" // 导入税率数据、设置微小含量

	// 依申请公开.
	ActRequestView        Action = "request.view"         // 查看申请和办理过程（不含申请人信息）
	ActRequestApplicant   Action = "request.applicant"    // 查看申请人信息、附件和文书
	ActRequestRegister    Action = "request.register"     // 登记信函、当面等方式提出的申请
	ActRequestHandle      Action = "request.handle"       // 办理：补正、征求意见、收费、拟定答复、答复、送达
	ActRequestClaim       Action = "request.claim"        // 认领未分办的申请
	ActRequestAssign      Action = "request.assign"       // 分办、改派
	ActRequestExtend      Action = "request.extend"       // 延长答复期限、确定延迟答复期限
	ActRequestLegal       Action = "request.legal_review" // 部分公开、不予公开的法制审核
	ActRequestStats       Action = "request.stats"        // 表三、表四
	ActRequestLetters     Action = "request.letters"      // 查看答复书模板
	ActRequestLettersEdit Action = "request.letters_edit" // 修改答复书模板
	ActRequestOffice      Action = "request.office"       // 依申请公开文书设置（联系人、文书编号、缴费方式）
	ActRequestSubjects    Action = "request.subjects"     // 标注申请内容
	ActRequestSubjectList Action = "request.subject_list" // 维护申请内容分类

	// The annual report (年度报告, 条例第四十九、五十条).
	ActAnnualCheck    Action = "annual.check"    // 检查已发布的年度报告、导入历史年报
	ActAnnualBuild    Action = "annual.build"    // 查看草稿、预览、导出
	ActAnnualTemplate Action = "annual.template" // 修改报告模板和单位概况
	ActAnnualPublish  Action = "annual.publish"  // 发布没有错误的年度报告
	ActAnnualOverride Action = "annual.override" // 说明理由后发布有错误的年度报告
	ActAnnualRectify  Action = "annual.rectify"  // 整改台账

	// Site inspection and assessment (网站检查、考核, 国办秘函〔2019〕19号).
	ActInspectRun      Action = "inspect.run"      // 发起网站检查，查看检查结果和考核
	ActInspectSettings Action = "inspect.settings" // 修改网站检查设置
	ActInspectRectify  Action = "inspect.rectify"  // 将检查发现送整改台账
	ActInspectWeights  Action = "inspect.weights"  // 设置考核指标权重
	ActAnnualReview    Action = "annual.review"    // 确认或排除检查发现的问题
)

// Permission is one line of the policy.
type Permission struct {
	Action Action
	Label  string // what the action is, in Chinese
	Roles  []Role // who may take it, in the unit
	Basis  string // the article or the reason
}

// everyone is every role: what any staff member may open.
var everyone = Roles

// Policy is the table, in display order.
var Policy = []Permission{
	{ActDashboard, "工作台", everyone, "每位工作人员查看本人的待办事项；无角色的部门人员看到交给本部门的事项"},
	{ActStaff, "本人或本部门的任务", everyone, "整改事项和检查提醒落到部门和个人：无角色的部门人员也可查看并办理交给本部门的事项，由各领域的规则决定能做什么"},
	{ActCalendarView, "查看工作日历、计算法定期限", everyone, "法定期限按国务院公布的节假日安排计算，办理各项工作都要用到"},
	{ActCalendarImport, "导入节假日安排", []Role{RoleAdmin}, "节假日安排是全系统的数据，由系统管理员按国务院办公厅通知导入"},
	{ActAdminUsers, "管理用户和角色", []Role{RoleAdmin}, "账号和角色由系统管理员在本单位及下级单位内管理"},
	{ActAdminUnits, "管理单位和内设部门", []Role{RoleAdmin}, "单位层级和内设部门由系统管理员维护"},
	{ActAdminAudit, "查看审计日志", []Role{RoleAdmin}, "审计日志记录每一项数据变更，供系统管理员核查"},

	{ActPublishView, "主动公开工作台", []Role{RoleEditor, RoleReviewer, RoleLegal, RoleStatistician, RoleAdmin, RoleOfficeHead},
		"参与主动公开起草、审查、法制审核、统计和管理的人员"},
	{ActPublishDraft, "起草、修改和送审主动公开信息", []Role{RoleEditor}, "谁制作、谁认定（条例第十三条至第十六条）"},
	{ActPublishReview, "审查、发布和撤回主动公开信息", []Role{RoleReviewer}, "先审查、后公开；谁公开、谁审查；谁审查、谁负责（条例第十七条）"},
	{ActPublishLegal, "不予公开的法制审核", []Role{RoleLegal}, "不予公开的决定须经法制审核（条例第十四条至第十六条）"},
	{ActPublishCatalogue, "维护主动公开目录", []Role{RoleAdmin}, "主动公开目录（条例第二十条、第二十一条）由系统管理员维护"},

	{ActDeskView, "服务台概况和统计", []Role{RoleHotline, RoleEditor, RoleReviewer, RoleOfficeHead, RoleStatistician, RoleAdmin},
		"热线、网站和新媒体的数字计入年度报告第一部分（三），统计人员也需查看"},
	{ActDeskQueue, "网上咨询和留言办理队列", []Role{RoleHotline, RoleReviewer, RoleOfficeHead}, "拟写答复的坐席和审核答复的人员"},
	{ActDeskWork, "服务台记录的登记和导入", []Role{RoleHotline, RoleEditor, RoleOfficeHead, RoleAdmin},
		"热线记录由坐席登记，新媒体由编辑维护，公开办负责人和系统管理员协助"},
	{ActDeskDraft, "拟写网上咨询和留言的答复", []Role{RoleHotline, RoleOfficeHead}, "答复由热线坐席拟写"},
	{ActDeskReview, "审核网上咨询和留言的答复", []Role{RoleReviewer, RoleOfficeHead}, "答复先审后发，拟写人不能审核自己的答复"},
	{ActDeskSettings, "服务台设置", []Role{RoleAdmin}, "超期未回应的期限等设置（国办秘函〔2019〕19号）由系统管理员维护"},

	{ActRCEPView, "查看享惠智选数据和使用情况", everyone, "各岗位都可能为企业解答享惠问题"},
	{ActRCEPImport, "导入享惠智选税率数据", []Role{RoleAdmin}, "税率数据是全系统的数据，由系统管理员导入"},

	{ActRequestView, "查看依申请公开的申请", []Role{RoleHandler, RoleLegal, RoleOfficeHead},
		"承办人办理，法制审核人员审核，公开办负责人分办和审批延期；申请人信息另行限制"},
	{ActRequestApplicant, "查看申请人信息、附件和文书", []Role{RoleHandler},
		"申请人的身份证件号码、联系方式等只由本单位的承办人查看，每次查看记入审计日志"},
	{ActRequestRegister, "登记申请", []Role{RoleHandler, RoleOfficeHead}, "以信函、当面、传真、电子邮件提出的申请由承办人或公开办负责人登记（条例第二十九条、第三十一条）"},
	{ActRequestHandle, "办理申请", []Role{RoleHandler}, "申请由本单位的依申请公开承办人办理（条例第三十条至第四十二条）"},
	{ActRequestClaim, "认领申请", []Role{RoleHandler}, "尚未分办的申请，承办人可以认领给自己"},
	{ActRequestAssign, "分办申请", []Role{RoleOfficeHead}, "申请由公开办负责人分办或改派"},
	{ActRequestExtend, "延长答复期限", []Role{RoleOfficeHead},
		"延长答复期限须经政府信息公开工作机构负责人同意（条例第三十三条）；按条例第三十五条确定延迟答复期限的，同样由负责人决定"},
	{ActRequestLegal, "依申请公开答复的法制审核", []Role{RoleLegal}, "部分公开和不予公开的答复须经法制审核"},
	{ActRequestStats, "查看表三、表四", []Role{RoleHandler, RoleLegal, RoleOfficeHead, RoleStatistician, RoleAdmin},
		"表三、表四由申请记录计算，承办、审核、统计人员都需核对"},
	{ActRequestLetters, "查看答复书模板", []Role{RoleHandler, RoleLegal, RoleOfficeHead, RoleAdmin}, "承办人和审核人员按模板答复，须能查看"},
	{ActRequestLettersEdit, "修改答复书模板", []Role{RoleOfficeHead, RoleAdmin}, "答复书的法律文字由公开办负责人审定，系统管理员协助维护"},
	{ActRequestOffice, "依申请公开文书设置", []Role{RoleOfficeHead, RoleAdmin},
		"答复书和告知书上的联系人、电话、文书编号格式和缴费方式由公开办负责人审定，系统管理员协助维护"},
	{ActRequestSubjects, "标注申请内容", []Role{RoleHandler},
		"申请由本单位的依申请公开承办人办理，申请内容的分类是办理记录的一部分，计入年度报告第一部分（二）"},
	{ActRequestSubjectList, "维护申请内容分类", []Role{RoleHandler, RoleOfficeHead, RoleAdmin},
		"分类由办理申请的承办人和公开办负责人维护，系统管理员协助设置"},
	{ActAnnualCheck, "检查年度报告、导入历史年报", []Role{RoleStatistician, RoleAdmin},
		"年度报告的勾稽关系检查和历史年报的导入由统计人员办理，系统管理员协助"},
	{ActAnnualBuild, "查看、预览和导出年度报告草稿", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"年度报告由统计人员编制、公开办负责人审定（条例第四十九条、第五十条）"},
	{ActAnnualTemplate, "修改年度报告模板和单位概况", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"报告的文字部分和单位概况由编制人员维护"},
	{ActAnnualPublish, "发布年度报告", []Role{RoleStatistician, RoleOfficeHead},
		"年度报告经检查没有错误后由编制人员或公开办负责人发布（条例第四十九条）"},
	{ActAnnualOverride, "说明理由后发布有错误的年度报告", []Role{RoleOfficeHead},
		"检查发现错误仍要发布的，须由公开办负责人决定并写明理由"},
	{ActAnnualRectify, "维护整改台账", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"检查发现的问题由编制人员登记整改"},
	{ActInspectRun, "发起网站检查，查看检查结果和考核", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"网站和新媒体的日常检查由公开办组织（国办秘函〔2019〕19号），统计人员汇总考核情况"},
	{ActInspectSettings, "修改网站检查设置（阈值、栏目类别、表述清单、检查的网站）", []Role{RoleOfficeHead, RoleAdmin},
		"检查标准由公开办负责人确定，系统管理员协助设置"},
	{ActInspectRectify, "将检查发现送整改台账", []Role{RoleStatistician, RoleOfficeHead, RoleAdmin},
		"与维护整改台账的角色相同：检查发现的问题由编制人员登记整改"},
	{ActInspectWeights, "设置考核指标权重", []Role{RoleOfficeHead},
		"考核办法由公开办负责人确定"},
	{ActAnnualReview, "确认或排除年度报告检查发现的问题", []Role{RoleStatistician, RoleAdmin},
		"检查发现的问题是否成立，由对本单位年报数字负责的统计人员判断（条例第五十条），系统管理员协助；每项决定须写明理由，记入审计日志"},
}

// PermissionOf returns the policy's line for an action.
func PermissionOf(a Action) (Permission, bool) {
	for _, p := range Policy {
		if p.Action == a {
			return p, true
		}
	}
	return Permission{}, false
}

// RolesFor lists the roles that may take action a.
func RolesFor(a Action) []Role {
	p, _ := PermissionOf(a)
	return append([]Role(nil), p.Roles...)
}

// Label is the action's Chinese name.
func (a Action) Label() string {
	if p, ok := PermissionOf(a); ok {
		return p.Label
	}
	return string(a)
}

// Allows reports whether one of roles may take action a.
func Allows(roles []Role, a Action) bool {
	p, ok := PermissionOf(a)
	if !ok {
		return false
	}
	for _, r := range roles {
		for _, w := range p.Roles {
			if r == w {
				return true
			}
		}
	}
	return false
}

// May reports whether the user may take action a in unit unitID, by the
// roles granted there. A disabled account may do nothing.
func (u User) May(unitID int64, a Action) bool {
	return !u.Disabled && Allows(u.RolesIn(unitID), a)
}

// MayAnywhere reports whether the user may take action a in some unit.
// ActStaff and ActDashboard are open to every active account: a member of
// a department without a role sees on the workbench the work given to
// the department.
func (u User) MayAnywhere(a Action) bool {
	if a == ActStaff || a == ActDashboard {
		return !u.Disabled
	}
	for _, g := range u.Grants {
		if u.May(g.UnitID, a) {
			return true
		}
	}
	return false
}

// Refusal is the error for an action the policy does not allow: one
// sentence naming the action and the roles that may take it.
func Refusal(a Action) error {
	p, ok := PermissionOf(a)
	if !ok {
		return errs.E(errs.Forbidden, "没有这项操作的权限。")
	}
	names := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		names[i] = "“" + r.Label() + "”"
	}
	return errs.E(errs.Forbidden, "“%s”仅限在本单位具有%s角色的人员操作。", p.Label, strings.Join(names, "、"))
}

// Unit settings (单位设置). A unit's settings are one table of keys, but
// each key belongs to the area whose rules read it, and changing it is
// that area's action in the policy above: the annual report's profile and
// templates are kept by those who compile the report (条例第四十九条、
// 第五十条), the inspection's standards by the office head (国办秘函
// 〔2019〕19号), the public log of applications by the handlers. A key no
// area declares is unit administration (ActAdminUnits), the system
// administrator's. The store decides with AuthorizeSettings inside the
// transaction that writes the settings, on the roles the actor holds in
// the unit at that moment.

// settingOwners maps a key, by its exact name or its prefix (ending in
// "."), to the action that changes it; the first match wins.
var settingOwners = []struct {
	key    string
	action Action
}{
	{"report.", ActAnnualTemplate},
	{"inspect.weights", ActInspectWeights},
	{"inspect.", ActInspectSettings},
	{"requests.public_log", ActRequestHandle},
}

// SettingAction is the action that changing the unit setting key takes.
func SettingAction(key string) Action {
	for _, o := range settingOwners {
		if key == o.key || (strings.HasSuffix(o.key, ".") && strings.HasPrefix(key, o.key)) {
			return o.action
		}
	}
	return ActAdminUnits
}

// SettingsActor is who changes a unit's settings, as the store reads him
// in the transaction: the system (a command, a job, the demo loader), the
// public on the portal, or a staff member with the roles he holds in the
// unit.
type SettingsActor struct {
	System bool
	Public bool
	Roles  []Role
}

// AuthorizeSettings decides whether the actor may change the unit
// settings keys: nil, or the refusal of the first key's action he may not
// take. The system may change any setting, the public none.
func AuthorizeSettings(a SettingsActor, keys []string) error {
	for _, k := range sortedKeys(keys) {
		act := SettingAction(k)
		if a.Public || (!a.System && !Allows(a.Roles, act)) {
			return Refusal(act)
		}
	}
	return nil
}

func sortedKeys(keys []string) []string {
	out := append([]string(nil), keys...)
	sort.Strings(out)
	return out
}

// Accounts (账号管理). An administrator (RoleAdmin) manages the accounts of
// the unit he administers and of every unit below it, at any depth: he
// creates them, grants and withdraws their roles, disables them. A grant
// he makes must lie in that scope too. The system (a command, the demo
// loader) may manage any account, the public none. The store decides with
// AuthorizeAccounts inside the transaction that writes the account, on the
// administrator grants the actor holds at that moment.

// AccountsActor is who manages accounts, as the store reads him: the
// system, the public, or a staff member with the units he administers.
type AccountsActor struct {
	System bool
	Public bool
	Admin  []int64 // the units in which he holds RoleAdmin
}

// AuthorizeAccounts decides whether the actor may manage accounts in every
// unit of targets (the account's unit and the units of its grants), given
// the units' tree: nil, or the refusal naming the first unit out of scope.
func AuthorizeAccounts(a AccountsActor, units []Unit, targets []int64) error {
	if a.System && !a.Public {
		return nil
	}
	scope := map[int64]bool{}
	if !a.Public {
		for _, id := range a.Admin {
			for _, d := range Descendants(units, id) {
				scope[d] = true
			}
		}
	}
	for _, t := range targets {
		if !scope[t] {
			name := "该单位"
			for _, u := range units {
				if u.ID == t {
					name = "“" + u.Name + "”"
				}
			}
			return errs.FieldError("unit", "您无权管理%s的账号：系统管理员只能管理本单位及下级单位的账号。", name)
		}
	}
	return nil
}
