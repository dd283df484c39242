package cphtest

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/cph-go/cph"
)

// The routes and headers of the ECS instance metadata service, as
// cph.MetadataCredentials and the official SDKs speak to it.
const (
	metadataTokenPath       = "/meta-data/latest/api/token"
	metadataSecurityKeyPath = "/openstack/latest/securitykey"
	headerMetadataToken     = "X-Metadata-Token"
	headerMetadataTokenTTL  = "X-Metadata-Token-Ttl-Seconds"
)

// What the metadata service answers that a client may look for.
const (
	// metadataNoAgency is the body of the 401 an instance without an
	// agency gets for its credentials; the SDKs look for this sentence.
	metadataNoAgency = "Please configure Cloud Service Agency first"
	// The validity a session token may be asked for: 1 to 360 minutes,
	// 360 when the request does not say.
	minMetadataTokenTTL = time.Minute
	maxMetadataTokenTTL = 6 * time.Hour
	// The newest requests a MetadataServer keeps.
	maxMetadataRequests = 10000
)

// The operations of the metadata service, for Fault.Operation.
const (
	opGetSessionToken = "GetSessionToken"
	opGetSecurityKey  = "GetSecurityKey"
)

// MetadataServer is a fake of the ECS instance metadata service
// (http://169.254.169.254), listening on the loopback interface, that
// serves the temporary credentials of the instance's agency. Point
// cph.MetadataCredentials at it with cph.WithMetadataEndpoint(srv.URL).
//
// It answers as the real service does:
//
//   - PUT /meta-data/latest/api/token (operation "GetSessionToken") issues
//     a session token, as text/plain: "cphtest-session-1", then
//     "cphtest-session-2", and so on, valid for the seconds its
//     X-Metadata-Token-Ttl-Seconds header asks (60 to 21600; 21600 when
//     it is absent) by the server's clock (SetClock). Another value gets
//     400, and a request carrying X-Forwarded-For (one that came through
//     a proxy) gets 403.
//   - GET /openstack/latest/securitykey (operation "GetSecurityKey")
//     answers the credentials as JSON,
//     {"credential":{"access":...,"expires_at":...,"secret":...,"securitytoken":...}},
//     expires_at in UTC with microseconds ("2026-03-01T13:00:00.000000Z").
//     A request whose X-Metadata-Token is not a token the server issued
//     and still holds valid (see ExpireSessionTokens) gets 401; so does one without a token after
//     RequireSessionTokens(true). With empty credentials (no access key)
//     the instance has no agency, and the answer is the service's 401
//     "Please configure Cloud Service Agency first".
//   - Another method on those paths gets 405, any other path 404.
//
// The routes, the headers, the body's fields, the 401 that tells a client
// to renew its token and the no-agency sentence are those the official
// SDKs' metadata clients rely on; token validity (1 to 360 minutes,
// default 360), the refusal of proxied token requests and the optional
// or required session tokens come from the ECS user guide
// ("Configuring Instance Metadata Options"). The bodies of the error
// answers are plain text of this package's choosing: match on statuses.
//
// A MetadataServer is safe for concurrent use. It never checks that the
// expiry it serves is in the future, so that tests can serve expired
// credentials.
type MetadataServer struct {
	// URL is the server's base URL, such as "http://127.0.0.1:40123", to
	// give to cph.WithMetadataEndpoint.
	URL string

	ts        *httptest.Server
	closing   chan struct{} // closed by Close: hanging answers end
	closeOnce sync.Once

	mu       sync.Mutex
	now      func() time.Time // SetClock
	creds    cph.Credentials
	expires  time.Time
	required bool                 // RequireSessionTokens
	issued   int                  // session tokens issued, numbering them
	tokens   map[string]time.Time // valid session tokens and their expiry
	requests []Request
	fault    metadataPendingFault
}

// metadataPendingFault is the fault InjectFault left for the next n requests it
// applies to.
type metadataPendingFault struct {
	n int
	f Fault
}

// NewMetadataServer starts a metadata server on 127.0.0.1 that serves
// creds, expiring at expires, and returns it; empty creds make it an
// instance without an agency. Close it when done.
func NewMetadataServer(creds cph.Credentials, expires time.Time) *MetadataServer {
	s := &MetadataServer{
		closing: make(chan struct{}),
		now:     time.Now,
		creds:   creds,
		expires: expires,
		tokens:  map[string]time.Time{},
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down, ending hanging answers and waiting for the
// requests in flight. Closing it again does nothing.
func (s *MetadataServer) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.ts.Close()
	})
}

