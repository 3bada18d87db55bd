// Command upstream is the benchmark's stand-in for a bureau's 社保 system:
// on loopback it answers every GET with the same ≈1 KB JSON person-record
// list, so the gateway and the reverse proxies it is compared with all
// forward the same bytes.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// doc is the fixed answer: two person records as a 社保 query service would
// return them (姓名, 手机号, 公民身份号码 aac002, and insurance fields).
const doc = `{"code":0,"message":"ok","request_id":"req-20261123-000001","data":{"total":2,"page":1,"page_size":20,"items":[` +
	`{"name":"张三","phone":"13812341234","aac002":"11010519491231002X","aac003":"张三","aac004":"1","aac006":"1949-12-31",` +
	`"aab001":"320602000123","aab004":"南通某某机械制造有限公司","aae140":"110","aac008":"1","aac031":"1","aae030":"2008-07-01",` +
	`"aic020":"7125.50","aab301":"320602","aae036":"2026-11-01 09:30:00","aae041":"202601","aae042":"202612","address":"江苏省南通市崇川区工农路 100 号","bank_card":"6228480402564890018","salary":9000},` +
	`{"name":"李四","phone":"13987654321","aac002":"320602198001011234","aac003":"李四","aac004":"2","aac006":"1980-01-01",` +
	`"aab001":"320602000456","aab004":"南通某某纺织有限公司","aae140":"110","aac008":"1","aac031":"1","aae030":"2003-03-01",` +
	`"aic020":"6300.00","aab301":"320611","aae036":"2026-11-02 14:05:00","aae041":"202601","aae042":"202612","address":"江苏省南通市港闸区永兴大道 8 号","bank_card":"6222021102003456789","salary":7800}]}}`

func main() {
	addr := flag.String("listen", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("upstream: listen on a loopback address only, not %q", *addr)
	}
	body := []byte(doc)
	length := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Type"] = []string{"application/json"}
		hd["Content-Length"] = []string{length}
		w.Write(body)
	})
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "upstream: %d-byte document on http://%s/\n", len(body), l.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	log.Fatal(srv.Serve(l))
}
