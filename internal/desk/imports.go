package desk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/errs"
)

// CSV imports (导入). The desk reads five kinds of file exported by other
// systems: the telephony system's call-detail records (CDR), hotline
// records, new-media posts, follower counts and daily visit counts. Every
// file is read the same way:
//
//   - the user maps the file's column names to the fields the kind needs,
//     for each import (a mapping can be saved under a name and reused);
//   - the file is read as a stream, one row at a time, so that a file of
//     millions of rows needs no more memory than a batch;
//   - a row that cannot be read is reported by its line number with the
//     reason, and the user chooses beforehand whether the good rows are
//     imported (ModeGood) or nothing is when any row is bad (ModeAll).

// Import modes.
const (
	ModeGood = "good" // import the good rows, report the bad ones
	ModeAll  = "all"  // import nothing if any row is bad
)

// Field is one field an import kind reads.
type Field struct {
	Key      string
	Label    string
	Required bool
	Hint     string
	Aliases  []string // column names that usually hold it, for the suggested mapping
}

// ImportKind is a kind of file the desk imports.
type ImportKind struct {
	Key    string
	Label  string
	Intro  string
	Fields []Field
}

// Import kinds.
const (
	ImportCDR       = "cdr"
	ImportCalls     = "calls"
	ImportPosts     = "media_posts"
	ImportFollowers = "media_followers"
	ImportVisits    = "visits"
)

// ImportKinds lists every kind, in display order.
var ImportKinds = []ImportKind{
	{Key: ImportCDR, Label: "热线话单（CDR）", Intro: "电话系统导出的呼叫明细：每行一通来电。用于计算来电量、接听量和接通率。",
		Fields: []Field{
			{Key: "call_id", Label: "呼叫编号", Required: true, Aliases: []string{"呼叫编号", "呼叫ID", "通话编号", "流水号", "call_id", "callid", "uniqueid"}},
			{Key: "started_at", Label: "来电时间", Required: true, Hint: "如 2024-03-15 09:30:00（北京时间）", Aliases: []string{"来电时间", "开始时间", "呼入时间", "start_time", "start", "calldate"}},
			{Key: "outcome", Label: "呼叫结果", Required: true, Hint: "接通 / 放弃等，取值见下方", Aliases: []string{"呼叫结果", "结果", "状态", "接通状态", "disposition", "status", "outcome"}},
			{Key: "wait", Label: "排队时长", Hint: "秒数或 时:分:秒", Aliases: []string{"排队时长", "等待时长", "振铃时长", "wait", "queue_time", "wait_secs"}},
			{Key: "talk", Label: "通话时长", Hint: "秒数或 时:分:秒", Aliases: []string{"通话时长", "通话时间", "billsec", "talk", "talk_secs", "duration"}},
			{Key: "agent", Label: "坐席工号", Aliases: []string{"坐席工号", "坐席", "工号", "agent", "agent_id"}},
		}},
	{Key: ImportCalls, Label: "热线工单", Intro: "热线系统导出的工单：每行一次咨询及其答复。用于满意度得分和咨询分类。",
		Fields: []Field{
			{Key: "at", Label: "来电时间", Required: true, Aliases: []string{"来电时间", "受理时间", "时间", "at"}},
			{Key: "channel", Label: "受理渠道", Hint: "电话、在线客服、电子邮件、短信；空为电话", Aliases: []string{"受理渠道", "渠道", "channel"}},
			{Key: "caller_type", Label: "来电人类型", Hint: "企业、个人、其他组织；空为未说明", Aliases: []string{"来电人类型", "来电人", "caller_type"}},
			{Key: "topic", Label: "咨询类别", Required: true, Aliases: []string{"咨询类别", "类别", "业务类别", "topic"}},
			{Key: "question", Label: "咨询内容", Required: true, Aliases: []string{"咨询内容", "问题", "来电内容", "question"}},
			{Key: "answer", Label: "答复内容", Required: true, Aliases: []string{"答复内容", "答复", "回复", "answer"}},
			{Key: "agent", Label: "坐席", Aliases: []string{"坐席", "坐席姓名", "受理人", "agent"}},
			{Key: "transferred", Label: "转办部门", Aliases: []string{"转办部门", "转办", "transferred"}},
			{Key: "rating", Label: "满意度评价", Hint: "1–5 或 非常满意…非常不满意；空为未评价", Aliases: []string{"满意度评价", "满意度", "评价", "rating"}},
			{Key: "call_id", Label: "呼叫编号", Aliases: []string{"呼叫编号", "呼叫ID", "call_id"}},
		}},
	{Key: ImportPosts, Label: "新媒体发文", Intro: "每行一篇发文或一场直播。账号须先在“新媒体”页面登记。",
		Fields: []Field{
			{Key: "platform", Label: "平台", Required: true, Hint: "微博、微信公众号、视频号、抖音…", Aliases: []string{"平台", "platform"}},
			{Key: "account", Label: "账号名称", Required: true, Aliases: []string{"账号名称", "账号", "account"}},
			{Key: "day", Label: "发布日期", Required: true, Aliases: []string{"发布日期", "日期", "发布时间", "date", "day"}},
			{Key: "kind", Label: "类型", Hint: "发文或直播；空为发文", Aliases: []string{"类型", "kind"}},
			{Key: "title", Label: "标题", Required: true, Aliases: []string{"标题", "title"}},
			{Key: "column", Label: "专栏", Aliases: []string{"专栏", "栏目", "column"}},
			{Key: "url", Label: "链接", Aliases: []string{"链接", "url"}},
		}},
	{Key: ImportFollowers, Label: "新媒体关注人数", Intro: "每行一个账号在某日的关注人数。",
		Fields: []Field{
			{Key: "platform", Label: "平台", Required: true, Aliases: []string{"平台", "platform"}},
			{Key: "account", Label: "账号名称", Required: true, Aliases: []string{"账号名称", "账号", "account"}},
			{Key: "day", Label: "统计日期", Required: true, Aliases: []string{"统计日期", "日期", "date", "day"}},
			{Key: "count", Label: "关注人数", Required: true, Aliases: []string{"关注人数", "粉丝数", "followers", "count"}},
		}},
	{Key: ImportVisits, Label: "网站访问量（历史）", Intro: "本系统启用前的每日访问量（按栏目分组）。本系统启用后的访问量由服务器自行统计，无需导入。",
		Fields: []Field{
			{Key: "day", Label: "日期", Required: true, Aliases: []string{"日期", "date", "day"}},
			{Key: "group", Label: "栏目分组", Hint: "首页、主动公开、依申请公开、互动交流…；空为其他", Aliases: []string{"栏目分组", "栏目", "分组", "group"}},
			{Key: "hits", Label: "访问量", Required: true, Aliases: []string{"访问量", "浏览量", "PV", "pv", "hits"}},
		}},
}

