package requests

import (
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// This file is the service (送达) of the letters an application's steps
// send — the consultation of a third party or another agency (条例第三十二
// 条、第三十四条), the fee notice (条例第四十二条, 国办函〔2020〕109号) and the
// request for reasons (条例第三十五条) — whose periods run from the day the
// addressee received the letter, not from the day it went out:
//
//   - the third party or other agency has 15 working days from the day it
//     received the consultation (自收到征求意见书之日起15个工作日内);
//   - the applicant pays within 20 working days from the day after
//     receiving the fee notice (109号).
//
// The step records how the letter went (SentBy) and the day it was
// received (ServedOn). When the day is not yet known it defaults by channel
// (Settings.ServiceDays, settings requests.service_days.<channel>), and the
// default is written into the event when it is recorded, so that the
// history replays the same whatever the settings become. The defaults and
// their sources:
//
//   - in person (直接送达): the same day — the day signed for on the
//     receipt (送达回证上的签收日期, as civil procedure counts service);
//   - e-mail, fax, online (电子送达): the same day — the day it reaches the
//     addressee's system, as 条例第三十一条 counts an online or faxed
//     application received on the day both sides confirm it;
//   - registered mail (邮寄，需签收): the day on the return receipt
//     (回执上注明的收件日期); until that is recorded, an estimate of 3 days
//     (policy);
//   - ordinary mail (平常信函): an estimate of 7 days (policy: there is no
//     receipt, so the office should prefer a channel that gives one).
//
// A later step (ConsultServed) records the day on the return receipt once
// it is back.

// DefaultServiceDays are the natural days from sending to receipt assumed
// per channel when the day of receipt is not recorded.
var DefaultServiceDays = map[Channel]int{
	ChannelInPerson: 0, ChannelEmail: 0, ChannelFax: 0, ChannelOnline: 0,
	ChannelRegistered: 3, ChannelOrdinaryMail: 7,
}

// ServiceChannels are the ways a letter can go, in display order, with
// what the day of receipt is.
var ServiceChannels = []struct {
	Channel Channel
	Label   string
	Served  string
}{
	{ChannelInPerson, "直接送达", "签收之日"},
	{ChannelRegistered, "邮寄（需签收）", "回执上注明的收件日期"},
	{ChannelOrdinaryMail, "平常信函", "推定的收到之日"},
	{ChannelEmail, "电子邮件", "到达对方系统之日"},
	{ChannelFax, "传真", "对方确认收到之日"},
	{ChannelOnline, "网上告知（申请人凭查询码查看）", "发出之日"},
}

// ServiceLabel is the Chinese name of a way a letter goes.
func ServiceLabel(c Channel) string {
	for _, x := range ServiceChannels {
		if x.Channel == c {
			return x.Label
		}
	}
	return string(c)
}

// sendsLetter reports whether a step sends a letter whose receipt starts a
// period.
func sendsLetter(k Kind) bool {
	return k == ConsultStarted || k == FeeNoticed || k == ReasonsRequested
}

// WithService fills in, for a step that sends a letter, the way it went
// (in person when not said) and the day of receipt when not known, from the
// settings. The store calls it before the step is checked and recorded.
func (e Event) WithService(set Settings) Event {
	if !sendsLetter(e.Kind) {
		e.SentBy, e.ServedOn = "", calendar.Date{}
		return e
	}
	if e.SentBy == "" {
		e.SentBy = ChannelInPerson
	}
	if e.ServedOn.IsZero() && !e.On.IsZero() {
		days, ok := set.ServiceDays[e.SentBy]
		if !ok {
			days = DefaultServiceDays[e.SentBy]
		}
		e.ServedOn = e.On.AddDays(days)
	}
	return e
}

// checkService checks the way and the day of receipt of a letter.
func checkService(e Event) error {
	if _, ok := DefaultServiceDays[e.SentBy]; !ok && e.SentBy != "" {
		return errs.FieldError("sent_by", "请选择送达方式。")
	}
	if !e.ServedOn.IsZero() && e.ServedOn.Before(e.On) {
		return errs.FieldError("served_on", "收到日期不能早于发出日期（%s）。", e.On)
	}
	return nil
}

// servedOn is the day a letter was received: the recorded day, or for a
// history recorded before the day was kept, the day it went out.
func servedOn(e Event) calendar.Date {
	if e.ServedOn.IsZero() {
		return e.On
	}
	return e.ServedOn
}
