package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// What varies from run to run in a message, and what the golden files
// have instead.
var (
	loopbackURL = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)
	loopbackTCP = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
	tempPath    = regexp.MustCompile(`[^\s"(]*/(no-such-credentials|credentials)\b`)
	retryWait   = regexp.MustCompile(`retrying (now|in [0-9.]+(ns|µs|ms|s))`)
	requestID   = regexp.MustCompile(`(?i)(request id:? )[0-9a-f]{32}`)
)

// normalize replaces what varies in a run's stderr: the test server's URL,
// temporary paths, request IDs (numbered in the order of the requests),
// the waits of retries.
func normalize(s string) string {
	s = loopbackURL.ReplaceAllString(s, "{server}")
	s = loopbackTCP.ReplaceAllString(s, "{server}")
	s = tempPath.ReplaceAllString(s, "{dir}/$1")
	s = requestID.ReplaceAllString(s, "${1}{id}")
	return retryWait.ReplaceAllString(s, "retrying {wait}")
}

// checkGolden compares got with testdata/<dir>/<name>.golden, which
// go test -update rewrites.
func checkGolden(t *testing.T, dir, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", dir, strings.ReplaceAll(name, " ", "_")+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}

// TestMessages runs the command into every message it can print on
// stderr and compares each with its golden file under testdata/stderr.
// None names a Go option of the library (WithCredentials,
// WithAllowInsecureHTTP, ...): each names a flag or a variable; with
// --verbose the library's own text follows.
func TestMessages(t *testing.T) {
	creds := cph.Credentials{AccessKey: "MESSAGESACCESSKEY001", SecretKey: "messages-secret-key", SecurityToken: "messages-token"}
	srv := newServer(t, cphtest.WithCredentials(creds))
	// answering always answers 200 with body.
	answering := func(body string) func(t *testing.T) string {
		return func(t *testing.T) string {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			}))
			t.Cleanup(s.Close)
			return s.URL
		}
	}
	closedURL := func(t *testing.T) string {
		s := cphtest.NewServer()
		s.Close()
		return s.URL
	}
	tests := map[string]struct {
		env    env            // added to the server's credentials and project ID, unless bare
		bare   bool           // env is all there is
		args   []string       // "{server}" is the test server's URL
		fault  *cphtest.Fault // the next request gets it
		url    func(t *testing.T) string
		code   int
		want   []string // in stderr, besides the golden file
		absent []string // not in stderr
	}{
		// The command line.
		"unknown type":   {args: []string{"--type", "bogus"}, code: exitUsage, want: []string{`"bogus"`, "-type", "public, private, share, all"}},
		"empty type":     {args: []string{"--type="}, code: exitUsage, want: []string{`invalid value "" for flag -type`, "public, private, share, all"}},
		"unknown output": {args: []string{"--output", "xml"}, code: exitUsage, want: []string{`"xml"`, "table or json"}},
		"unknown flag":   {args: []string{"--nope"}, code: exitUsage, want: []string{"-nope"}},
		"argument":       {args: []string{"images"}, code: exitUsage, want: []string{`unexpected argument "images"`}},
		"subcommand after flags": {bare: true, args: []string{"--demo", "custom", "--output", "json"}, code: exitUsage,
			want: []string{`unexpected argument "custom"`, "a subcommand comes first", ": cphimages custom --demo --output json\n"}},
		"subcommand after a quoted flag": {args: []string{"--label", "it's a b", "--", "members", "x"}, code: exitUsage,
			want: []string{`unexpected argument "members"`, `: cphimages members --label 'it'\''s a b' x` + "\n"}},
		"zero timeout":       {args: []string{"--timeout", "0"}, code: exitUsage, want: []string{"--timeout must be positive"}},
		"bad timeout":        {args: []string{"--timeout", "soon"}, code: exitUsage, want: []string{`"soon"`, "-timeout"}},
		"demo with endpoint": {args: []string{"--demo", "--endpoint", "{server}"}, code: exitUsage, want: []string{"--demo", "--endpoint"}},
		"demo with project":  {bare: true, args: []string{"--demo", "--project-id", "p"}, code: exitUsage, want: []string{"--project-id"}},

		// The configuration: each message names the flag or variable.
		"bad region":             {args: []string{"--region", "North China"}, code: exitUsage, want: []string{`--region "North China" is not a region ID`, "cn-north-4"}},
		"bad region variable":    {env: env{envRegion: "North China"}, code: exitUsage, want: []string{envRegion + ` "North China" is not a region ID`}},
		"bad endpoint":           {args: []string{"--endpoint", "ftp://example.com"}, code: exitUsage, want: []string{"--endpoint: invalid endpoint", "https://"}},
		"bad endpoint verbose":   {args: []string{"--endpoint", "ftp://example.com", "--verbose"}, code: exitUsage, want: []string{"--endpoint: invalid endpoint", "library: cph: NewClient: invalid endpoint"}},
		"endpoint with password": {args: []string{"--endpoint", "https://user:hunter2@example.com"}, code: exitUsage, want: []string{"--endpoint", "carries user information"}, absent: []string{"hunter2"}},
		"insecure endpoint":      {args: []string{"--endpoint", "http://example.com"}, code: exitUsage, want: []string{"--endpoint: insecure endpoint", "give an https:// URL"}},
		"insecure endpoint variable": {
			env: env{envRegion: "cn-north-4", "HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4": "http://example.com"}, code: exitUsage,
			want: []string{"HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4: insecure endpoint", "give an https:// URL"},
		},
		"insecure IAM endpoint": {
			env: env{envProjectID: "", envIAM: "http://example.com"}, args: []string{"--region", "cn-north-4"}, code: exitUsage,
			want: []string{envIAM, "insecure endpoint", "give an https:// URL"},
		},
		"bad project ID":          {args: []string{"--project-id", "a/b"}, code: exitUsage, want: []string{`--project-id: invalid project ID: "a/b"`}},
		"bad project ID variable": {env: env{envProjectID: "a/b"}, args: []string{"--endpoint", "{server}"}, code: exitUsage, want: []string{envProjectID + " has characters"}},
		"bad region and project":  {args: []string{"--region", "North China", "--project-id", "a/b"}, code: exitUsage, want: []string{"invalid configuration:", "--region", "--project-id"}},
		"nothing configured": {
			bare: true, code: exitUsage,
			want: []string{"missing configuration", envAK, envSK, envCredsFile, envProjectID, "--project-id", "--region", "--endpoint", "--demo"},
		},
		"no secret key":      {bare: true, env: env{envAK: "AK", envProjectID: "p"}, args: []string{"--region", "cn-north-4"}, code: exitUsage, want: []string{envAK + " is set but " + envSK + " is not", "the profile file", "--demo"}},
		"no access key":      {bare: true, env: env{envSK: "SK", envProjectID: "p"}, args: []string{"--region", "cn-north-4"}, code: exitUsage, want: []string{envSK + " is set but " + envAK + " is not"}},
		"no project ID":      {bare: true, env: env{envAK: "AK", envSK: "SK"}, args: []string{"--endpoint", "{server}"}, code: exitUsage, want: []string{"set --project-id or " + envProjectID + ", or --region"}},
		"no region":          {code: exitUsage, want: []string{"--region", envRegion, "--endpoint"}},
		"bad access key":     {bare: true, env: env{envAK: "A K", envSK: "SK", envProjectID: "p"}, args: []string{"--region", "cn-north-4"}, code: exitUsage, want: []string{"invalid credentials"}},
		"bad profile file":   {bare: true, env: env{envCredsFile: writeProfile(t, "[basic]\nak AK\n")}, args: []string{"--endpoint", "{server}"}, code: exitUsage, want: []string{"invalid credentials"}},
		"profile without sk": {bare: true, env: env{envCredsFile: writeProfile(t, "[basic]\nak = AK\n")}, args: []string{"--endpoint", "{server}"}, code: exitUsage, want: []string{"invalid credentials", "has ak but no sk"}},
		"profile no [basic]": {bare: true, env: env{envCredsFile: writeProfile(t, "[default]\nak = AK\nsk = SK\n")}, args: []string{"--endpoint", "{server}"}, code: exitUsage, want: []string{"invalid credentials", "has no [basic] section"}},
		"no project in IAM": {
			env: env{envProjectID: "", envIAM: "{server}"}, args: []string{"--region", "cn-south-1", "--endpoint", "{server}"}, code: exitUsage,
			want: []string{`IAM lists no project named "cn-south-1"`, "hint: set --project-id or " + envProjectID},
		},

		// The call.
		"wrong secret key": {env: env{envSK: "wrong-secret"}, args: []string{"--endpoint", "{server}"}, code: exitFailure, want: []string{"401 Unauthorized", "hint:", envAK}},
		"injected fault": {
			args: []string{"--endpoint", "{server}"}, code: exitFailure,
			fault: &cphtest.Fault{Status: http.StatusBadRequest, Code: "CPS.0003", Message: "Service internal error."},
			want:  []string{"400 Bad Request", "CPS.0003"},
		},
		"retried then failed": {
			args: []string{"--endpoint", "{server}"}, code: exitFailure,
			fault: &cphtest.Fault{Status: http.StatusServiceUnavailable, Code: "CPS.0001", Message: "busy"},
			want:  []string{"attempt 1 of 3 failed (503 Service Unavailable)", "attempt 2 of 3 failed", "503 Service Unavailable"},
		},
		"retried then listed": {args: []string{"--endpoint", "{server}"}, code: exitOK, fault: &cphtest.Fault{Status: http.StatusServiceUnavailable}, want: []string{"ListPhoneImages: attempt 1 of 3 failed (503 Service Unavailable); retrying"}},
		"timeout": {
			args: []string{"--endpoint", "{server}", "--timeout", "50ms"}, code: exitFailure, fault: &cphtest.Fault{Hang: true},
			want: []string{"no answer within --timeout 50ms", "--timeout"},
		},
		"connection refused": {args: []string{"--endpoint", "{server}"}, url: closedURL, code: exitFailure, want: []string{"connection refused", "check --endpoint"}},
		"invalid response":   {args: []string{"--endpoint", "{server}"}, url: answering(`{"phone_images": 7}`), code: exitFailure, want: []string{"invalid response", "check --endpoint"}},
		"unknown label":      {args: []string{"--endpoint", "{server}", "--label", "cloud_phon"}, code: exitOK, want: []string{`no image has --label "cloud_phon"`, "cloud_phone, cloud_phone_1620"}},
		"demo":               {bare: true, args: []string{"--demo"}, code: exitOK, want: []string{"--demo"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			url := srv.URL
			if tt.url != nil {
				url = tt.url(t)
			}
			e := env{}
			if !tt.bare {
				e = serverEnv(srv)
			}
			for k, v := range tt.env {
				e[k] = strings.ReplaceAll(v, "{server}", url)
			}
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "{server}", url)
			}
			if tt.fault != nil {
				srv.InjectFault(1, *tt.fault)
				if tt.code == exitFailure && tt.fault.Status == http.StatusServiceUnavailable {
					srv.InjectFault(2, *tt.fault) // every attempt
				}
			}
			before := len(srv.Requests())
			r := runCLI(t, e, args...)
			assert.Equal(t, tt.code, r.code, "stderr: %s", r.stderr)
			for _, w := range tt.want {
				assert.Contains(t, r.stderr, w)
			}
			for _, w := range tt.absent {
				assert.NotContains(t, r.stderr, w)
			}
			assert.NotRegexp(t, `\bWith[A-Z]`, scrubVerbose(r.stderr), "a message names a Go option")
			assert.NotContains(t, r.stderr, creds.SecretKey)
			if tt.code == exitUsage && !strings.Contains(name, "IAM") {
				assert.Empty(t, r.stdout)
				assert.Len(t, srv.Requests(), before, "a usage error sends nothing")
			}
			checkGolden(t, "stderr", name, normalize(r.stderr))
		})
	}

	// Only what is missing is named.
	r := runCLI(t, env{envAK: "AK", envProjectID: "p"}, "--region", "cn-north-4")
	assert.Contains(t, r.stderr, "credentials: ")
	assert.NotContains(t, r.stderr, "--project-id")
	assert.NotContains(t, r.stderr, "set --region")
}

// scrubVerbose drops the library's own text, which --verbose shows as
// "library: ..." lines.
func scrubVerbose(stderr string) string {
	var kept []string
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "library:") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

func TestScrub(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"nothing to drop":   {"invalid endpoint: \"x\" has no host", "invalid endpoint: \"x\" has no host"},
		"a last clause":     {`insecure endpoint: "http://h" sends in clear text; use https, or WithAllowInsecureHTTP`, `insecure endpoint: "http://h" sends in clear text`},
		"a middle clause":   {"a; set one with WithProjectID; b", "a; b"},
		"an aside":          {"not retried: longer than the 1m0s allowed (WithMaxRetryAfter)", "not retried: longer than the 1m0s allowed"},
		"the first is kept": {"WithFoo failed", "WithFoo failed"},
		"other words stay":  {"a; without it; with care", "a; without it; with care"},
		"clauses in parens": {"tried the file f (no such file; create it, or set V); or give them with WithCredentials", "tried the file f (no such file; create it, or set V)"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, scrub(tt.in))
		})
	}
}
