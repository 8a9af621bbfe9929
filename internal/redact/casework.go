package redact

import (
	"slices"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

// Editable decides whether an application's documents, marks and released
// copies may change: between the 部分公开 decision (条例第三十七条) and its
// legal review. The legal reviewer approves the decision with the released
// copies as they stand (第三十七条 and the office's review, lifecycle.go);
// once reviewed or answered they are frozen, and a new decision opens them
// again.
func Editable(st requests.State) error {
	switch {
	case st.Outcome != annual.RowPartlyDisclosed:
		return errs.E(errs.Conflict, "只有拟定“部分公开”答复的申请才需要区分处理；请先拟定答复意见。")
	case !st.AnsweredOn.IsZero():
		return errs.E(errs.Conflict, "已作出答复，区分处理的文件和标记不能再修改。")
	case st.Reviewed:
		return errs.E(errs.Conflict, "答复意见已经法制审核，区分处理的文件和标记不能再修改；如需修改，请重新拟定答复意见。")
	}
	return nil
}

// Releasable reports whether the released copies go to the applicant: after
// the answer, with the letter.
func Releasable(st requests.State) bool {
	return st.Outcome == annual.RowPartlyDisclosed && !st.AnsweredOn.IsZero()
}

// LetterParagraph is the answer letter's paragraph on the released copies
// of a 部分公开 answer: which files are provided and the grounds on which
// parts of them are withheld, each with its article (条例第三十七条; the
// grounds as 第三十六条第（三）项 requires them stated).
func LetterParagraph(files []string, grounds []Ground) string {
	if len(files) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("经区分处理，本机关向您提供以下文件：")
	for i, f := range files {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString("《" + f + "》")
	}
	b.WriteString("。其中不予公开的内容已删除，删除处注明了字数和理由")
	var parts []string
	for _, g := range Grounds {
		if slices.Contains(grounds, g.Key) {
			parts = append(parts, g.Label+"（"+g.Article+"）")
		}
	}
	if len(parts) > 0 {
		b.WriteString("，不予公开的理由为：" + strings.Join(parts, "；"))
	}
	b.WriteString("。")
	return b.String()
}
