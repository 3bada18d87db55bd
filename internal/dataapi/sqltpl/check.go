package sqltpl

import "strings"

// forbiddenWords are keywords a read-only lookup never needs. They are
// matched as whole unquoted words, so update_time or "delete" are fine.
// Statements after the first are already refused with the ";", but SQL
// Server runs "SELECT 1 DROP TABLE x" as two statements without one, and
// some of these change state from inside a SELECT (INTO, FOR UPDATE, lock
// hints), hence the list of statement verbs as well.
var forbiddenWords = map[string]string{
	// Writes. REPLACE and TRUNCATE are also MySQL/PostgreSQL functions:
	// allowed when a "(" follows (checkSafety).
	"INSERT": "write", "UPDATE": "write", "DELETE": "write", "MERGE": "write", "UPSERT": "write",
	"REPLACE": "write", "TRUNCATE": "write", "WRITETEXT": "write", "UPDATETEXT": "write",
	// Schema and privileges.
	"DROP": "ddl", "CREATE": "ddl", "ALTER": "ddl", "RENAME": "ddl",
	"GRANT": "privilege", "REVOKE": "privilege", "DENY": "privilege",
	// Data in and out of the database: SELECT … INTO makes tables or writes
	// files (INTO OUTFILE / DUMPFILE), COPY/LOAD/IMPORT/EXPORT read and write
	// files, ATTACH/INSTALL open other databases or code.
	"INTO": "file", "OUTFILE": "file", "DUMPFILE": "file", "COPY": "file", "LOAD": "file",
	"IMPORT": "file", "EXPORT": "file", "BULK": "file", "BACKUP": "file", "RESTORE": "file",
	"ATTACH": "file", "DETACH": "file", "INSTALL": "file",
	// Running other code.
	"CALL": "exec", "EXEC": "exec", "EXECUTE": "exec", "DO": "exec", "PREPARE": "exec",
	"DEALLOCATE": "exec", "HANDLER": "exec", "DECLARE": "exec", "WHILE": "exec", "PROCEDURE": "exec",
	"SETUSER": "exec",
	// Session and transaction state (the connection goes back to a pool).
	// START is allowed in Oracle's CONNECT BY … START WITH (checkSafety).
	"SET": "session", "RESET": "session", "BEGIN": "session", "START": "session", "COMMIT": "session",
	"ROLLBACK": "session", "SAVEPOINT": "session", "USE": "session", "DISCARD": "session",
	"LISTEN": "session", "UNLISTEN": "session", "NOTIFY": "session", "PRAGMA": "session",
	// Locks: LOCK TABLES / LOCK IN SHARE MODE, SQL Server lock hints;
	// FOR UPDATE is caught by UPDATE and FOR [KEY] SHARE in checkSafety.
	"LOCK": "lock", "UNLOCK": "lock", "UPDLOCK": "lock", "XLOCK": "lock", "TABLOCK": "lock",
	"TABLOCKX": "lock", "HOLDLOCK": "lock",
	// Maintenance and server control.
	"VACUUM": "admin", "ANALYZE": "admin", "CHECKPOINT": "admin", "REINDEX": "admin", "REFRESH": "admin",
	"KILL": "admin", "SHUTDOWN": "admin", "DBCC": "admin", "RECONFIGURE": "admin", "WAITFOR": "admin",
	"ENABLE": "admin", "DISABLE": "admin", "SEND": "admin", "RECEIVE": "admin",
}

