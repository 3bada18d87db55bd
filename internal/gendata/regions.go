package gendata

import (
	"fmt"
	"strconv"
)

// region is a county (区县) with its city (地市).
type region struct {
	Code string // 6-digit 行政区划代码
	City string // city name, for unit names
}

// guizhou lists real county codes of 贵州 (52): the default province.
func guizhou() []region {
	rows := []struct {
		city, name string
		codes      []string
	}{
		{"贵阳", "5201", []string{"520102", "520103", "520111", "520112", "520113", "520115", "520121", "520122", "520123", "520181"}},
		{"六盘水", "5202", []string{"520201", "520203", "520204", "520281"}},
		{"遵义", "5203", []string{"520302", "520303", "520304", "520322", "520323", "520324", "520381", "520382"}},
		{"安顺", "5204", []string{"520402", "520403", "520422"}},
		{"毕节", "5205", []string{"520502", "520521", "520523", "520524"}},
		{"铜仁", "5206", []string{"520602", "520603", "520621"}},
		{"兴义", "5223", []string{"522301", "522302"}},
		{"凯里", "5226", []string{"522601", "522622"}},
		{"都匀", "5227", []string{"522701", "522702"}},
	}
	var out []region
	for _, r := range rows {
		for _, c := range r.codes {
			out = append(out, region{Code: c, City: r.city})
		}
	}
	return out
}

// regions returns the counties of a province: the real list for 贵州,
// otherwise real-format codes (nine cities 01–09 with counties 02–05).
func regions(province string) ([]region, error) {
	if len(province) != 2 || province[0] < '1' || province[0] > '9' || province[1] < '0' || province[1] > '9' {
		return nil, fmt.Errorf("gendata: province %q: want a 2-digit code such as 52", province)
	}
	if province == "52" {
		return guizhou(), nil
	}
	var out []region
	for c := 1; c <= 9; c++ {
		for d := 2; d <= 5; d++ {
			out = append(out, region{Code: fmt.Sprintf("%s%02d%02d", province, c, d), City: "第" + strconv.Itoa(c) + "市"})
		}
	}
	return out, nil
}
