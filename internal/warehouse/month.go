package warehouse

import "time"

// MonthIndex is the integer month index the helper columns (<field>_mi)
// hold: year*12 + month - 1. Differences of month indexes are whole months
// on every dialect, with no date functions.
func MonthIndex(year int, month time.Month) int { return year*12 + int(month) - 1 }

// YMToIndex turns a period YYYYMM into a month index.
func YMToIndex(ym int) int { return (ym/100)*12 + ym%100 - 1 }

// IndexToYM turns a month index into a period YYYYMM.
func IndexToYM(mi int) int { return (mi/12)*100 + mi%12 + 1 }
