package desk

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// SampleHeader is the header of the sample CDR files WriteSampleCDR writes,
// as a typical call-centre export names its columns.
var SampleHeader = []string{"呼叫编号", "来电时间", "主叫号码", "呼叫结果", "排队时长", "通话时长", "坐席工号"}

// SampleMapping maps SampleHeader to the CDR fields. The caller's number
// is deliberately not mapped: the desk never stores it.
func SampleMapping() Mapping {
	return Mapping{Columns: map[string]string{
		"call_id": "呼叫编号", "started_at": "来电时间", "outcome": "呼叫结果",
		"wait": "排队时长", "talk": "通话时长", "agent": "坐席工号",
	}}
}

// WriteSampleCDR writes n call-detail records spread over a year, as a
// telephony system would export them: deterministic for a seed, with about
// 0.7% of calls abandoned. It streams: memory does not grow with n.
func WriteSampleCDR(w io.Writer, n int, year int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	from, to := YearRange(year)
	span := to.Sub(from)
	if _, err := bw.WriteString("呼叫编号,来电时间,主叫号码,呼叫结果,排队时长,通话时长,坐席工号\n"); err != nil {
		return err
	}
	step := span / time.Duration(n+1)
	buf := make([]byte, 0, 128)
	for i := 0; i < n; i++ {
		t := from.Add(step*time.Duration(i) + time.Duration(rng.Int64N(int64(step)+1))).In(Shanghai)
		answered := rng.IntN(1000) >= 7
		buf = buf[:0]
		buf = append(buf, "C"...)
		buf = strconv.AppendInt(buf, int64(year), 10)
		buf = append(buf, '-')
		buf = append(buf, fmt.Sprintf("%08d", i+1)...)
		buf = append(buf, ',')
		buf = t.AppendFormat(buf, "2006-01-02 15:04:05")
		buf = append(buf, ",1"...)
		buf = append(buf, fmt.Sprintf("%02d%08d", 30+rng.IntN(60), rng.IntN(100000000))...)
		if answered {
			buf = append(buf, ",接通,"...)
			buf = strconv.AppendInt(buf, int64(2+rng.IntN(40)), 10)
			buf = append(buf, ',')
			talk := 40 + rng.IntN(400)
			buf = append(buf, fmt.Sprintf("%02d:%02d:%02d", talk/3600, talk/60%60, talk%60)...)
			buf = append(buf, ",8"...)
			buf = append(buf, fmt.Sprintf("%03d", rng.IntN(24)+1)...)
		} else {
			buf = append(buf, ",放弃,"...)
			buf = strconv.AppendInt(buf, int64(5+rng.IntN(90)), 10)
			buf = append(buf, ",0,"...)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}