// KindByKey returns an import kind.
func KindByKey(key string) (ImportKind, bool) {
	for _, k := range ImportKinds {
		if k.Key == key {
			return k, true
		}
	}
	return ImportKind{}, false
}

// Default outcome values of a CDR: what telephony systems commonly write.
var (
	DefaultAnswered  = []string{"接通", "已接通", "已接听", "接听", "应答", "answered", "answer", "1", "是"}
	DefaultAbandoned = []string{"放弃", "未接通", "未接听", "呼损", "排队放弃", "振铃放弃", "abandoned", "abandon", "no answer", "noanswer", "busy", "0", "否"}
)

// Mapping says which column feeds each field, and how the file is encoded.
type Mapping struct {
	Columns   map[string]string `json:"columns"`             // field key → column name
	Answered  []string          `json:"answered,omitempty"`  // CDR outcomes meaning answered
	Abandoned []string          `json:"abandoned,omitempty"` // CDR outcomes meaning abandoned
	Encoding  string            `json:"encoding,omitempty"`  // "utf-8" (default) or "gb18030"
}

// JSON is the stored form of a mapping.
func (m Mapping) JSON() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// ParseMappingJSON reads a stored mapping.
func ParseMappingJSON(s string) (Mapping, error) {
	var m Mapping
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return m, errs.Wrap(errs.Invalid, err, "字段对应关系格式不正确")
	}
	return m, nil
}

