package gateway

import "testing"

// BenchmarkShape filters and masks the benchmark's answer under its grant.
func BenchmarkShape(b *testing.B) {
	g := benchGateway(b)
	sh := g.snap.Load().Grants[GrantKey{1, 1}].Shaper
	body := []byte(benchDoc)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := sh.Shape(body); err != nil {
			b.Fatal(err)
		}
	}
}
