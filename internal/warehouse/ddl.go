package warehouse

import (
	"context"
	"fmt"
	"strings"
)

// CreateSchema creates every warehouse table that does not exist yet.
// Keys and indexes are created on PostgreSQL and MySQL only: DuckDB scans
// columns and its ART indexes would slow a bulk load of tens of millions
// of contribution rows for no gain in the rules.
func (e *Engine) CreateSchema(ctx context.Context) error {
	for _, t := range Tables() {
		for _, stmt := range e.createStatements(t) {
			if _, err := e.DB.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("warehouse: create %s: %w", t.Name, err)
			}
		}
	}
	return nil
}

func (e *Engine) createStatements(t Table) []string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS ")
	b.WriteString(t.Name)
	b.WriteString(" (")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name + " " + c.Type)
		if !c.Null {
			b.WriteString(" NOT NULL")
		}
	}
	if len(t.Key) > 0 && e.Dialect != DuckDB {
		b.WriteString(", PRIMARY KEY (" + strings.Join(t.Key, ", ") + ")")
	}
	if e.Dialect == MySQL {
		// Inline, so that a rerun is covered by the table's IF NOT EXISTS
		// (MySQL 8 has no CREATE INDEX IF NOT EXISTS).
		for _, ix := range t.Indexes {
			b.WriteString(", INDEX " + indexName(t, ix) + " (" + strings.Join(ix, ", ") + ")")
		}
	}
	b.WriteString(")")
	if e.Dialect == MySQL {
		b.WriteString(" DEFAULT CHARSET=utf8mb4")
	}
	out := []string{b.String()}
	if e.Dialect == Postgres {
		for _, ix := range t.Indexes {
			out = append(out, "CREATE INDEX IF NOT EXISTS "+indexName(t, ix)+" ON "+t.Name+" ("+strings.Join(ix, ", ")+")")
		}
	}
	return out
}

func indexName(t Table, cols []string) string { return t.Name + "_" + strings.Join(cols, "_") }

// DropSchema drops every warehouse table (tests and re-generation).
func (e *Engine) DropSchema(ctx context.Context) error {
	for _, t := range Tables() {
		if _, err := e.DB.ExecContext(ctx, "DROP TABLE IF EXISTS "+t.Name); err != nil {
			return fmt.Errorf("warehouse: drop %s: %w", t.Name, err)
		}
	}
	return nil
}

// Truncate empties every warehouse table. DuckDB and the others all take
// DELETE without a WHERE; TRUNCATE is not transactional on MySQL.
func (e *Engine) Truncate(ctx context.Context) error {
	for _, t := range Tables() {
		if _, err := e.DB.ExecContext(ctx, "DELETE FROM "+t.Name); err != nil {
			return fmt.Errorf("warehouse: empty %s: %w", t.Name, err)
		}
	}
	return nil
}