// ParseMappingSpec reads the command line's form of a mapping:
// "呼叫编号=call_id,开始时间=started_at,结果=outcome" (column=field; the
// reverse order is accepted too). Fields may also be named by their Chinese
// labels.
func ParseMappingSpec(kind ImportKind, spec string) (Mapping, error) {
	m := Mapping{Columns: map[string]string{}}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		left, right, ok := strings.Cut(part, "=")
		if !ok {
			return m, errs.E(errs.Invalid, "列对应“%s”格式不正确，应为 列名=字段（如 开始时间=started_at）", part)
		}
		left, right = strings.TrimSpace(left), strings.TrimSpace(right)
		// The usual order is column=field; field=column is accepted too.
		if f, ok := kind.field(right); ok {
			m.Columns[f.Key] = left
		} else if f, ok := kind.field(left); ok {
			m.Columns[f.Key] = right
		} else {
			return m, errs.E(errs.Invalid, "“%s”中没有%s的字段，可用字段：%s", part, kind.Label, kind.fieldList())
		}
	}
	return m, nil
}

func (k ImportKind) field(s string) (Field, bool) {
	for _, f := range k.Fields {
		if f.Key == s || f.Label == s {
			return f, true
		}
	}
	return Field{}, false
}

func (k ImportKind) fieldList() string {
	var b []string
	for _, f := range k.Fields {
		b = append(b, f.Key+"（"+f.Label+"）")
	}
	return strings.Join(b, "、")
}

// Suggest proposes a mapping for a file's header: each field takes the
// first column whose name is one of its aliases (ignoring case and spaces).
func Suggest(kind ImportKind, header []string) Mapping {
	m := Mapping{Columns: map[string]string{}}
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) }
	for _, f := range kind.Fields {
		for _, a := range append([]string{f.Label, f.Key}, f.Aliases...) {
			for _, h := range header {
				if norm(h) == norm(a) {
					m.Columns[f.Key] = h
					break
				}
			}
			if m.Columns[f.Key] != "" {
				break
			}
		}
	}
	return m
}

// DetectEncoding guesses a file's encoding from its first bytes: UTF-8 when
// they are valid UTF-8, otherwise GB18030 (what Excel on a Chinese Windows
// writes).
func DetectEncoding(sample []byte) string {
	// A sample may end inside a character: drop up to three trailing bytes.
	for i := 0; i < 4 && len(sample) > 0; i++ {
		if utf8.Valid(sample) {
			return "utf-8"
		}
		sample = sample[:len(sample)-1]
	}
	return "gb18030"
}

// RowError is a row that could not be read: its line number and why.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("第 %d 行：%s", e.Line, e.Reason) }

// CDR is one call-detail record: a call offered to the hotline.
type CDR struct {
	CallID    string
	StartedAt time.Time
	Answered  bool
	WaitSecs  int64
	TalkSecs  int64
	Agent     string
}

// PostRow is a post read from a file, before its account is looked up.
type PostRow struct {
	Platform, Account string
	Post              Post
}

// FollowersRow is a follower count read from a file.
type FollowersRow struct {
	Platform, Account string
	Followers         Followers
}

// VisitRow is a day's visits to a page group.
type VisitRow struct {
	Day   string
	Group string
	Hits  int64
}

