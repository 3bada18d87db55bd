// Package connect knows, for each kind of data source (数据源) a bureau can
// register — relational databases, file servers and HTTP APIs — how to open
// it and how to test its connectivity step by step, so that the console can
// tell an engineer exactly where a connection fails and what to check.
package connect

import (
	"slices"
	"time"
)

// Target is everything needed to reach a source. The caller decrypts the
// secrets (Password, PrivateKey) before filling it; this package never logs
// or reports them.
type Target struct {
	Kind       string            // one of Kinds()
	Host       string            // host name or IP; for hdfs the namenode
	Port       int               // 0: the kind's default port
	Database   string            // database name; unused for sqlite/duckdb and file kinds
	Username   string            // login; for rest basic auth; for hdfs the user claimed
	Password   string            // password; for sftp with PrivateKey, the key's passphrase; for rest auth=bearer, the token
	PrivateKey string            // sftp: PEM private key (alternative to Password)
	Options    map[string]string // per kind, see the Opt* constants
	Timeout    time.Duration     // per step; 0: DefaultTimeout
}

// DefaultTimeout bounds one probe step when Target.Timeout is 0.
const DefaultTimeout = 5 * time.Second

// Option keys understood in Target.Options.
const (
	OptSSLMode     = "sslmode"      // postgres family: disable|allow|prefer|require|verify-ca|verify-full (default prefer)
	OptTLS         = "tls"          // mysql family: true|skip-verify|preferred; ftp: explicit|implicit
	OptTLSCA       = "tls_ca"       // PEM CA certificate(s) trusted for TLS, for privately issued server certificates
	OptEncrypt     = "encrypt"      // sqlserver: disable|false|true|strict
	OptSSL         = "ssl"          // oracle: true to use TCPS
	OptPath        = "path"         // sqlite/duckdb: the file; sftp/ftp/hdfs: the directory to list
	OptURL         = "url"          // rest/soap: the endpoint
	OptAuth        = "auth"         // rest/soap: basic (default when Username is set) | bearer (Password is the token)
	OptPassive     = "passive"      // ftp: only passive mode is supported; "false" is refused with a clear message
	OptHostKey     = "host_key"     // sftp: "SHA256:..." fingerprint to pin
	OptSOAPAction  = "soap_action"  // soap: SOAPAction header used by calls (not by the probe)
	OptServiceName = "service_name" // oracle: service name (default: Database)
)

// Families of kinds.
const (
	FamilySQL  = "sql"
	FamilyFile = "file"
	FamilyAPI  = "api"
)

// Dialects returned by OpenSQL.
const (
	DialectPostgres  = "postgres"
	DialectMySQL     = "mysql"
	DialectSQLite    = "sqlite"
	DialectDuckDB    = "duckdb"
	DialectOracle    = "oracle"
	DialectSQLServer = "sqlserver"
)

// Kind describes one kind of data source for the console and for OpenSQL.
type Kind struct {
	Kind        string   `json:"kind"`
	Label       string   `json:"label"`    // zh
	LabelEN     string   `json:"label_en"` // en
	Family      string   `json:"family"`   // sql|file|api
	Driver      string   `json:"driver"`   // database/sql driver or client library
	Dialect     string   `json:"dialect,omitempty"`
	DefaultPort int      `json:"default_port"`
	Fields      []string `json:"fields"` // Target fields ("host", …) and options ("options.sslmode", …) the form shows
}

// Form field names used in Kind.Fields.
const (
	fHost     = "host"
	fPort     = "port"
	fDatabase = "database"
	fUsername = "username"
	fPassword = "password"
	fKey      = "private_key"
	fTimeout  = "options.timeout" // seconds per step; an option so the console renders it like the others
)

// optField names an option in Kind.Fields.
func optField(name string) string { return "options." + name }

