package connect

import (
	"slices"
	"testing"
)

func TestKinds(t *testing.T) {
	want := []string{"postgres", "kingbase", "opengauss", "mysql", "mariadb", "oceanbase", "tidb", "doris", "starrocks",
		"sqlite", "duckdb", "oracle", "sqlserver", "sftp", "ftp", "hdfs", "rest", "soap"}
	var got []string
	for _, k := range Kinds() {
		got = append(got, k.Kind)
		if k.Label == "" || k.LabelEN == "" || k.Driver == "" || len(k.Fields) == 0 {
			t.Errorf("%s: incomplete %+v", k.Kind, k)
		}
		switch k.Family {
		case FamilySQL:
			if k.Dialect == "" {
				t.Errorf("%s: sql kind without dialect", k.Kind)
			}
			if k.DefaultPort == 0 && k.Kind != "sqlite" && k.Kind != "duckdb" {
				t.Errorf("%s: no default port", k.Kind)
			}
		case FamilyFile:
			if k.DefaultPort == 0 {
				t.Errorf("%s: no default port", k.Kind)
			}
		case FamilyAPI:
			if !slices.Contains(k.Fields, "options.url") {
				t.Errorf("%s: api kind without url field", k.Kind)
			}
		default:
			t.Errorf("%s: family %q", k.Kind, k.Family)
		}
		if l, ok := Lookup(k.Kind); !ok || l.Kind != k.Kind {
			t.Errorf("Lookup(%s) = %v, %v", k.Kind, l, ok)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("kinds = %v, want %v", got, want)
	}
	if _, ok := Lookup("db2"); ok {
		t.Error("Lookup(db2) found a kind")
	}
	// The table is constant: changing a copy changes nothing.
	k, _ := Lookup("postgres")
	k.Fields[0] = "changed"
	Kinds()[0].Fields[0] = "changed"
	if k2, _ := Lookup("postgres"); k2.Fields[0] != "host" {
		t.Error("Lookup handed out the table's own slice")
	}
	for kind, dialect := range map[string]string{"kingbase": DialectPostgres, "opengauss": DialectPostgres, "doris": DialectMySQL, "tidb": DialectMySQL, "oracle": DialectOracle, "sqlserver": DialectSQLServer} {
		if k, _ := Lookup(kind); k.Dialect != dialect {
			t.Errorf("%s dialect = %s", kind, k.Dialect)
		}
	}
}
