package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gongkai/internal/annual"
)

const reportUsageText = `用法：
  gongkai report check [--json] 文件...
      读取已发布的政府信息公开工作年度报告（PDF、DOCX、HTML 网页，或从中提取的文本），
      按国办公开办函〔2021〕30号的格式读出表二、表三、表四，检查其中的错误。
      --json  每个文件输出一份 gongkai.annual-report/v1 文档（多个文件时为数组）；
              不加时输出中文摘要。同一单位相邻两年的报告一并检查时，后一年另查跨年规则。
  gongkai report check --csv 目录|ZIP
      检查目录（含子目录）或 ZIP 压缩包中所有 .txt .html .htm .docx .pdf 报告，每份报告输出一行 CSV：
      file,unit,year,template,received,total_handled,carried_forward,errors,warnings,rules,read_error,
      form,unreadable,fail,doubt,unknown
      读不出的文件在 read_error 栏写明原因（unreadable 为 1），其余文件照常检查；
      form 为读出的形式（text、html、docx、pdf），fail、doubt、unknown 为不通过、存疑、无法判断的问题数。

退出码：0 文件都已读出（无论有无问题）；2 用法错误，或有文件不是可读的年度报告（原因见标准错误）。
`

// reportMaxFile bounds the size of a report file read into memory.
const reportMaxFile = annual.MaxFile

// reportCmd runs "gongkai report ...": check reads published annual reports and
// finds their errors. It returns the exit code.
func reportCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, reportUsageText)
		return 2
	}
	switch args[0] {
	case "check":
		return reportCheck(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, reportUsageText)
		return 0
	}
	fmt.Fprintf(stderr, "gongkai report：未知的子命令“%s”。\n\n%s", args[0], reportUsageText)
	return 2
}

// reportDoc is one file and what was read from it.
type reportDoc struct {
	name   string
	report *annual.Report
	err    error
}

func reportCheck(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("gongkai report check", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	asJSON := fset.Bool("json", false, "输出 JSON")
	csvDir := fset.String("csv", "", "检查目录或 ZIP 文件，输出 CSV 汇总")
	files, err := reportParseArgs(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, reportUsageText)
		return 0
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "gongkai report check：%s\n\n%s", msg, reportUsageText)
		return 2
	}
	switch {
	case err != nil:
		return usage(reportFlagError(err))
	case *csvDir != "" && *asJSON:
		return usage("--csv 与 --json 不能同时使用。")
	case *csvDir != "" && len(files) > 0:
		return usage("--csv 只接受一个目录或 ZIP 文件，不能再列出文件。")
	case *csvDir == "" && len(files) == 0:
		return usage("请给出要检查的年度报告文件。")
	}
	if *csvDir != "" {
		return reportCSV(*csvDir, stdout, stderr)
	}

	docs := make([]*reportDoc, 0, len(files))
	failed := false
	for _, name := range files {
		d := reportRead(name)
		if d.err != nil {
			fmt.Fprintf(stderr, "gongkai report check：%s：%v\n", name, d.err)
			failed = true
			continue
		}
		docs = append(docs, d)
	}
	reportYears(docs)

	if *asJSON {
		var v any
		switch len(docs) {
		case 0:
		case 1:
			if len(files) == 1 {
				v = docs[0].report
			} else {
				v = []*annual.Report{docs[0].report}
			}
		default:
			all := make([]*annual.Report, len(docs))
			for i, d := range docs {
				all[i] = d.report
			}
			v = all
		}
		if v != nil {
			b, err := reportJSON(v)
			if err != nil {
				fmt.Fprintf(stderr, "gongkai report check：无法输出 JSON：%v\n", err)
				return 1
			}
			stdout.Write(b)
		}
	} else {
		for i, d := range docs {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			reportSummary(stdout, d)
		}
	}
	if failed {
		return 2
	}
	return 0
}

// reportParseArgs parses flags given before, between or after the files.
func reportParseArgs(fset *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		args = fset.Args()
		if len(args) == 0 {
			return files, nil
		}
		files = append(files, args[0])
		args = args[1:]
	}
}

// reportFlagError says in Chinese what the flag package found wrong.
func reportFlagError(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return "未知的选项 " + strings.TrimPrefix(msg, "flag provided but not defined: ") + "。"
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "选项 " + strings.TrimPrefix(msg, "flag needs an argument: ") + " 需要一个值。"
	}
	return "参数有误（" + msg + "）。"
}

// reportRead reads and checks one file.
func reportRead(name string) *reportDoc {
	d := &reportDoc{name: name}
	st, err := os.Stat(name)
	switch {
	case err != nil:
		d.err = errors.New("文件不存在或无法打开")
		return d
	case st.IsDir():
		d.err = errors.New("这是一个目录，不是文件（检查目录请用 --csv）")
		return d
	case st.Size() > reportMaxFile:
		d.err = annual.ErrFileTooLarge
		return d
	}
	data, err := os.ReadFile(name)
	if err != nil {
		d.err = errors.New("文件无法读取")
		return d
	}
	return reportCheckData(name, data)
}

// reportCheckData reads and checks the content of one file.
func reportCheckData(name string, data []byte) *reportDoc {
	d := &reportDoc{name: name}
	r, err := annual.Read(data, name)
	if err != nil {
		d.err = err
		return d
	}
	r.Findings = annual.Check(r)
	d.report = r
	return d
}

// reportYears applies the rules across years (YEAR.CARRY, YEAR.IN_FORCE) to
// every report whose unit's previous year was read in the same run.
func reportYears(docs []*reportDoc) {
	var rs []*annual.Report
	for _, d := range docs {
		rs = append(rs, d.report)
	}
	annual.CheckAcrossYears(rs)
}

