package load

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/xietong/xietong/internal/warehouse"
)

// sniffBytes is how much of a text file chooses its encoding and delimiter.
const sniffBytes = 1 << 20

// CSVFile loads a delimited text file (CSV, TSV, …) with a header row.
func CSVFile(ctx context.Context, e *warehouse.Engine, path string, opt Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return &Report{Table: opt.Table}, fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	return CSV(ctx, e, f, size, opt)
}

// CSV loads delimited text with a header row from r; size is its length
// in bytes for progress (0 when unknown).
func CSV(ctx context.Context, e *warehouse.Engine, r io.Reader, size int64, opt Options) (*Report, error) {
	ru, err := newRun(e, opt)
	if err != nil {
		return &Report{Table: opt.Table}, err
	}
	src, enc, err := newCSVSource(r, size, opt)
	ru.rep.Encoding = enc
	if err != nil {
		return ru.rep, err
	}
	return ru.load(ctx, src, nil)
}

// countReader counts the raw bytes read.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type csvSource struct {
	raw   *countReader
	total int64
	cr    *csv.Reader
	head  []string
}

func newCSVSource(r io.Reader, size int64, opt Options) (*csvSource, string, error) {
	raw := &countReader{r: r}
	br := bufio.NewReaderSize(raw, sniffBytes)
	peek, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", fmt.Errorf("load: read: %w", err)
	}
	enc := strings.ToLower(strings.TrimSpace(opt.Encoding))
	switch enc {
	case "", EncAuto:
		enc = detectEncoding(peek, len(peek) < sniffBytes)
	case "utf8", EncUTF8:
		enc = EncUTF8
	case EncGBK, "cp936", EncGB18030, "gb2312":
	default:
		return nil, "", fmt.Errorf("load: unknown encoding %q (want auto, utf-8, gbk or gb18030)", opt.Encoding)
	}
	var text io.Reader
	if enc == EncUTF8 {
		// Invalid bytes become U+FFFD, which marks the row bad.
		text = transform.NewReader(br, unicode.UTF8BOM.NewDecoder())
	} else {
		text = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	tb := bufio.NewReaderSize(text, 64<<10)
	comma := opt.Delimiter
	if comma == 0 {
		first, _ := tb.Peek(64 << 10)
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		comma = detectDelimiter(string(first))
	}
	cr := csv.NewReader(tb)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, enc, fmt.Errorf("load: the file is empty (no header row)")
		}
		return nil, enc, fmt.Errorf("load: header: %w", err)
	}
	for _, h := range head {
		if strings.ContainsRune(h, utf8.RuneError) {
			return nil, enc, fmt.Errorf("load: the header is not valid %s text", enc)
		}
	}
	return &csvSource{raw: raw, total: size, cr: cr, head: head}, enc, nil
}

// detectEncoding: among the lines that are not plain ASCII, valid UTF-8
// in the majority means UTF-8; otherwise GB18030. complete says buf is the
// whole input, so a cut rune at its end is not a cut made by sniffing.
func detectEncoding(buf []byte, complete bool) string {
	if bytes.HasPrefix(buf, []byte{0xEF, 0xBB, 0xBF}) {
		return EncUTF8
	}
	if !complete {
		if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
			buf = buf[:i]
		}
	}
	var good, bad int
	for len(buf) > 0 {
		line := buf
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			line, buf = buf[:i], buf[i+1:]
		} else {
			buf = nil
		}
		ascii := true
		for _, c := range line {
			if c >= 0x80 {
				ascii = false
				break
			}
		}
		if ascii {
			continue
		}
		if utf8.Valid(line) {
			good++
		} else {
			bad++
		}
	}
	if bad > good {
		return EncGB18030
	}
	return EncUTF8
}

// detectDelimiter picks the most frequent of , ; tab | in the header
// line (outside quotes); a comma when none occurs.
func detectDelimiter(line string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch c {
		case '"':
			quoted = !quoted
		case ',', ';', '\t', '|':
			if !quoted {
				counts[c]++
			}
		}
	}
	best, n := ',', 0
	for _, c := range []rune{',', '\t', ';', '|'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return best
}

func (s *csvSource) header() []string { return s.head }

func (s *csvSource) bytes() (int64, int64) { return s.raw.n, s.total }

func (s *csvSource) next() (int64, []string, *problem, error) {
	rec, err := s.cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return 0, nil, nil, errEOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return int64(pe.StartLine), nil, &pMalform, nil
		}
		return 0, nil, nil, fmt.Errorf("load: read: %w", err)
	}
	line, _ := s.cr.FieldPos(0)
	return int64(line), rec, nil, nil
}
