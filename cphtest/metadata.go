package cphtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/fakegw"
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

	gw *fakegw.Server // routing, faults and the request log, with no gateway stamps

	mu       sync.Mutex
	now      func() time.Time // SetClock
	creds    cph.Credentials
	expires  time.Time
	required bool                 // RequireSessionTokens
	issued   int                  // session tokens issued, numbering them
	tokens   map[string]time.Time // valid session tokens and their expiry
}

// NewMetadataServer starts a metadata server on 127.0.0.1 that serves
// creds, expiring at expires, and returns it; empty creds make it an
// instance without an agency. Close it when done.
func NewMetadataServer(creds cph.Credentials, expires time.Time) *MetadataServer {
	s := &MetadataServer{
		now:     time.Now,
		creds:   creds,
		expires: expires,
		tokens:  map[string]time.Time{},
	}
	other := s.handler("") // 405 on the service's paths, else 404
	s.gw = fakegw.New(fakegw.Config{
		Routes: []fakegw.Route{
			{Operation: opGetSessionToken, Pattern: http.MethodPut + " " + metadataTokenPath, Handler: s.handler(opGetSessionToken)},
			{Operation: opGetSecurityKey, Pattern: http.MethodGet + " " + metadataSecurityKeyPath, Handler: s.handler(opGetSecurityKey)},
			// A GET pattern matches HEAD too; the service answers HEAD 405.
			{Pattern: http.MethodHead + " " + metadataSecurityKeyPath, Handler: other},
		},
		Default:       other,
		Now:           func() time.Time { return s.clock()() },
		ErrorDocument: metadataErrorText,
		MaxRequests:   maxRequests,
	})
	s.URL = s.gw.URL
	return s
}

// Close shuts the server down, ending hanging answers and waiting for the
// requests in flight. Closing it again does nothing.
func (s *MetadataServer) Close() { s.gw.Close() }

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

// InjectFault makes the next n requests that f matches get f, as
// Server.InjectFault does: Fault's documentation says what each field
// does, with one difference, the error document (below). f matches the
// requests of f.Operation, "GetSessionToken" (a PUT of the token path) or
// "GetSecurityKey" (a GET of the security key), or every request when
// f.Operation is "", one to a path or with a method the server does not
// serve included. Faults come before the service's own checks, and a
// token request that a fault answers (or holds, or resets) issues no
// token; a Fault with only Delay, Header or Truncate leaves the answer,
// and the token in it, to the service.
//
// Faults queue: a later call adds to the pending faults instead of
// replacing them, and a request gets the first pending fault, in the order
// injected, that matches it, using up one of that fault's n. n < 1 injects
// nothing.
//
// The difference: where the gateway sends its JSON error document (a
// fault with a Status, Code or Message but no Body), the metadata service,
// which is not behind the gateway, sends plain text: "Code: Message", Code
// or Message alone when only one is set, and the status's text (such as
// "Service Unavailable") when neither is. For the same reason its answers
// carry Date but no X-Request-Id. f is copied: changing f.Header
// afterwards does not change the fault.
func (s *MetadataServer) InjectFault(n int, f Fault) { s.gw.InjectFault(n, fakegw.Fault(f)) }

// Requests returns the requests the server received, in order of arrival,
// with their method, path, query, headers and time, faulted ones included;
// it keeps the newest 10,000. The caller gets copies it may change.
func (s *MetadataServer) Requests() []Request {
	out := requestsOf(s.gw)
	for i := range out {
		out[i].Body = nil // the service's requests have none to speak of
	}
	return out
}

// ResetRequests forgets the requests received so far.
func (s *MetadataServer) ResetRequests() { s.gw.ResetRequests() }

// handler answers the requests of op ("" for none of the service's), after
// the faults the gateway (fakegw) serves first. The answer is made when it
// is sent, after a fault's Delay, by the server's clock then.
func (s *MetadataServer) handler(op string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := s.answer(r, op, s.clock()())
		w.Header().Set("Content-Type", a.contentType)
		fakegw.WriteAnswer(w, r, a.status, a.body)
	})
}

// metadataErrorText is the body of a fault's own answer without a Body:
// "Code: Message", Code or Message alone when only one is set, else the
// text of status.
func metadataErrorText(f fakegw.Fault, status int, _ string) []byte {
	switch {
	case f.Code != "" && f.Message != "":
		return []byte(f.Code + ": " + f.Message)
	case f.Code != "" || f.Message != "":
		return []byte(f.Code + f.Message)
	}
	return []byte(http.StatusText(status))
}

// clock returns the server's clock.
func (s *MetadataServer) clock() func() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
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
