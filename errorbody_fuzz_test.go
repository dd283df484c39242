package cph

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzNewAPIError feeds arbitrary error bodies and statuses to the
// error-body parser. It must never panic; its fields must be short, valid
// UTF-8 lines without control characters (they end up in logs); and for a
// body that encoding/json decodes as an error document, the fields must be
// what encoding/json found.
//
// Interesting inputs are kept in testdata/fuzz/FuzzNewAPIError; go test
// runs them with the seeds below. To fuzz:
//
//	go test -run '^$' -fuzz FuzzNewAPIError -fuzztime 1m
func FuzzNewAPIError(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{400, `{"error_code":"CPS.0005","error_msg":"Invalid parameter","request_id":"r1"}`},
		{404, `{"error":{"code":"CPS.0404","message":"not found","request_id":"r2"}}`},
		{429, `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute","request_id":"r3"}`},
		{401, `{"error_msg":"Incorrect IAM authentication information: signature expired, signature time:20260101T000000Z,server time:20260101T010000Z","error_code":"APIGW.0301","request_id":"r4"}`},
		{500, `{"error_code":"","error_msg":"","error":{"code":"X","message":"inner"}}`},
		{502, "<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>502 Bad Gateway</h1><script>x()</script></body></html>"},
		{503, ""},
		{503, "null"},
		{400, `{"error":null}`},
		{400, `{"error":"a string"}`},
		{400, `{"error_code":12}`},
		{400, `{"ERROR_CODE":"upper","Error_Msg":"mixed"}`},
		{400, `{"error_code":"a","error_code":"b"}`},
		{400, "{\"error_msg\":\"line\\nbreak\\u0000nul\\u202eRTL\"}"},
		{400, "\xff\xfe{\"error_msg\":\"bad utf8\"}"},
		{400, `[1,2,3]`},
		{400, strings.Repeat("[", 10000)},
		{400, `{"error_msg":"` + strings.Repeat("é", 2000) + `"}`},
		{302, `<a href="https://elsewhere.example/">Found</a>.`},
		{-1, `{}`},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		header := http.Header{"X-Request-Id": {"hdr-id"}}
		e := newAPIError("ListPhoneImages", status, header, body)

		if e == nil {
			t.Fatal("nil *APIError")
		}
		if e.Operation != "ListPhoneImages" || e.StatusCode != status {
			t.Fatalf("operation %q, status %d: want ListPhoneImages, %d", e.Operation, e.StatusCode, status)
		}
		for _, f := range []struct {
			name  string
			value string
			max   int
		}{{"Code", e.Code, 64}, {"Message", e.Message, 1024}, {"RequestID", e.RequestID, 128}} {
			checkField(t, f.name, f.value, f.max)
		}
		if e.RequestID == "" {
			t.Fatalf("RequestID empty: the header's should fill in")
		}
		_ = e.Error() // must not panic either

		// The oracle: encoding/json decoding the same body into a struct of
		// its own with the documented field names.
		var doc struct {
			Code      string `json:"error_code"`
			Msg       string `json:"error_msg"`
			RequestID string `json:"request_id"`
			Error     *struct {
				Code      string `json:"code"`
				Message   string `json:"message"`
				RequestID string `json:"request_id"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			if want := snippet(body); e.Message != want || e.Code != "" {
				t.Fatalf("not JSON (%v): got code %q message %q, want no code and the snippet %q", err, e.Code, e.Message, want)
			}
			return
		}
		code, msg, rid := doc.Code, doc.Msg, doc.RequestID
		if doc.Error != nil {
			code, msg, rid = cmp.Or(code, doc.Error.Code), cmp.Or(msg, doc.Error.Message), cmp.Or(rid, doc.Error.RequestID)
		}
		if code == "" && msg == "" {
			msg = snippet(body)
		}
		if want := clean(code, 64); e.Code != want {
			t.Fatalf("Code %q, encoding/json found %q", e.Code, want)
		}
		if want := clean(msg, 1024); e.Message != want {
			t.Fatalf("Message %q, encoding/json found %q", e.Message, want)
		}
		if want := cmp.Or(clean(rid, 128), "hdr-id"); e.RequestID != want {
			t.Fatalf("RequestID %q, encoding/json found %q", e.RequestID, want)
		}
	})
}

// checkField fails unless v is valid UTF-8 of at most max bytes (plus an
// ellipsis), with no control or line-breaking characters and no spaces at
// its ends.
func checkField(t *testing.T, name, v string, max int) {
	t.Helper()
	if !utf8.ValidString(v) {
		t.Fatalf("%s %q is not valid UTF-8", name, v)
	}
	if len(strings.TrimSuffix(v, "…")) > max {
		t.Fatalf("%s is %d bytes, over %d", name, len(v), max)
	}
	if strings.TrimSpace(v) != v {
		t.Fatalf("%s %q has spaces at its ends", name, v)
	}
	for _, r := range v {
		if unicode.IsControl(r) || (unicode.IsSpace(r) && r != ' ') {
			t.Fatalf("%s %q has the control character %U", name, v, r)
		}
	}
}
