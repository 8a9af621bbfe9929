package annual

import (
	"encoding/json"
	"testing"
)

// FuzzRead: no input may make Read or Check panic or hang, and whatever reads
// marshals to JSON.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"fuzhou_customs_2024.txt", "hongze_district_2023.txt", "huaian_city_2024.txt",
		"minimal_2021.txt", "minimal_2019.txt", "fuzhou_customs_2024.html"} {
		f.Add(readFile(f, name))
	}
	f.Add(seedDOCX(f))
	f.Add([]byte("三、收到和处理政府信息公开申请情况\n（七）总计\t1\n\t2\t3\n"))
	f.Add([]byte("<table><tr><td colspan=99999>一、本年新收</td><td>1</td></tr></table>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"report.txt", "report.html"} {
			r, err := Read(data, name)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				continue
			}
			r.Findings = Check(r)
			r.Findings = append(r.Findings, CheckYears(r, r)...)
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