// Reader reads an import file row by row.
type Reader struct {
	Kind   ImportKind
	Header []string

	m         Mapping
	cr        *csv.Reader
	idx       map[string]int
	answered  map[string]bool
	abandoned map[string]bool
	count     *countingReader
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// NewReader starts reading a file: it reads the header and checks that
// every required field is mapped to a column the file has.
func NewReader(kind ImportKind, m Mapping, src io.Reader) (*Reader, error) {
	cnt := &countingReader{r: src}
	var r io.Reader = bufio.NewReaderSize(cnt, 64<<10)
	switch strings.ToLower(m.Encoding) {
	case "", "utf-8", "utf8":
	case "gb18030", "gbk", "gb2312":
		r = simplifiedchinese.GB18030.NewDecoder().Reader(r)
	default:
		return nil, errs.FieldError("encoding", "不支持的文件编码“%s”：应为 UTF-8 或 GB18030（GBK）", m.Encoding)
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errs.E(errs.Invalid, "文件是空的：第 1 行应为列名")
	}
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "第 1 行（列名）无法读取：%s", csvReason(err))
	}
	rd := &Reader{Kind: kind, m: m, cr: cr, idx: map[string]int{}, count: cnt}
	rd.Header = make([]string, len(head))
	pos := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(h)
		rd.Header[i] = h
		if _, dup := pos[h]; !dup {
			pos[h] = i
		}
	}
	var f errs.Fields
	for _, fl := range kind.Fields {
		col := strings.TrimSpace(m.Columns[fl.Key])
		if col == "" {
			if fl.Required {
				f.Add("col_"+fl.Key, "请为“%s”选择对应的列", fl.Label)
			}
			continue
		}
		i, ok := pos[col]
		if !ok {
			f.Add("col_"+fl.Key, "文件中没有名为“%s”的列（“%s”）", col, fl.Label)
			continue
		}
		rd.idx[fl.Key] = i
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if kind.Key == ImportCDR {
		rd.answered, rd.abandoned = valueSet(m.Answered, DefaultAnswered), valueSet(m.Abandoned, DefaultAbandoned)
		for v := range rd.answered {
			if rd.abandoned[v] {
				return nil, errs.FieldError("answered", "取值“%s”同时出现在“接通”和“放弃”中", v)
			}
		}
	}
	return rd, nil
}

func valueSet(vals, def []string) map[string]bool {
	if len(vals) == 0 {
		vals = def
	}
	out := map[string]bool{}
	for _, v := range vals {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			out[v] = true
		}
	}
	return out
}

// ReadHeader reads the first line of a file (the column names), in the
// given encoding ("" for UTF-8).
func ReadHeader(src io.Reader, encoding string) ([]string, error) {
	var r io.Reader = src
	if e := strings.ToLower(encoding); e == "gb18030" || e == "gbk" || e == "gb2312" {
		r = simplifiedchinese.GB18030.NewDecoder().Reader(src)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "无法读取文件的第 1 行（列名）")
	}
	for i := range head {
		head[i] = strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))
	}
	return head, nil
}

// Overlay returns m with the columns of o replacing its own.
func (m Mapping) Overlay(o Mapping) Mapping {
	out := m
	out.Columns = map[string]string{}
	for k, v := range m.Columns {
		out.Columns[k] = v
	}
	for k, v := range o.Columns {
		out.Columns[k] = v
	}
	return out
}

// BytesRead is how far into the (undecoded) file the reader has got.
func (r *Reader) BytesRead() int64 { return r.count.n }

// Next reads the next row. It returns the row's line and its record (a CDR,
// Call, PostRow, FollowersRow or VisitRow); a RowError when the row is bad
// (reading may go on); io.EOF at the end; or another error when the file
// cannot be read further.
func (r *Reader) Next() (line int, rec any, err error) {
	fields, err := r.cr.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine {
				// An unclosed quote swallows the rest of the file: the
				// reader cannot resynchronise, so the file stops here.
				return pe.StartLine, nil, RowError{Line: pe.StartLine, Reason: "引号未闭合，之后的内容无法读取：" + csvReason(err)}
			}
			return pe.StartLine, nil, RowError{Line: pe.StartLine, Reason: csvReason(err)}
		}
		return 0, nil, errs.Wrap(errs.Invalid, err, "文件读取失败")
	}
	line, _ = r.cr.FieldPos(0)
	if len(fields) != len(r.Header) {
		return line, nil, RowError{Line: line, Reason: fmt.Sprintf("有 %d 列，列名行有 %d 列", len(fields), len(r.Header))}
	}
	rec, reason := r.parse(fields)
	if reason != "" {
		return line, nil, RowError{Line: line, Reason: reason}
	}
	return line, rec, nil
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return "未加引号的字段中出现了引号"
		case errors.Is(pe.Err, csv.ErrQuote):
			return "引号未正确闭合"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

func (r *Reader) get(fields []string, key string) string {
	i, ok := r.idx[key]
	if !ok {
		return ""
	}
	return strings.TrimSpace(fields[i])
}