// kindTable is the constant table of supported kinds; Kinds and Lookup hand
// out copies so callers cannot change it.
var kindTable = []Kind{
	{Kind: "postgres", Label: "PostgreSQL", LabelEN: "PostgreSQL", Family: FamilySQL, Driver: "pgx", Dialect: DialectPostgres, DefaultPort: 5432,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptSSLMode), optField(OptTLSCA), fTimeout}},
	{Kind: "kingbase", Label: "人大金仓 KingbaseES", LabelEN: "KingbaseES", Family: FamilySQL, Driver: "pgx", Dialect: DialectPostgres, DefaultPort: 54321,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptSSLMode), optField(OptTLSCA), fTimeout}},
	{Kind: "opengauss", Label: "openGauss / GaussDB", LabelEN: "openGauss / GaussDB", Family: FamilySQL, Driver: "pgx", Dialect: DialectPostgres, DefaultPort: 5432,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptSSLMode), optField(OptTLSCA), fTimeout}},
	{Kind: "mysql", Label: "MySQL", LabelEN: "MySQL", Family: FamilySQL, Driver: "mysql", Dialect: DialectMySQL, DefaultPort: 3306,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptTLS), optField(OptTLSCA), fTimeout}},
	{Kind: "mariadb", Label: "MariaDB", LabelEN: "MariaDB", Family: FamilySQL, Driver: "mysql", Dialect: DialectMySQL, DefaultPort: 3306,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptTLS), optField(OptTLSCA), fTimeout}},
	{Kind: "oceanbase", Label: "OceanBase（MySQL 模式）", LabelEN: "OceanBase (MySQL mode)", Family: FamilySQL, Driver: "mysql", Dialect: DialectMySQL, DefaultPort: 2881,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptTLS), optField(OptTLSCA), fTimeout}},
	{Kind: "tidb", Label: "TiDB", LabelEN: "TiDB", Family: FamilySQL, Driver: "mysql", Dialect: DialectMySQL, DefaultPort: 4000,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptTLS), optField(OptTLSCA), fTimeout}},
	{Kind: "doris", Label: "Apache Doris", LabelEN: "Apache Doris", Family: FamilySQL, Driver: "mysql", Dialect: DialectMySQL, DefaultPort: 9030,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptTLS), optField(OptTLSCA), fTimeout}},
	{Kind: "starrocks", Label: "StarRocks", LabelEN: "StarRocks", Family: FamilySQL, Driver: "mysql", Dialect: DialectMySQL, DefaultPort: 9030,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptTLS), optField(OptTLSCA), fTimeout}},
	{Kind: "sqlite", Label: "SQLite 文件", LabelEN: "SQLite file", Family: FamilySQL, Driver: "sqlite", Dialect: DialectSQLite,
		Fields: []string{optField(OptPath)}},
	{Kind: "duckdb", Label: "DuckDB 文件", LabelEN: "DuckDB file", Family: FamilySQL, Driver: "duckdb", Dialect: DialectDuckDB,
		Fields: []string{optField(OptPath)}},
	{Kind: "oracle", Label: "Oracle", LabelEN: "Oracle", Family: FamilySQL, Driver: "oracle", Dialect: DialectOracle, DefaultPort: 1521,
		Fields: []string{fHost, fPort, optField(OptServiceName), fUsername, fPassword, optField(OptSSL), fTimeout}},
	{Kind: "sqlserver", Label: "SQL Server", LabelEN: "SQL Server", Family: FamilySQL, Driver: "sqlserver", Dialect: DialectSQLServer, DefaultPort: 1433,
		Fields: []string{fHost, fPort, fDatabase, fUsername, fPassword, optField(OptEncrypt), fTimeout}},
	{Kind: "sftp", Label: "SFTP 文件服务器", LabelEN: "SFTP server", Family: FamilyFile, Driver: "github.com/pkg/sftp", DefaultPort: 22,
		Fields: []string{fHost, fPort, fUsername, fPassword, fKey, optField(OptPath), optField(OptHostKey), fTimeout}},
	{Kind: "ftp", Label: "FTP/FTPS 文件服务器", LabelEN: "FTP/FTPS server", Family: FamilyFile, Driver: "github.com/jlaffaye/ftp", DefaultPort: 21,
		Fields: []string{fHost, fPort, fUsername, fPassword, optField(OptPath), optField(OptTLS), optField(OptTLSCA), optField(OptPassive), fTimeout}},
	{Kind: "hdfs", Label: "HDFS", LabelEN: "HDFS", Family: FamilyFile, Driver: "github.com/colinmarc/hdfs/v2", DefaultPort: 8020,
		Fields: []string{fHost, fPort, fUsername, optField(OptPath), fTimeout}},
	{Kind: "rest", Label: "REST 接口", LabelEN: "REST API", Family: FamilyAPI, Driver: "net/http",
		Fields: []string{optField(OptURL), optField(OptAuth), fUsername, fPassword, optField(OptTLSCA), fTimeout}},
	{Kind: "soap", Label: "SOAP/WebService 接口", LabelEN: "SOAP web service", Family: FamilyAPI, Driver: "net/http",
		Fields: []string{optField(OptURL), optField(OptSOAPAction), optField(OptAuth), fUsername, fPassword, optField(OptTLSCA), fTimeout}},
}

// Kinds lists the supported kinds in display order.
func Kinds() []Kind {
	out := make([]Kind, len(kindTable))
	for i, k := range kindTable {
		k.Fields = slices.Clone(k.Fields)
		out[i] = k
	}
	return out
}

// Lookup finds a kind by its name.
func Lookup(kind string) (Kind, bool) {
	for _, k := range kindTable {
		if k.Kind == kind {
			k.Fields = slices.Clone(k.Fields)
			return k, true
		}
	}
	return Kind{}, false
}
