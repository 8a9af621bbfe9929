package requests

import (
	"fmt"
	"strings"

	"gongkai/internal/errs"
)

// This file applies 条例第四十二条 and 《政府信息公开信息处理费管理办法》
// (国办函〔2020〕109号): information is free in principle; a fee is due
// only when one applicant's requests clearly exceed a reasonable number or
// volume, charged per request OR per page — never both on one request — and
// rising progressively. The bands are data (FeeBands), the defaults those of
// 109号.

// FeeBasis is how a fee is computed (109号第三条: 按件计收 or 按量计收).
type FeeBasis string

// The two bases; one request is charged on one basis only.
const (
	PerRequest FeeBasis = "per_request" // 按件计收
	PerPage    FeeBasis = "per_page"    // 按量计收
)

// Band charges Yuan for each unit numbered From … To (To 0: no upper end).
type Band struct {
	From, To int
	Yuan     int
}

// FeeBands are the bands of 109号.
type FeeBands struct {
	// PerRequest: the applicant's requests in one calendar month, numbered
	// in order: 1–10 free; 11–30 100元 each; then each further band of 10
	// adds 100元 (31–40 200元, 41–50 300元, …): StepYuan per StepSize.
	RequestFree, RequestFirstTo, RequestFirstYuan, StepSize, StepYuan int
	// PerPage: progressive by page, 1–30 free, 31–100 10元, 101–200 20元,
	// 201 and over 40元.
	Pages []Band
}

// DefaultFeeBands are the bands of 国办函〔2020〕109号.
var DefaultFeeBands = FeeBands{
	RequestFree: 10, RequestFirstTo: 30, RequestFirstYuan: 100, StepSize: 10, StepYuan: 100,
	Pages: []Band{{1, 30, 0}, {31, 100, 10}, {101, 200, 20}, {201, 0, 40}},
}

// RequestFee is the fee for the applicant's nth request (1-based) in a
// calendar month, charged per request (按件计收).
func (b FeeBands) RequestFee(nth int) int {
	switch {
	case nth <= b.RequestFree:
		return 0
	case nth <= b.RequestFirstTo:
		return b.RequestFirstYuan
	}
	steps := (nth - b.RequestFirstTo + b.StepSize - 1) / b.StepSize
	return b.RequestFirstYuan + steps*b.StepYuan
}

// PageFee is the fee for pages pages of one request, charged per page
// (按量计收) progressively: each page is charged at its own band's rate.
func (b FeeBands) PageFee(pages int) int {
	total := 0
	for _, band := range b.Pages {
		if pages < band.From {
			break
		}
		to := pages
		if band.To != 0 && band.To < to {
			to = band.To
		}
		total += (to - band.From + 1) * band.Yuan
	}
	return total
}

// Fee computes the fee of one request on one basis. monthCount is the
// number of the applicant's requests in the calendar month including this
// one (per request); pages the volume of this request (per page).
func (b FeeBands) Fee(basis FeeBasis, monthCount, pages int) (int, error) {
	switch basis {
	case PerRequest:
		if monthCount < 1 {
			return 0, errs.FieldError("month_count", "当月申请件数应至少为1。")
		}
		return b.RequestFee(monthCount), nil
	case PerPage:
		if pages < 0 {
			return 0, errs.FieldError("pages", "页数不能为负数。")
		}
		return b.PageFee(pages), nil
	}
	return 0, errs.FieldError("fee_basis", "请选择按件计收或按量计收（同一申请不得同时按件和按量计收）。")
}

// FeeExplain states the basis and standard of a fee for the fee notice.
func (b FeeBands) FeeExplain(basis FeeBasis, monthCount, pages int) string {
	fee, err := b.Fee(basis, monthCount, pages)
	if err != nil {
		return errs.MessageOf(err)
	}
	if basis == PerRequest {
		return fmt.Sprintf("依据国办函〔2020〕109号按件计收：本自然月第%d件申请，收费%d元。", monthCount, fee)
	}
	return fmt.Sprintf("依据国办函〔2020〕109号按量计收：共%d页，累进计算收费%d元。", pages, fee)
}

// RequestStandard states the per-request standard for the fee notice, from
// the bands: 10件以内不收费；11件至30件的部分每件100元；…
func (b FeeBands) RequestStandard() string {
	return fmt.Sprintf("同一申请人一个自然月内累计申请%d件以内（含%d件）的，不收费；%d件至%d件的部分，每件%d元；%d件以上的部分，以%d件为一档，每增加一档，收费标准提高%d元/件",
		b.RequestFree, b.RequestFree, b.RequestFree+1, b.RequestFirstTo, b.RequestFirstYuan, b.RequestFirstTo+1, b.StepSize, b.StepYuan)
}

// PageStandard states the per-page standard for the fee notice, from the
// bands: 30页以内不收费；31页至100页的部分每页10元；…
func (b FeeBands) PageStandard() string {
	var parts []string
	for _, band := range b.Pages {
		switch {
		case band.Yuan == 0:
			parts = append(parts, fmt.Sprintf("%d页以内（含%d页）的，不收费", band.To, band.To))
		case band.To == 0:
			parts = append(parts, fmt.Sprintf("%d页以上的部分，每页%d元", band.From, band.Yuan))
		default:
			parts = append(parts, fmt.Sprintf("%d页至%d页的部分，每页%d元", band.From, band.To, band.Yuan))
		}
	}
	return strings.Join(parts, "；")
}
