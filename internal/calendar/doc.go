// Package calendar is the statutory working-day calendar (法定工作日历) and
// the clock that statutory periods run on.
//
// Every period in 《中华人民共和国政府信息公开条例》 is counted in working
// days (工作日): 7 working days to ask for a correction (第三十条), 20 to
// answer and 20 more on extension (第三十三条), 15 for a third party
// (第三十二条), 20 to publish (第二十六条). A working day is Monday to
// Friday, minus the statutory holidays, plus the weekends the State Council
// turns into working days (调休上班) in its yearly notice
// (国务院办公厅关于XXXX年部分节假日安排的通知).
//
// The holidays are data, not code. The package embeds the notices for 2019
// through 2026 (data/holidays.csv, loaded by Default); an administrator
// extends the calendar when the next year's notice comes out, by parsing a
// file in the same format (ParseEntries) and merging it (Calendar.Merge).
// Deadlines (Calendar.AddWorkdays, Calendar.WorkdaysBetween; see
// deadline.go) explain themselves day by day (Result.Explain) and warn when
// they pass through a year whose arrangement is not on record.
//
// # Import format
//
// Holiday data is UTF-8 text, one entry per line. Blank lines and lines
// starting with # are ignored (a byte-order mark at the start is allowed).
// Each entry has four comma-separated fields, start,end,kind,name:
//
//   - start: the first day, YYYY-MM-DD.
//   - end: the last day, inclusive, YYYY-MM-DD; empty for a single day.
//   - kind: holiday (放假) or workday (调休上班).
//   - name: the holiday as the notice names it: 元旦, 春节, 清明节, 劳动节,
//     端午节, 中秋节, 国庆节, or a combined name such as 国庆节、中秋节.
//     A workday carries the name of the holiday it makes up for.
//
// For example, the 2024 National Day holiday:
//
//	# 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）
//	2024-09-29,,workday,国庆节
//	2024-10-01,2024-10-07,holiday,国庆节
//	2024-10-12,,workday,国庆节
//
// A holiday period is entered as the notice states it, weekend days
// included ("4月5日放假，与周末连休" is 04-05 to 04-07). An entry may span at
// most 31 days; a workday entry may contain only Saturdays and Sundays (a
// Monday–Friday is a working day already); a holiday entry must contain at
// least one Monday–Friday (otherwise it changes nothing and is most likely
// a 调休上班 day typed as holiday). No two entries may cover the same day.
// ParseEntries and Validate report every problem, each with its line.
//
// A year counts as covered (Calendar.Covers) when at least one holiday
// period ends in it: the 元旦 holiday of 2018-12-30 to 2019-01-01 belongs
// to the 2019 notice, and does not make 2018 covered.
package calendar
