package warehouse

import (
	"fmt"
	"strconv"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
)

// Dialect is the SQL flavour of a warehouse engine.
type Dialect string

const (
	DuckDB   Dialect = "duckdb"
	Postgres Dialect = "postgres" // also Greenplum, GaussDB DWS, Kingbase, openGauss
	MySQL    Dialect = "mysql"    // also MariaDB, Doris, StarRocks, OceanBase
)

// ParseDialect accepts the dialect names and a few common aliases.
func ParseDialect(s string) (Dialect, error) {
	switch s {
	case "", "duckdb":
		return DuckDB, nil
	case "postgres", "postgresql", "pg", "pgx":
		return Postgres, nil
	case "mysql", "mariadb", "doris", "starrocks", "oceanbase":
		return MySQL, nil
	}
	return "", fmt.Errorf("warehouse: unknown dialect %q (want duckdb, postgres or mysql)", s)
}

// Template is the dialect the SQL template engine binds for.
func (d Dialect) Template() sqltpl.Dialect {
	switch d {
	case Postgres:
		return sqltpl.Postgres
	case MySQL:
		return sqltpl.MySQL
	}
	return sqltpl.DuckDB
}

// placeholder is the driver's placeholder for the 1-based argument n.
func (d Dialect) placeholder(n int) string {
	if d == Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// maxParams bounds the placeholders of one statement: PostgreSQL and the
// MySQL protocol count them in 16 bits.
func (d Dialect) maxParams() int {
	if d == DuckDB {
		return 1 << 20
	}
	return 65535
}