func (r *Reader) parse(fields []string) (any, string) {
	g := func(k string) string { return r.get(fields, k) }
	switch r.Kind.Key {
	case ImportCDR:
		var c CDR
		c.CallID = g("call_id")
		if c.CallID == "" {
			return nil, "呼叫编号为空"
		}
		if utf8.RuneCountInString(c.CallID) > 64 {
			return nil, "呼叫编号超过 64 个字符"
		}
		t, err := ParseTime(g("started_at"))
		if err != nil {
			return nil, fmt.Sprintf("来电时间“%s”无法识别，应为 2024-03-15 09:30:00", g("started_at"))
		}
		c.StartedAt = t
		out := strings.ToLower(g("outcome"))
		switch {
		case r.answered[out]:
			c.Answered = true
		case r.abandoned[out]:
		default:
			return nil, fmt.Sprintf("呼叫结果“%s”无法识别：请在导入页面说明它表示接通还是放弃", g("outcome"))
		}
		if c.WaitSecs, err = ParseDuration(g("wait")); err != nil {
			return nil, fmt.Sprintf("排队时长“%s”无法识别，应为秒数或 时:分:秒", g("wait"))
		}
		if c.TalkSecs, err = ParseDuration(g("talk")); err != nil {
			return nil, fmt.Sprintf("通话时长“%s”无法识别，应为秒数或 时:分:秒", g("talk"))
		}
		if !c.Answered && c.TalkSecs > 0 {
			return nil, fmt.Sprintf("呼叫结果为放弃，但通话时长为 %d 秒", c.TalkSecs)
		}
		c.Agent = g("agent")
		if utf8.RuneCountInString(c.Agent) > 64 {
			return nil, "坐席工号超过 64 个字符"
		}
		return c, ""
	case ImportCalls:
		c := Call{Channel: g("channel"), CallerType: g("caller_type"), Topic: g("topic"), Question: g("question"),
			Answer: g("answer"), AgentName: g("agent"), Transferred: g("transferred"), CallID: g("call_id")}
		if c.Channel == "" {
			c.Channel = "phone"
		}
		if c.CallerType == "" {
			c.CallerType = "unknown"
		}
		t, err := ParseTime(g("at"))
		if err != nil {
			return nil, fmt.Sprintf("来电时间“%s”无法识别，应为 2024-03-15 09:30:00", g("at"))
		}
		c.At = t
		rating, ok := ParseRating(g("rating"))
		if !ok {
			return nil, fmt.Sprintf("满意度评价“%s”无法识别，应为 1–5 或 非常满意、满意、基本满意、不满意、非常不满意", g("rating"))
		}
		c.Rating = rating
		if err := ValidateCall(&c); err != nil {
			return nil, formReason(err)
		}
		return c, ""
	case ImportPosts:
		p := PostRow{Platform: g("platform"), Account: g("account"),
			Post: Post{AccountID: -1, Kind: g("kind"), Day: g("day"), Title: g("title"), Column: g("column"), URL: g("url")}}
		if k, ok := ParsePlatform(p.Platform); ok {
			p.Platform = k
		} else {
			return nil, fmt.Sprintf("平台“%s”无法识别，应为 %s", p.Platform, labels(Platforms))
		}
		if p.Account == "" {
			return nil, "账号名称为空"
		}
		if err := ValidatePost(&p.Post); err != nil {
			return nil, formReason(err)
		}
		return p, ""
	case ImportFollowers:
		x := FollowersRow{Platform: g("platform"), Account: g("account"), Followers: Followers{AccountID: -1, Day: g("day")}}
		if k, ok := ParsePlatform(x.Platform); ok {
			x.Platform = k
		} else {
			return nil, fmt.Sprintf("平台“%s”无法识别，应为 %s", x.Platform, labels(Platforms))
		}
		if x.Account == "" {
			return nil, "账号名称为空"
		}
		n, err := parseCount(g("count"))
		if err != nil {
			return nil, fmt.Sprintf("关注人数“%s”应为非负整数", g("count"))
		}
		x.Followers.Count = n
		if err := ValidateFollowers(&x.Followers); err != nil {
			return nil, formReason(err)
		}
		return x, ""
	case ImportVisits:
		v := VisitRow{Day: g("day"), Group: "other"}
		t, err := parseDate(v.Day)
		if err != nil {
			return nil, fmt.Sprintf("日期“%s”格式不正确，应为 2024-03-15", v.Day)
		}
		v.Day = t.Format("2006-01-02")
		if s := g("group"); s != "" {
			k, ok := ParsePageGroup(s)
			if !ok {
				return nil, fmt.Sprintf("栏目分组“%s”无法识别，应为 %s", s, labels(PageGroups))
			}
			v.Group = k
		}
		if v.Hits, err = parseCount(g("hits")); err != nil {
			return nil, fmt.Sprintf("访问量“%s”应为非负整数", g("hits"))
		}
		return v, ""
	}
	return nil, "未知的导入类型"
}

