package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/xietong/xietong/internal/ident"
)

// Only schemas this benchmark names are created or dropped.
var schemaRe = regexp.MustCompile(`^xt_dabench_[0-9a-f]{6,32}$`)

func schemaFlag(fs *flag.FlagSet) *string {
	return fs.String("schema", "", "schema to create / drop (xt_dabench_<hex>)")
}

func connect(ctx context.Context, dsn string) *pgx.Conn {
	loopback("the PostgreSQL DSN", dsn)
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		log.Fatalf("connect: %v", err)
	}
	return c
}

// Regions of 南通 (行政区划代码), the 参保地 of the generated persons.
var regions = []string{"320602", "320611", "320612", "320613", "320623", "320681", "320682", "320685"}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉梅文斌宇浩凯鹏辉晨欣怡婷雪琳颖佳慧俊峰")
)

const birthDays = 18262 // 1950-01-01 … 1999-12-31

// person i: a unique, valid 18-character 公民身份号码 (region, birth date,
// sequence, check character by ident.CompleteID), a name, a phone, a region
// and a salary. i ↦ (region, day, sequence) is a bijection for i below
// len(regions) × birthDays × 1000.
func person(i int) (id, name, phone, region string, cents int64) {
	r := i % len(regions)
	q := i / len(regions)
	day := (q * 7919) % birthDays // 7919 is prime to 18262: a permutation of the days
	seq := q / birthDays
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day)
	id, ok := ident.CompleteID(fmt.Sprintf("%s%s%03d", regions[r], birth.Format("20060102"), seq))
	if !ok || !ident.ValidID(id) {
		log.Fatalf("person %d: bad 公民身份号码 %q", i, id)
	}
	h := uint64(i)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	name = string(surnames[h%uint64(len(surnames))]) + string(given[(h>>16)%uint64(len(given))])
	if h>>40%3 != 0 {
		name += string(given[(h>>24)%uint64(len(given))])
	}
	phone = fmt.Sprintf("1%d%d%08d", 3+(h>>32)%6, (h>>36)%10, (h>>8)%100000000)
	return id, name, phone, regions[r], 250000 + int64((h>>20)%2000000)
}

func fixtureCmd(args []string) {
	fs := flag.NewFlagSet("fixture", flag.ExitOnError)
	dsn := fs.String("dsn", "", "PostgreSQL DSN (127.0.0.1)")
	schema := schemaFlag(fs)
	n := fs.Int("persons", 200000, "number of persons")
	idsFile := fs.String("ids", "", "file to write the 公民身份号码 to, one a line, in aac001 order")
	versionFile := fs.String("version-out", "", "optional: file to write the server's version to")
	fs.Parse(args)
	if !schemaRe.MatchString(*schema) || *idsFile == "" || *n < 1 || *n > len(regions)*birthDays*1000 {
		log.Fatal("-schema xt_dabench_<hex>, -ids and 1 ≤ -persons ≤ 146 million are required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c := connect(ctx, *dsn)
	defer c.Close(context.Background())
	started := time.Now()
	table := *schema + ".ac01"
	for _, s := range []string{"CREATE SCHEMA " + *schema, `CREATE TABLE ` + table + ` (
		aac001 BIGINT PRIMARY KEY,        -- 个人编号
		aac002 VARCHAR(18) NOT NULL,      -- 公民身份号码
		aac003 VARCHAR(50) NOT NULL,      -- 姓名
		aae005 VARCHAR(20) NOT NULL,      -- 联系电话
		aab301 VARCHAR(6) NOT NULL,       -- 参保地行政区划
		salary NUMERIC(12, 2) NOT NULL)   -- 缴费工资`} {
		if _, err := c.Exec(ctx, s); err != nil {
			log.Fatalf("%s: %v", s, err)
		}
	}
	f, err := os.Create(*idsFile)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rows := make([][]any, *n)
	for i := range rows {
		id, name, phone, region, cents := person(i)
		rows[i] = []any{int64(1_000_000 + i), id, name, phone, region, pgtype.Numeric{Int: big.NewInt(cents), Exp: -2, Valid: true}}
		w.WriteString(id)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	copied, err := c.CopyFrom(ctx, pgx.Identifier{*schema, "ac01"}, []string{"aac001", "aac002", "aac003", "aae005", "aab301", "salary"}, pgx.CopyFromRows(rows))
	if err != nil {
		log.Fatalf("COPY: %v", err)
	}
	for _, s := range []string{"CREATE INDEX ac01_aac002 ON " + table + " (aac002)", "VACUUM ANALYZE " + table} {
		if _, err := c.Exec(ctx, s); err != nil {
			log.Fatalf("%s: %v", s, err)
		}
	}
	var dup int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM (SELECT aac002 FROM "+table+" GROUP BY aac002 HAVING count(*) > 1) d").Scan(&dup); err != nil || dup != 0 {
		log.Fatalf("duplicate 公民身份号码: %d (%v)", dup, err)
	}
	if *versionFile != "" {
		var v string
		c.QueryRow(ctx, "SHOW server_version").Scan(&v)
		if err := os.WriteFile(*versionFile, []byte(v), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	var size string
	c.QueryRow(ctx, "SELECT pg_size_pretty(pg_total_relation_size($1))", table).Scan(&size)
	fmt.Fprintf(os.Stderr, "fixture: %s with %d persons (%s with its indexes) in %.1f s\n", table, copied, size, time.Since(started).Seconds())
}

func dropCmd(args []string) {
	fs := flag.NewFlagSet("drop", flag.ExitOnError)
	dsn := fs.String("dsn", "", "PostgreSQL DSN (127.0.0.1)")
	schema := schemaFlag(fs)
	fs.Parse(args)
	if !schemaRe.MatchString(*schema) {
		log.Fatal("-schema xt_dabench_<hex> is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := connect(ctx, *dsn)
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS "+*schema+" CASCADE"); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "drop: schema %s dropped\n", *schema)
}
