package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/requests"
)

// The audit log in Chinese: what each action key, object type and field
// of a change means. The log itself keeps its codes (they are its
// contract, and the chain's hashes cover them); the page names them.

var auditActions = map[string]string{
	"login": "登录", "login.failed": "登录失败", "user.create": "创建账号", "user.grants": "调整角色", "user.disabled": "停用或启用账号",
	"user.password": "重设密码", "unit.create": "新建单位", "department.create": "新建内设部门", "setting.set": "修改设置",
	"calendar.import": "导入节假日安排", "annual.upload": "上传年度报告", "annual.import_history": "导入历史年报",
	"rcep.upload": "上传税率数据", "rcep.import": "导入税率数据",
	"publish.import": "导入信息", "publish.fee": "登记行政事业性收费", "publish.decisions": "登记行政许可、处罚等决定",
	"publish.category": "新建目录类别", "publish.catalogue": "建立主动公开目录",
	"request.submit": "提交申请", "request.view_applicant": "查看申请人信息", "request.view_attachment": "查看申请附件",
	"request.view_letter": "查看答复书或告知书", "request.attach": "添加申请附件", "request.appeal": "登记行政复议或诉讼",
	"request.letter": "生成答复书", "request.notice": "生成告知书",
	"request.publog_approved": "批准公开办理记录", "request.publog_withheld": "办理记录不予公开", "request.publog_file": "添加办理记录的公开文件",
	"desk.enquiry_import": "导入咨询和留言", "desk.enquiry_receive": "收到咨询或留言", "desk.upload": "上传导入文件",
	"desk.survey_response": "提交问卷", "desk.survey_open": "开始征集问卷", "desk.survey_import": "导入问卷",
	"desk.survey_create": "新建问卷", "desk.survey_close": "结束问卷", "desk.question_delete": "删除问卷题目", "desk.question_add": "添加问卷题目",
	"desk.post_create": "登记新媒体发文", "desk.outreach_create": "登记发布会或宣讲", "desk.mapping_save": "保存导入列对应",
	"desk.import_start": "开始导入", "desk.import_finish": "完成导入", "desk.import_batch": "导入一批记录", "desk.followers_set": "登记关注人数",
	"desk.complaint_create": "登记投诉", "desk.complaint_conclude": "办结投诉", "desk.call_create": "登记热线工单", "desk.account_create": "登记新媒体账号",
}

var auditObjects = map[string]string{
	"user": "账号", "unit": "单位", "department": "内设部门", "setting": "设置", "calendar": "节假日安排", "request": "申请",
	"annual_history": "历史年报", "annual_upload": "上传的年度报告", "rcep_upload": "税率数据文件", "rcep_version": "税率数据版本",
	"publish_item": "主动公开信息", "publish_category": "目录类别", "publish_fee": "行政事业性收费",
	"desk_account": "新媒体账号", "desk_call": "热线工单", "desk_complaint": "投诉", "desk_enquiry": "咨询或留言", "desk_import": "导入",
	"desk_mapping": "导入列对应", "desk_outreach": "发布会或宣讲", "desk_post": "新媒体发文", "desk_survey": "问卷", "desk_upload": "导入文件",
}

// AuditActionLabel names an audit action in Chinese ("request.decided" →
// 申请：拟定答复意见); an unknown one keeps its code.
func AuditActionLabel(action string) string {
	if l, ok := auditActions[action]; ok {
		return l
	}
	area, rest, _ := strings.Cut(action, ".")
	switch area {
	case "request":
		if l := requests.Kind(rest).Label(); l != rest {
			return "申请：" + l
		}
	case "publish":
		if l := publish.EventKind(rest).Label(); l != "" && l != rest {
			return "主动公开：" + l
		}
	case "desk":
		if ev, ok := strings.CutPrefix(rest, "enquiry_"); ok {
			if l := (desk.Event{Kind: ev}).Label(); l != "" {
				return "咨询和留言：" + l
			}
		}
	}
	return action
}

// AuditObjectLabel names an object type in Chinese.
func AuditObjectLabel(t string) string {
	if l, ok := auditObjects[t]; ok {
		return l
	}
	return t
}

var auditFields = map[string]string{
	"seq": "序号", "on": "日期", "role": "角色", "outcome": "办理结果", "sub_kind": "情形", "days": "天数", "yuan": "金额（元）",
	"approved": "同意", "status": "状态", "assignee_id": "承办人", "subjects": "申请内容", "sent_by": "送达方式", "served_on": "收到日期",
	"party": "征求对象", "party_name": "对象名称", "reply": "答复", "until": "延迟至", "basis": "计收方式", "public_interest": "因公共利益公开",
	"item_id": "已公开信息", "receipt_no": "申请编号", "unit_id": "单位", "channel": "申请方式", "applicant_type": "申请人类型",
	"received_on": "收到日期", "kind": "类别", "doc_no": "文书编号", "docx_sha256": "DOCX 哈希", "pdf_sha256": "PDF 哈希",
	"letter_id": "文书", "format": "格式", "attachment_id": "附件", "name": "名称", "username": "用户名", "display_name": "姓名",
	"grants": "角色", "disabled": "停用", "code": "代码", "title": "标题", "reason": "原因", "version": "版本",
}

// AuditChange writes a change's JSON as 「字段：值」 lines in Chinese,
// values with codes named (状态, 办理结果, 角色); what it cannot read stays
// as it is.
func AuditChange(raw string) string {
	if raw == "" || raw == "null" {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return raw
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		label := auditFields[k]
		if label == "" {
			label = k
		}
		lines = append(lines, label+"："+auditValue(k, m[k]))
	}
	return strings.Join(lines, "；")
}

func auditValue(key string, v any) string {
	s, isString := v.(string)
	switch {
	case v == nil:
		return ""
	case key == "status" && isString:
		if l := requests.Status(s).Label(); l != "" {
			return l
		}
	case key == "outcome" && isString:
		if s == "" {
			return ""
		}
		return outcomeLabel(annual.RowKey(s), "")
	case key == "role" && isString:
		return org.Role(s).Label()
	case key == "reply" && isString:
		return requests.Reply(s).Label(requests.PartyThird)
	case key == "party" && isString:
		return requests.Party(s).Label()
	case key == "sent_by" && isString:
		return requests.ServiceLabel(requests.Channel(s))
	case key == "kind" && isString:
		return requests.NoticeKind(s).Title()
	case key == "channel" && isString:
		return requests.ChannelLabel(requests.Channel(s))
	case key == "applicant_type" && isString:
		return requests.ApplicantType(s).Label()
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "是"
		}
		return "否"
	case string:
		return x
	case float64:
		return fmt.Sprint(x)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, fmt.Sprint(e))
		}
		return strings.Join(parts, "、")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func init() {
	funcs["auditAction"] = AuditActionLabel
	funcs["auditObject"] = AuditObjectLabel
	funcs["auditChange"] = AuditChange
}