// forbiddenFuncs are functions with side effects, access to files, the
// network or the operating system, locks, unbounded waits, or that run SQL
// given as a string (which would escape these checks). A name ending in "*"
// is a prefix. pkg marks Oracle packages, refused also as "name.member(".
// Matching is case-insensitive on every part of a qualified name
// (pg_catalog.pg_sleep), quoted or not.
var forbiddenFuncs = []struct {
	name string
	pkg  bool
	why  string
}{
	// Sequences and transaction ids: they write.
	{"nextval", false, "sequence"}, {"setval", false, "sequence"}, {"currval", false, "sequence"}, {"lastval", false, "sequence"},
	{"txid_current", false, "assigns a transaction id"}, {"pg_current_xact_id", false, "assigns a transaction id"},
	// Waiting: ties up a connection with no work to show for it.
	{"pg_sleep", false, "sleep"}, {"pg_sleep_for", false, "sleep"}, {"pg_sleep_until", false, "sleep"},
	{"sleep", false, "sleep"}, {"benchmark", false, "busy loop"}, {"master_pos_wait", false, "wait"},
	{"source_pos_wait", false, "wait"}, {"wait_for_executed_gtid_set", false, "wait"},
	{"wait_until_sql_thread_after_gtids", false, "wait"},
	// Server control.
	{"pg_terminate_backend", false, "server"}, {"pg_cancel_backend", false, "server"},
	{"pg_reload_conf", false, "server"}, {"pg_rotate_logfile", false, "server"}, {"pg_switch_wal", false, "server"},
	{"pg_create_*", false, "server"}, {"pg_drop_*", false, "server"}, {"pg_promote", false, "server"},
	{"pg_backup_*", false, "server"}, {"pg_start_backup", false, "server"}, {"pg_stop_backup", false, "server"},
	{"pg_stat_reset*", false, "server"}, {"pg_logical_emit_message", false, "writes WAL"},
	{"set_config", false, "session state"}, {"pg_notify", false, "notification"},
	// Files on the database server.
	{"pg_read_file", false, "file"}, {"pg_read_binary_file", false, "file"}, {"pg_ls_*", false, "file"},
	{"pg_stat_file", false, "file"}, {"pg_write_file", false, "file"}, {"pg_file_*", false, "file"},
	{"lo_*", false, "large objects: files"}, {"load_file", false, "file"},
	{"readfile", false, "file"}, {"writefile", false, "file"}, {"edit", false, "file"},
	{"load_extension", false, "code"}, {"fts3_tokenizer", false, "code"}, {"fsdir", false, "file"}, {"zipfile", false, "file"},
	{"fn_xe_file_target_read_file", false, "file"}, {"fn_get_audit_file", false, "file"}, {"fn_trace_gettable", false, "file"},
	// DuckDB reads files and URLs, and other databases, through table functions.
	{"read_*", false, "file"}, {"glob", false, "file"}, {"parquet_*", false, "file"}, {"sniff_csv", false, "file"},
	{"iceberg_*", false, "file"}, {"delta_scan", false, "file"}, {"st_read", false, "file"}, {"st_read_meta", false, "file"},
	{"sqlite_scan", false, "database"}, {"sqlite_attach", false, "database"}, {"postgres_*", false, "database"},
	{"mysql_*", false, "database"}, {"getenv", false, "environment"}, {"duckdb_secrets", false, "secrets"},
	{"which_secret", false, "secrets"},
	// Locks.
	{"pg_advisory_*", false, "lock"}, {"pg_try_advisory_*", false, "lock"}, {"get_lock", false, "lock"},
	{"release_lock", false, "lock"}, {"release_all_locks", false, "lock"},
	// SQL given as a string, run out of our sight.
	{"query", false, "dynamic SQL"}, {"query_table", false, "dynamic SQL"}, {"json_execute_serialized_sql", false, "dynamic SQL"},
	{"query_to_xml*", false, "dynamic SQL"}, {"cursor_to_xml*", false, "dynamic SQL"},
	{"ts_stat", false, "dynamic SQL"}, {"ts_rewrite", false, "dynamic SQL"},
	// Network and operating system.
	{"dblink*", false, "network"}, {"http", false, "network"}, {"http_*", false, "network"}, {"httpuritype", false, "network"},
	{"openrowset", false, "network"}, {"opendatasource", false, "network"}, {"openquery", false, "network"},
	{"xp_*", false, "system"}, {"sp_*", false, "system"}, {"sys_exec", false, "system"}, {"sys_eval", false, "system"},
	// Oracle packages: pipes, locks, Java, jobs, files, HTTP, DNS, dynamic SQL.
	{"dbms_*", true, "system"}, {"utl_*", true, "network and files"},
}

func forbiddenFunc(name string) (pkg, ok bool) {
	n := strings.ToLower(name)
	for _, f := range forbiddenFuncs {
		if p, isPrefix := strings.CutSuffix(f.name, "*"); isPrefix {
			if strings.HasPrefix(n, p) {
				return f.pkg, true
			}
		} else if n == f.name {
			return f.pkg, true
		}
	}
	return false, false
}

// fromFuncs take "FROM" inside their parentheses (EXTRACT(YEAR FROM d)):
// that FROM names no table.
var fromFuncs = map[string]bool{"EXTRACT": true, "SUBSTRING": true, "TRIM": true, "OVERLAY": true}

// clauseWords end a FROM list.
var clauseWords = map[string]bool{
	"WHERE": true, "GROUP": true, "HAVING": true, "ORDER": true, "LIMIT": true, "OFFSET": true,
	"UNION": true, "INTERSECT": true, "EXCEPT": true, "WINDOW": true, "QUALIFY": true, "FETCH": true,
	"ON": true, "USING": true, "SELECT": true, "CONNECT": true, "START": true,
}

// graph answers which tokens can end up next to each other once optional
// blocks are kept or dropped: "pg_sleep [[ ${x} ]] (1)" is a call when the
// block is dropped. sig holds the significant tokens, block markers
// included; blocks are balanced, unnested and non-empty (checkBlocks).
type graph struct {
	sig         []token
	close, open map[int]int
}

func newGraph(sig []token) *graph {
	g := &graph{sig: sig, close: map[int]int{}, open: map[int]int{}}
	o := -1
	for i, tk := range sig {
		switch tk.kind {
		case tkBlockOpen:
			o = i
		case tkBlockClose:
			g.close[o], g.open[i] = i, o
		}
	}
	return g
}