var reportScalarArray = regexp.MustCompile(`\[\s*(?:-?\d+|null|"[a-z_]*")(?:,\s*(?:-?\d+|null|"[a-z_]*"))*\s*\]`)

// reportJSON indents a document, keeping arrays of numbers on one line.
func reportJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return reportScalarArray.ReplaceAllFunc(b.Bytes(), func(m []byte) []byte {
		fields := strings.FieldsFunc(string(m[1:len(m)-1]), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
		return []byte("[" + strings.Join(fields, ", ") + "]")
	}), nil
}

// reportSummary writes a readable Chinese summary of one report.
func reportSummary(w io.Writer, d *reportDoc) {
	r := d.report
	unit, year := r.Unit, "年度未识别"
	if unit == "" {
		unit = "（未识别单位）"
	}
	if r.Year != 0 {
		year = strconv.Itoa(r.Year) + "年度"
	}
	fmt.Fprintf(w, "%s %s（%s）\n", unit, year, d.name)
	if r.Title != "" {
		fmt.Fprintf(w, "  标题：%s\n", r.Title)
	}
	if r.Template == annual.Template2019 {
		fmt.Fprintln(w, "  格式：2019年试行格式")
	} else {
		fmt.Fprintln(w, "  格式：2021年格式（国办公开办函〔2021〕30号）")
	}
	if t := r.Table2; t != nil {
		fees := "空"
		if t.FeesWanYuan != nil {
			fees = *t.FeesWanYuan + "万元"
		}
		fmt.Fprintf(w, "  表二：规章 制发%s 废止%s 现行有效%s；行政规范性文件 制发%s 废止%s 现行有效%s；行政许可%s；行政处罚%s；行政强制%s；行政事业性收费%s\n",
			reportCell(t.Regulations.Issued), reportCell(t.Regulations.Abolished), reportCell(t.Regulations.InForce),
			reportCell(t.NormativeDocuments.Issued), reportCell(t.NormativeDocuments.Abolished), reportCell(t.NormativeDocuments.InForce),
			reportCell(t.LicensingDecisions), reportCell(t.PenaltyDecisions), reportCell(t.EnforcementDecisions), fees)
	} else {
		fmt.Fprintln(w, "  表二：未读出")
	}
	t3 := &r.Table3
	total := func(k annual.RowKey) string {
		if t3.Row(k) == nil {
			return "未列"
		}
		return reportCell(t3.Get(k, annual.ColTotal))
	}
	groups := []struct {
		name string
		from annual.RowKey
		to   annual.RowKey
	}{
		{"予以公开", annual.RowDisclosed, annual.RowDisclosed},
		{"部分公开", annual.RowPartlyDisclosed, annual.RowPartlyDisclosed},
		{"不予公开", annual.RowWithheldStateSecret, annual.RowWithheldInquiryMatters},
		{"无法提供", annual.RowUnavailableNotHeld, annual.RowUnavailableStillUnclear},
		{"不予处理", annual.RowNotProcessedPetition, annual.RowNotProcessedConfirmation},
		{"其他处理", annual.RowOtherNoCorrection, annual.RowOtherOther},
	}
	var parts []string
	for _, g := range groups {
		sum, in := 0, false
		for _, spec := range annual.Table3Rows {
			if spec.Key == g.from {
				in = true
			}
			if in {
				sum += t3.Get(spec.Key, annual.ColTotal).Int()
			}
			if spec.Key == g.to {
				break
			}
		}
		parts = append(parts, fmt.Sprintf("%s%d", g.name, sum))
	}
	fmt.Fprintf(w, "  表三：本年新收%s件，上年结转%s件，办理完结%s件（%s），结转下年度%s件\n",
		total(annual.RowReceived), total(annual.RowCarriedOver), total(annual.RowTotalHandled),
		strings.Join(parts, "，"), total(annual.RowCarriedForward))
	if t4 := r.Table4; t4 != nil {
		fmt.Fprintf(w, "  表四：行政复议%s件，行政诉讼%d件（未经复议直接起诉%s件，复议后起诉%s件）\n",
			reportCell(t4.Reconsideration.Total),
			t4.LitigationDirect.Total.Int()+t4.LitigationAfterReconsideration.Total.Int(),
			reportCell(t4.LitigationDirect.Total), reportCell(t4.LitigationAfterReconsideration.Total))
	} else {
		fmt.Fprintln(w, "  表四：未读出")
	}
	errs, warns := reportCount(r.Findings)
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, "  检查结果：未发现问题")
		return
	}
	fmt.Fprintf(w, "  检查结果：%d个错误，%d个提示\n", errs, warns)
	for _, f := range r.Findings {
		sev := "提示"
		if f.Severity == annual.Error {
			sev = "错误"
		}
		fmt.Fprintf(w, "    %s %s（%s）：%s\n", sev, f.Rule, f.Where, f.Message)
	}
}

func reportCell(c annual.Cell) string {
	if !c.Valid {
		return "空"
	}
	return strconv.Itoa(c.Value)
}

func reportCount(findings []annual.Finding) (errs, warns int) {
	for _, f := range findings {
		if f.Severity == annual.Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

// reportIsTerminal reports whether w is a terminal, where a progress bar may
// be drawn.
func reportIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func reportProgress(w io.Writer, done, total int) {
	const width = 30
	filled := width
	if total > 0 {
		filled = done * width / total
	}
	fmt.Fprintf(w, "\r检查中 [%s%s] %d/%d", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
}
