// Package redact is 区分处理 (《政府信息公开条例》第三十七条): when part of the
// information asked for may not be disclosed and can be separated, the
// agency releases the rest. A handler marks what to withhold in the text of a
// document — passages by their place, search terms and regular expressions
// (reusable per unit, like ID and mobile numbers), whole pages — each mark
// with its ground, one of the 不予公开 grounds of table 三 (第十四条至第十六条).
//
// The released copy is regenerated from the kept text alone: a new PDF, DOCX
// or text file in which every removal is a labelled box naming its ground
// and its size. Nothing of the original file is carried over — no content
// stream, font, annotation, metadata or earlier revision — so a withheld
// passage cannot survive under a black rectangle. Verify scans every part of
// a produced file for the withheld text before it is stored.
//
// A scanned page has no text layer to separate: it can only be withheld
// whole, and Apply says so when such a page is left unmarked.
//
// The package imports neither net/http nor SQL; the store keeps the marks,
// the log and the released copies (internal/store/redact.go).
package redact

import (
	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// Ground is why a mark is withheld (不予公开的理由): a withheld row of table 三.
type Ground = annual.RowKey

// GroundSpec describes one ground: its row, the article it rests on and the
// short label a removal box shows.
type GroundSpec struct {
	Key     Ground
	Article string // 条例第十四条 …
	Label   string // 保护第三方合法权益 …
}

// Grounds are the grounds a mark may carry, in table 三's order. 「行政查询事项」
// (第三十六条第（七）项) is no ground for withholding a part of a document and
// is not among them.
var Grounds = []GroundSpec{
	{annual.RowWithheldStateSecret, "条例第十四条", "属于国家秘密"},
	{annual.RowWithheldProhibitedByLaw, "条例第十四条", "法律、行政法规禁止公开"},
	{annual.RowWithheldSecurityStability, "条例第十四条", "危及“三安全一稳定”"},
	{annual.RowWithheldThirdPartyRights, "条例第十五条", "保护第三方合法权益"},
	{annual.RowWithheldInternalAffairs, "条例第十六条第一款", "属于内部事务信息"},
	{annual.RowWithheldProcessInformation, "条例第十六条第二款", "属于过程性信息"},
	{annual.RowWithheldEnforcementFiles, "条例第十六条第二款", "属于行政执法案卷信息"},
}

// GroundOf returns the ground's description, or false for a key that is no
// ground.
func GroundOf(g Ground) (GroundSpec, bool) {
	for _, s := range Grounds {
		if s.Key == g {
			return s, true
		}
	}
	return GroundSpec{}, false
}

// CheckGround refuses a key that is no ground with a field error on "ground".
func CheckGround(g Ground) error {
	if _, ok := GroundOf(g); !ok {
		return errs.FieldError("ground", "请选择不予公开的理由（条例第十四条至第十六条）。")
	}
	return nil
}