func formReason(err error) string {
	var fe *errs.FormError
	if errors.As(err, &fe) {
		var b []string
		for _, f := range fe.Fields {
			b = append(b, f.Message)
		}
		return strings.Join(b, "；")
	}
	return errs.MessageOf(err)
}

func parseCount(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New("not a count")
	}
	return n, nil
}

// ParseTime reads a time as telephony and ticket systems write it. A time
// without a zone is Beijing time.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	var err error
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006/01/02 15:04:05", "2006/1/2 15:04:05",
		"2006-01-02 15:04", "2006/1/2 15:04", "2006-1-2 15:04:05", "2006-1-2 15:04", "20060102150405"} {
		var t time.Time
		if t, err = time.ParseInLocation(layout, s, Shanghai); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// ParseDuration reads a duration in whole seconds: "95", "1:35" or
// "00:01:35". Empty is 0.
func ParseDuration(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, errors.New("bad duration")
	}
	var total int64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || (i > 0 && n >= 60) {
			return 0, errors.New("bad duration")
		}
		total = total*60 + n
	}
	return total, nil
}

// MaxReportedErrors is how many bad rows an import lists by line; the rest
// are counted.
const MaxReportedErrors = 1000

// Result is the outcome of an import.
type Result struct {
	ImportID   int64
	Kind       string
	Mode       string
	State      string // done, rejected (ModeAll with bad rows), failed
	Rows       int64  // data rows read
	Imported   int64  // rows added
	Duplicates int64  // good rows already on record (the same call id, post, day…), skipped
	Bad        int64  // rows that could not be read
	Errors     []RowError
	Elapsed    time.Duration
}

// AddError records a bad row.
func (r *Result) AddError(e RowError) {
	r.Bad++
	if len(r.Errors) < MaxReportedErrors {
		r.Errors = append(r.Errors, e)
	}
}

// SortErrors orders the reported errors by line.
func (r *Result) SortErrors() {
	sort.SliceStable(r.Errors, func(i, j int) bool { return r.Errors[i].Line < r.Errors[j].Line })
}

// RowsPerSecond is the import's speed.
func (r Result) RowsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Rows) / r.Elapsed.Seconds()
}

// Import states.
const (
	ImportRunning  = "running"
	ImportDone     = "done"
	ImportRejected = "rejected"
	ImportFailed   = "failed"
)

// ImportStates name the states.
var ImportStates = []Choice{{ImportRunning, "导入中"}, {ImportDone, "已完成"}, {ImportRejected, "有错误，未导入"}, {ImportFailed, "失败，已撤销"}}

// ImportStateLabel names a state.
func ImportStateLabel(s string) string { return labelOf(ImportStates, s) }

// Progress is reported while an import runs.
type Progress struct {
	Pass      int // 1 checks every row (ModeAll), 2 imports
	Rows      int64
	Bad       int64
	BytesRead int64
	BytesAll  int64 // 0 when unknown
}

// Preview reads the first n rows after the header, as text, for the
// mapping page to show what the columns hold.
func Preview(src io.Reader, encoding string, n int) ([][]string, error) {
	var r io.Reader = src
	if e := strings.ToLower(encoding); e == "gb18030" || e == "gbk" || e == "gb2312" {
		r = simplifiedchinese.GB18030.NewDecoder().Reader(src)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	if _, err := cr.Read(); err != nil {
		return nil, err
	}
	var out [][]string
	for len(out) < n {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		out = append(out, rec)
	}
	return out, nil
}
