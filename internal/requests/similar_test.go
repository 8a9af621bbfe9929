package requests

import "testing"

func TestSimilarity(t *testing.T) {
	a := "请公开2024年福州海关行政处罚决定书目录"
	if s := Similarity(a, "请公开：2024年 福州海关 行政处罚决定书目录。"); s != 1 {
		t.Errorf("same content %v", s)
	}
	if s := Similarity(a, "请公开2023年福州海关行政处罚决定书目录"); s < SimilarThreshold || s == 1 {
		t.Errorf("near repeat %v", s)
	}
	if s := Similarity(a, "马尾港进口冻品检疫数据"); s > 0.1 {
		t.Errorf("unrelated %v", s)
	}
	if Similarity("", "") != 0 {
		t.Error("empty")
	}
}