// SetCredentials replaces the credentials the server serves and their
// expiry, as the service does when it renews them: the next GET of the
// security key gets them. Empty creds detach the agency.
func (s *MetadataServer) SetCredentials(creds cph.Credentials, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.creds, s.expires = creds, expires
}

// SetClock sets the server's clock, by which session tokens expire and
// requests are stamped; nil restores time.Now. The server may call now
// from several goroutines at once.
func (s *MetadataServer) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// RequireSessionTokens sets whether a GET of the security key must carry
// a session token (the instance's "http_tokens" option: false, optional,
// is the default; true allows no access without a token).
func (s *MetadataServer) RequireSessionTokens(required bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.required = required
}

// ExpireSessionTokens ends the validity of every session token issued so
// far, as their TTL running out would: a request carrying one gets 401,
// and the client has to ask for a new token.
func (s *MetadataServer) ExpireSessionTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// InjectFault makes the next n requests that f applies to get f instead of
// the normal answer: every request when f.Operation is "", else those of
// that operation, "GetSessionToken" or "GetSecurityKey". A later call
// replaces a pending fault; n <= 0 cancels it.
//
// A fault waits Delay first. Then Hang answers nothing until the request's
// context ends or Close; Reset closes the connection without an answer.
// Otherwise a nonzero Status answers with that status (the normal answer,
// and a session token with it, is not given) and a text/plain body: Body,
// else "Code: Message" (or the one of them that is set), else the status
// text; a Status outside 200 to 999 answers 500 saying so. Status 0 gives
// the normal answer, with Body instead of its body when Body is set (Code
// and Message go unused). Header is added to the answer, replacing headers
// of the same names. Truncate declares the whole body's length, sends its
// first half and closes the connection.
func (s *MetadataServer) InjectFault(n int, f Fault) {
	f.Header = f.Header.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = metadataPendingFault{n: max(n, 0), f: f}
}

// Requests returns the requests the server received, in order of arrival,
// with their method, path, query, headers and time; it keeps the newest
// 10,000.
func (s *MetadataServer) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r
		out[i].Query = cloneValues(r.Query)
		out[i].Header = r.Header.Clone()
	}
	return out
}

// ResetRequests forgets the requests received so far.
func (s *MetadataServer) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// serve records a request, then answers it, or answers its fault.
func (s *MetadataServer) serve(w http.ResponseWriter, r *http.Request) {
	op := metadataOperation(r)
	now := s.clock()()
	s.mu.Lock()
	if len(s.requests) == maxMetadataRequests {
		s.requests = append(s.requests[:0], s.requests[1:]...)
	}
	s.requests = append(s.requests, Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Time:   now,
	})
	f, faulted := s.fault.f, s.fault.n > 0 && (s.fault.f.Operation == "" || s.fault.f.Operation == op)
	if faulted {
		s.fault.n--
	}
	s.mu.Unlock()

	if !faulted {
		s.write(w, s.answer(r, op, now), nil, false)
		return
	}
	if !s.wait(r, f.Delay) {
		return
	}
	switch {
	case f.Hang:
		s.wait(r, -1)
		return
	case f.Reset:
		resetMetadataConn(w)
		return
	}
	var a metadataAnswer
	if f.Status != 0 {
		a = metadataFaultAnswer(f)
	} else {
		a = s.answer(r, op, s.clock()())
		if f.Body != "" {
			a.body = []byte(f.Body)
		}
	}
	s.write(w, a, f.Header, f.Truncate)
}

// clock returns the server's clock.
func (s *MetadataServer) clock() func() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// metadataOperation names the operation of r, "" for none.
func metadataOperation(r *http.Request) string {
	switch {
	case r.Method == http.MethodPut && r.URL.Path == metadataTokenPath:
		return opGetSessionToken
	case r.Method == http.MethodGet && r.URL.Path == metadataSecurityKeyPath:
		return opGetSecurityKey
	}
	return ""
}

// metadataAnswer is an answer to write.
type metadataAnswer struct {
	status      int
	contentType string
	body        []byte
}

// textAnswer is a text/plain answer.
func textAnswer(status int, body string) metadataAnswer {
	return metadataAnswer{status: status, contentType: "text/plain; charset=utf-8", body: []byte(body)}
}

