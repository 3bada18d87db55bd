package gateway

import (
	"encoding/json"
	"testing"
)

func TestMask(t *testing.T) {
	for _, c := range []struct{ cat, in, want string }{
		{"phone", "13812341234", "138****1234"},
		{"name", "张三丰", "张**"},
		{"id_number", "11010519491231002X", "110105********002X"},
		{"bank_card", "6228880000005676", "622888******5676"},
		{"address", "江苏省南通市崇川区青年中路1号", "江苏省南通市崇川区****"},
		{"secret", "123", "******"},
		{"phone", "12", "**"},
	} {
		if got := Mask(c.cat, c.in); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.cat, c.in, got, c.want)
		}
	}
}

func TestShape(t *testing.T) {
	api := &API{Fields: []FieldClass{{Path: "data.items[].phone", Category: "phone"}, {Path: "data.items[].name", Category: "name"}, {Path: "data.items[].aac002", Category: "id_number"}}}
	body := []byte(`{"code":0,"data":{"items":[{"name":"张三","phone":"13812341234","aac002":"11010519491231002X","salary":9000},{"name":"李四","phone":"13900001111","aac002":"110105194912310021","salary":8000}],"total":2}}`)
	g := &Grant{Fields: []string{"code", "data.items[].name", "data.items[].phone", "data.total"}, Plain: map[string]bool{"name": true}}
	out, n, err := NewShaper(api, g).Shape(body)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Code int
		Data struct {
			Items []map[string]any
			Total int
		}
	}
	json.Unmarshal(out, &v)
	if n != 2 || v.Data.Total != 2 || len(v.Data.Items) != 2 {
		t.Fatalf("records %d, body %s", n, out)
	}
	it := v.Data.Items[0]
	if it["name"] != "张三" || it["phone"] != "138****1234" {
		t.Fatalf("plain name and masked phone expected: %v", it)
	}
	if _, ok := it["aac002"]; ok {
		t.Fatal("a field not granted is still there")
	}
	if _, ok := it["salary"]; ok {
		t.Fatal("salary not granted but returned")
	}
	// No field list: every field, still masked.
	out, _, _ = NewShaper(api, &Grant{Plain: map[string]bool{}}).Shape(body)
	json.Unmarshal(out, &v)
	if v.Data.Items[1]["aac002"] != "110105********0021" || v.Data.Items[1]["name"] != "李*" {
		t.Fatalf("masking without a field list: %s", out)
	}
}

func TestShaperEdges(t *testing.T) {
	api := &API{Fields: []FieldClass{{Path: "phone", Category: "phone"}, {Path: "n", Category: "id_number"}, {Path: "[].phone", Category: "phone"}}}
	for _, c := range []struct {
		fields   []string
		in, want string
		records  int
	}{
		{nil, `{"phone":"13812341234","n":110105194912310021,"x":null}`, `{"phone":"138****1234","n":"110105********0021","x":null}`, 1},
		{[]string{"a"}, `{"a":{"b":[1,2,{"c":"d"}]},"z":{"y":1}}`, `{"a":{"b":[1,2,{"c":"d"}]}}`, 1},
		{[]string{"data[].k"}, `{"data":[{"k":1,"v":2},{"v":3}],"t":"\"q\\"}`, `{"data":[{"k":1},{}]}`, 2},
		{[]string{"k\"ey"}, `{"k\"ey":1, "other" : [ ] }`, `{"k\"ey":1}`, 1},
		{nil, ` [ {"phone":"1"} , {"phone":null} ] `, `[{"phone":"*"},{"phone":null}]`, 2},
	} {
		out, n, err := NewShaper(api, &Grant{Fields: c.fields, Plain: map[string]bool{}}).Shape([]byte(c.in))
		if err != nil || string(out) != c.want || n != c.records {
			t.Errorf("%s → %s (%d, %v), want %s (%d)", c.in, out, n, err, c.want, c.records)
		}
	}
	for _, bad := range []string{`{"a":`, `{"a" 1}`, `[1,2`, `{"a":"unterminated}`, `{} x`} {
		if _, _, err := NewShaper(api, &Grant{Plain: map[string]bool{}}).Shape([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func FuzzShape(f *testing.F) {
	f.Add([]byte(`{"data":{"items":[{"name":"张三","phone":"13812341234"}]}}`))
	f.Add([]byte(`[1,"a",{"b":null}]`))
	api := &API{Fields: []FieldClass{{Path: "data.items[].phone", Category: "phone"}}}
	sh := NewShaper(api, &Grant{Fields: []string{"data.items[].phone"}, Plain: map[string]bool{}})
	f.Fuzz(func(t *testing.T, body []byte) {
		out, _, err := sh.Shape(body)
		if err != nil {
			return
		}
		// What the shaper emits from valid JSON is valid JSON.
		if json.Valid(body) && !json.Valid(out) {
			t.Fatalf("%s → invalid %s", body, out)
		}
	})
}