// nexts lists the tokens that can directly follow token i.
func (g *graph) nexts(i int) []int {
	var out []int
	for j := i + 1; j < len(g.sig); j++ {
		switch g.sig[j].kind {
		case tkBlockClose:
		case tkBlockOpen:
			out = append(out, j+1)
			j = g.close[j]
		default:
			return append(out, j)
		}
	}
	return out
}

// prevs lists the tokens that can directly precede token i.
func (g *graph) prevs(i int) []int {
	var out []int
	for j := i - 1; j >= 0; j-- {
		switch g.sig[j].kind {
		case tkBlockOpen:
		case tkBlockClose:
			out = append(out, j-1)
			j = g.open[j]
		default:
			return append(out, j)
		}
	}
	return out
}

func (g *graph) any(idx []int, f func(token) bool) bool {
	for _, i := range idx {
		if f(g.sig[i]) {
			return true
		}
	}
	return false
}

// all is false for an empty list: nothing follows, so nothing qualifies.
func (g *graph) all(idx []int, f func(token) bool) bool {
	for _, i := range idx {
		if !f(g.sig[i]) {
			return false
		}
	}
	return len(idx) > 0
}

func isPunct(s string) func(token) bool {
	return func(t token) bool { return t.kind == tkPunct && t.val == s }
}

func isWord(words ...string) func(token) bool {
	return func(t token) bool {
		if t.kind != tkWord {
			return false
		}
		for _, w := range words {
			if strings.EqualFold(t.val, w) {
				return true
			}
		}
		return false
	}
}

func errKeyword(pos int, word string) *Error {
	return errAt(pos, CodeForbiddenKeyword,
		"模板包含禁止的关键字 "+word+"：数据接口只能做只读查询（如果这是列名，请加双引号）",
		"The template uses the forbidden keyword "+word+": a data API may only read (quote it if it is a column name)")
}

// checkSafety refuses forbidden keywords, calls of forbidden functions and
// table sources that are files, strings or parameters.
func checkSafety(sig []token) *Error {
	g := newGraph(sig)
	type frame struct{ fn, from bool }
	stack := []frame{{}}
	for i, tk := range sig {
		top := &stack[len(stack)-1]
		switch tk.kind {
		case tkWord:
			up := strings.ToUpper(tk.val)
			if _, bad := forbiddenWords[up]; bad {
				switch {
				case (up == "REPLACE" || up == "TRUNCATE") && g.all(g.nexts(i), isPunct("(")):
				case up == "START" && g.all(g.nexts(i), isWord("WITH")):
				case up == "UPDATE" && g.any(g.prevs(i), isWord("FOR", "KEY")):
					return errKeyword(tk.pos, "FOR UPDATE")
				default:
					return errKeyword(tk.pos, up)
				}
			}
			if up == "SHARE" && g.any(g.prevs(i), isWord("FOR", "KEY")) {
				return errKeyword(tk.pos, "FOR SHARE")
			}
			switch {
			case up == "FROM":
				if top.fn || g.all(g.prevs(i), isWord("DISTINCT")) {
					break
				}
				top.from = true
				if e := g.source(i); e != nil {
					return e
				}
			case up == "JOIN":
				top.from = true
				if e := g.source(i); e != nil {
					return e
				}
			case clauseWords[up]:
				top.from = false
			}
			fallthrough
		case tkQuoted:
			if pkg, bad := forbiddenFunc(tk.val); bad {
				next := g.nexts(i)
				if g.any(next, isPunct("(")) || pkg && g.any(next, isPunct(".")) {
					return errAt(tk.pos, CodeForbiddenFunction,
						"模板调用了禁止的函数 "+tk.val+"：它有副作用，或能访问文件、网络、系统、锁，或执行字符串形式的 SQL",
						"The template calls the forbidden function "+tk.val+": it has side effects, reaches files, the network, the system or locks, or runs SQL given as a string")
				}
			}
		case tkPunct:
			switch tk.val {
			case "(":
				stack = append(stack, frame{fn: g.all(g.prevs(i), func(t token) bool { return t.kind == tkWord && fromFuncs[strings.ToUpper(t.val)] })})
			case ")":
				if len(stack) > 1 {
					stack = stack[:len(stack)-1]
				}
			case ",":
				if top.from {
					if e := g.source(i); e != nil {
						return e
					}
				}
			}
		}
	}
	return nil
}

// source refuses a table source that DuckDB would read as a file or URL
// (FROM 'x.csv', FROM "/etc/passwd") and a parameter in a table's place.
// DuckDB connections should also run with enable_external_access=false.
func (g *graph) source(i int) *Error {
	for _, j := range g.nexts(i) {
		t := g.sig[j]
		if isWord("LATERAL", "ONLY")(t) {
			if e := g.source(j); e != nil {
				return e
			}
			continue
		}
		if t.kind == tkString || t.kind == tkParam || (t.kind == tkQuoted && strings.ContainsAny(t.val, "./\\:~")) {
			return errAt(t.pos, CodeFileReference, "表的位置不能是字符串、文件路径或参数",
				"A table source may not be a string, a file path or a parameter")
		}
	}
	return nil
}