// answer is the service's answer to r, a request of op received at now.
func (s *MetadataServer) answer(r *http.Request, op string, now time.Time) metadataAnswer {
	switch op {
	case opGetSessionToken:
		return s.sessionToken(r, now)
	case opGetSecurityKey:
		return s.securityKey(r, now)
	}
	switch r.URL.Path {
	case metadataTokenPath, metadataSecurityKeyPath:
		return textAnswer(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	return textAnswer(http.StatusNotFound, "Not Found")
}

// sessionToken issues a session token.
func (s *MetadataServer) sessionToken(r *http.Request, now time.Time) metadataAnswer {
	if len(r.Header.Values("X-Forwarded-For")) > 0 {
		return textAnswer(http.StatusForbidden, "Forbidden: a session token is not given through a proxy")
	}
	ttl := maxMetadataTokenTTL
	if v := r.Header.Get(headerMetadataTokenTTL); v != "" {
		secs, err := strconv.Atoi(v)
		if err != nil || secs < int(minMetadataTokenTTL/time.Second) || secs > int(maxMetadataTokenTTL/time.Second) {
			return textAnswer(http.StatusBadRequest, "Bad Request: "+headerMetadataTokenTTL+" must be 60 to 21600")
		}
		ttl = time.Duration(secs) * time.Second
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued++
	token := "cphtest-session-" + strconv.Itoa(s.issued)
	s.tokens[token] = now.Add(ttl)
	return textAnswer(http.StatusOK, token)
}

// metadataSecurityKeyBody is the service's answer with the credentials.
type metadataSecurityKeyBody struct {
	Credential struct {
		Access        string `json:"access"`
		ExpiresAt     string `json:"expires_at"`
		Secret        string `json:"secret"`
		SecurityToken string `json:"securitytoken"`
	} `json:"credential"`
}

// securityKey answers the credentials to a request with a valid token.
func (s *MetadataServer) securityKey(r *http.Request, now time.Time) metadataAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	token := r.Header.Get(headerMetadataToken)
	if token != "" {
		if expires, ok := s.tokens[token]; !ok || !now.Before(expires) {
			delete(s.tokens, token)
			return textAnswer(http.StatusUnauthorized, "Unauthorized: the session token is not valid")
		}
	} else if s.required {
		return textAnswer(http.StatusUnauthorized, "Unauthorized: a session token is required")
	}
	if s.creds.AccessKey == "" {
		return textAnswer(http.StatusUnauthorized, metadataNoAgency)
	}
	var b metadataSecurityKeyBody
	b.Credential.Access = s.creds.AccessKey
	b.Credential.Secret = s.creds.SecretKey
	b.Credential.SecurityToken = s.creds.SecurityToken
	b.Credential.ExpiresAt = s.expires.UTC().Format("2006-01-02T15:04:05.000000Z")
	body, err := json.Marshal(b)
	if err != nil {
		return textAnswer(http.StatusInternalServerError, err.Error())
	}
	return metadataAnswer{status: http.StatusOK, contentType: "application/json", body: body}
}

// metadataFaultAnswer is the answer of a fault with a Status.
func metadataFaultAnswer(f Fault) metadataAnswer {
	if f.Status < 200 || f.Status > 999 {
		return textAnswer(http.StatusInternalServerError,
			"cphtest: InjectFault: status "+strconv.Itoa(f.Status)+" is not an answer's status")
	}
	body := f.Body
	switch {
	case body != "":
	case f.Code != "" && f.Message != "":
		body = f.Code + ": " + f.Message
	case f.Code != "" || f.Message != "":
		body = f.Code + f.Message
	default:
		body = http.StatusText(f.Status)
	}
	return textAnswer(f.Status, body)
}

// write sends a with the extra headers; truncate sends half the body only.
func (s *MetadataServer) write(w http.ResponseWriter, a metadataAnswer, extra http.Header, truncate bool) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	for name, values := range extra {
		h[http.CanonicalHeaderKey(name)] = append([]string(nil), values...)
	}
	body := a.body
	if truncate {
		body = body[:len(body)/2]
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(body)
}

// wait waits d (forever if d < 0) and reports whether it did: false when
// the request's context ended or the server closed first.
func (s *MetadataServer) wait(r *http.Request, d time.Duration) bool {
	if d == 0 {
		return true
	}
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
		return true
	case <-r.Context().Done():
	case <-s.closing:
	}
	return false
}

// resetMetadataConn closes the connection of w at once, with a TCP reset.
func resetMetadataConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
