package rules

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// text reads any column as text: drivers return periods as integers or
// strings and dates as time.Time, depending on the dialect.
type text struct{ s string }

func (t *text) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.s = ""
	case string:
		t.s = x
	case []byte:
		t.s = string(x)
	case int64:
		t.s = strconv.FormatInt(x, 10)
	case int32:
		t.s = strconv.FormatInt(int64(x), 10)
	case int16:
		t.s = strconv.FormatInt(int64(x), 10)
	case int8:
		t.s = strconv.FormatInt(int64(x), 10)
	case uint64:
		t.s = strconv.FormatUint(x, 10)
	case uint32:
		t.s = strconv.FormatUint(uint64(x), 10)
	case float64:
		t.s = strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		t.s = strconv.FormatFloat(float64(x), 'f', -1, 32)
	case time.Time:
		t.s = x.Format(time.DateOnly)
	case fmt.Stringer:
		t.s = x.String()
	default:
		t.s = fmt.Sprint(x)
	}
	return nil
}

// money reads a sum of money: DECIMAL arrives as text (PostgreSQL, MySQL),
// as a decimal value with String (DuckDB) or as a number.
type money struct{ v float64 }

func (m *money) Scan(v any) error {
	var t text
	switch x := v.(type) {
	case float64:
		m.v = round2(x)
		return nil
	case int64:
		m.v = float64(x)
		return nil
	case nil:
		m.v = 0
		return nil
	default:
		t.Scan(x)
	}
	f, err := strconv.ParseFloat(t.s, 64)
	if err != nil {
		return fmt.Errorf("rules: amount %q: %w", t.s, err)
	}
	m.v = round2(f)
	return nil
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
