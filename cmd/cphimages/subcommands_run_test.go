package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// The tests in this file run the subcommands as main does, through run,
// against the --demo server or a cphtest server: the real client, not the
// fake.

// rfc3339 matches a time as the subcommands write it.
var rfc3339 = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// A project the demo project does not share with yet.
const demoNewMemberID = "aabbccddeeff00112233445566778899"

// TestSubcommandDemoGolden runs every subcommand under --demo, table and
// JSON, and pins what it writes: each does something against the fresh
// demo server.
func TestSubcommandDemoGolden(t *testing.T) {
	offered := demoOfferedImage.ID
	tests := map[string]struct {
		args []string
		// clock says the output has the demo server's own times (those
		// of the shares it makes at the start), which the golden file
		// has as {time}.
		clock bool
	}{
		"custom":           {args: []string{"custom"}},
		"custom_filtered":  {args: []string{"custom", "--status", "failed", "--type", "private"}},
		"members":          {args: []string{"members", img}, clock: true},
		"share":            {args: []string{"share", img, demoNewMemberID}},
		"unshare":          {args: []string{"unshare", img, demoPartnerProjectID}},
		"accept":           {args: []string{"accept", offered}},
		"reject":           {args: []string{"reject", offered}},
		"delete":           {args: []string{"delete", img, "--yes"}},
		"delete_partner's": {args: []string{"delete", "--yes", offered}},
		"share_again":      {args: []string{"share", img, demoPartnerProjectID}},
	}
	for name, tt := range tests {
		for _, output := range []string{outputTable, outputJSON} {
			t.Run(name+"_"+output, func(t *testing.T) {
				r := runCLI(t, env{}, append(tt.args, "--demo", "--output", output)...)
				want := exitOK
				if name == "delete_partner's" || name == "share_again" {
					want = exitFailure // the partner's image, and a member already
				}
				require.Equal(t, want, r.code, "stderr: %s", r.stderr)
				if tt.clock {
					assert.Regexp(t, rfc3339, r.stdout)
					r.stdout = rfc3339.ReplaceAllString(r.stdout, "{time}")
				}
				checkStreamsGolden(t, "demo_"+strings.ReplaceAll(name, "'", "")+"_"+output, r)
				if output == outputJSON && want == exitOK {
					assert.True(t, json.Valid([]byte(r.stdout)), r.stdout)
				}
				assert.Contains(t, r.stderr, "cphimages: --demo: ")
			})
		}
	}
}

// The demo's custom images: its own, one in each status; the partner's
// offer is not among them until accepted.
func TestSubcommandDemo_Images(t *testing.T) {
	r := runCLI(t, env{}, "custom", "--demo", "--output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var doc struct {
		Images []customImageJSON `json:"images"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var ids, statuses []string
	for _, img := range doc.Images {
		ids = append(ids, img.ID)
		statuses = append(statuses, img.StatusName)
	}
	assert.Equal(t, []string{demoCustomImages[0].ID, demoCustomImages[1].ID, demoCustomImages[2].ID}, ids)
	assert.ElementsMatch(t, []string{"creating", "available", "failed"}, statuses)
	assert.NotContains(t, r.stdout, demoOfferedImage.ID)

	r = runCLI(t, env{}, "members", demoPrivateImage.ID, "--demo", "--output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, demoPartnerProjectID)
	assert.Contains(t, r.stdout, demoPendingMemberID)
}

// The listing under --demo makes no request but its own: the shares the
// subcommands work on are made only for them.
func TestDemo_ListingSendsOneRequest(t *testing.T) {
	srv := newDemoServer()
	defer srv.Close()
	assert.Empty(t, srv.Requests(), "a fresh demo server has had no request")
	require.NoError(t, shareDemoImages(srv))
	assert.Len(t, srv.Requests(), 4)

	// The listing's demo JSON carries the request ID of a fresh server's
	// first answer.
	r := runCLI(t, env{}, "--demo", "--output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	fresh := newServer(t)
	out, err := newClientOf(t, fresh).ListPhoneImages(context.Background())
	require.NoError(t, err)
	assert.Contains(t, r.stdout, `"request_id": "`+out.RequestID+`"`)
}

func newClientOf(t *testing.T, srv *cphtest.Server) *cph.Client {
	t.Helper()
	c, err := cph.NewClient(srv.ClientOptions()...)
	require.NoError(t, err)
	return c
}

// customServer is a cphtest server with n custom images of the default
// project, and the environment that signs for it.
func customServer(t *testing.T, n int) (*cphtest.Server, env) {
	t.Helper()
	images := make([]cph.Image, n)
	for i := range images {
		images[i] = cph.Image{ID: fmt.Sprintf("%032x", i+1), Name: fmt.Sprintf("image-%03d", i+1), Status: cph.ImageStatusAvailable,
			Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)}
	}
	srv := newServer(t, cphtest.WithCustomImages(images...))
	return srv, serverEnv(srv)
}

// listImagesRequests returns the ListImages requests srv received.
func listImagesRequests(srv *cphtest.Server) []cphtest.Request {
	var out []cphtest.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/cloud-phone/images") {
			out = append(out, r)
		}
	}
	return out
}

// Each filter flag of custom reaches the query parameter the API reads,
// with the value it names, and no other filter is sent.
func TestCustomFilters_ReachTheQuery(t *testing.T) {
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	filters := []string{"status", "image_name", "image_id", "image_type", "create_since", "create_until", "src_project_id"}
	tests := map[string]struct {
		args []string
		want url.Values // the filter parameters sent, and limit when given
	}{
		"none":     {nil, url.Values{}},
		"status":   {[]string{"--status", "failed"}, url.Values{"status": {"2"}}},
		"status 0": {[]string{"--status", "creating"}, url.Values{"status": {"0"}}},
		"name":     {[]string{"--name", "my image"}, url.Values{"image_name": {"my image"}}},
		"id":       {[]string{"--id", img}, url.Values{"image_id": {img}}},
		"type":     {[]string{"--type", "share"}, url.Values{"image_type": {"share"}}},
		"since":    {[]string{"--since", "2026-05-01"}, url.Values{"create_since": {ms(day)}}},
		"until":    {[]string{"--until", "2026-05-01"}, url.Values{"create_until": {ms(day.Add(24*time.Hour - time.Millisecond))}}},
		"since and until": {[]string{"--since", "2026-05-01T08:00:00+08:00", "--until", "2026-05-01T00:00:01.5Z"},
			url.Values{"create_since": {ms(day)}, "create_until": {ms(day.Add(1500 * time.Millisecond))}}},
		"source project": {[]string{"--source-project", demoPartnerProjectID}, url.Values{"src_project_id": {demoPartnerProjectID}}},
		"page size":      {[]string{"--page-size", "7"}, url.Values{"limit": {"7"}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv, e := customServer(t, 3)
			r := runCLI(t, e, append([]string{"custom", "--endpoint", srv.URL, "--output", "json"}, tt.args...)...)
			require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)
			reqs := listImagesRequests(srv)
			require.Len(t, reqs, 1)
			q := reqs[0].Query
			for _, p := range filters {
				assert.Equal(t, tt.want[p], q[p], "query parameter %s", p)
			}
			if want, ok := tt.want["limit"]; ok {
				assert.Equal(t, want, q["limit"])
			}
		})
	}
}

// custom lists every page: 250 images in pages of 100 are 3 requests, at
// offsets 0, 100 and 200, and all 250 listed in order.
func TestCustom_PagesThroughAll(t *testing.T) {
	srv, e := customServer(t, 250)
	r := runCLI(t, e, "custom", "--endpoint", srv.URL, "--page-size", "100", "--output", "json")
	require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)

	reqs := listImagesRequests(srv)
	require.Len(t, reqs, 3)
	for i, req := range reqs {
		assert.Equal(t, "100", req.Query.Get("limit"), "request %d", i)
		assert.Equal(t, i*100, atoi(req.Query.Get("offset")), "request %d", i)
	}
	var doc struct {
		Images []customImageJSON `json:"images"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	require.Len(t, doc.Images, 250)
	for i, img := range doc.Images {
		assert.Equal(t, fmt.Sprintf("%032x", i+1), img.ID)
	}

	// The table too: a header and 250 lines.
	r = runCLI(t, e, "custom", "--endpoint", srv.URL, "--page-size", "100")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Len(t, strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"), 251)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // "" (offset 0 left out) is 0
	return n
}

// The context run is given ends (as main's does on SIGINT) while a
// subcommand's call waits for an answer: exit 130 and the listing's
// message, with what the interruption leaves.
func TestSubcommandInterrupted(t *testing.T) {
	for name, args := range map[string][]string{
		"custom":  {"custom"},
		"members": {"members", img},
		"share":   {"share", img, demoPartnerProjectID},
		"unshare": {"unshare", img, demoPartnerProjectID},
		"accept":  {"accept", img},
		"reject":  {"reject", img},
		"delete":  {"delete", img, "--yes"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := hangingServer(t)
			r := runInterrupted(t, srv, append(args, "--endpoint", srv.URL)...)
			assert.Equal(t, exitInterrupted, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			assert.True(t, strings.HasPrefix(r.stderr, "cphimages: interrupted (SIGINT); "), r.stderr)
			checkStreamsGolden(t, "interrupted_"+name, r)
		})
	}
}

// A subcommand's configuration errors are the listing's messages, word
// for word: each names the flag or the variable to set.
func TestSubcommandConfigMessages(t *testing.T) {
	tests := map[string]struct {
		env  env
		args []string
	}{
		"nothing configured":  {env{}, nil},
		"no secret key":       {env{envAK: "AK", envProjectID: "p"}, []string{"--region", "cn-north-4"}},
		"bad region":          {env{envAK: "AK", envSK: "SK", envProjectID: "p"}, []string{"--region", "North China"}},
		"bad region variable": {env{envAK: "AK", envSK: "SK", envProjectID: "p", envRegion: "North China"}, nil},
		"insecure endpoint":   {env{envAK: "AK", envSK: "SK", envProjectID: "p"}, []string{"--endpoint", "http://example.com"}},
		"bad project ID":      {env{envAK: "AK", envSK: "SK"}, []string{"--region", "cn-north-4", "--project-id", "a_b!"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			listing := runCLI(t, tt.env, tt.args...)
			require.Equal(t, exitUsage, listing.code, listing.stderr)
			for _, sub := range [][]string{{"custom"}, {"members", img}, {"delete", img, "--yes"}} {
				r := runCLI(t, tt.env, append(sub, tt.args...)...)
				assert.Equal(t, exitUsage, r.code, r.stderr)
				assert.Equal(t, normalize(listing.stderr), normalize(r.stderr), "%s: the listing's message", sub[0])
				assert.Empty(t, r.stdout)
			}
			checkStreamsGolden(t, "config_"+strings.ReplaceAll(name, " ", "_"), result{stderr: normalize(listing.stderr)})
			assert.NotRegexp(t, goOptionOrPackage, listing.stderr)
		})
	}
}

// A subcommand's failed call gets the listing's diagnosis: the retries
// said on stderr, and the hints that name --timeout, --endpoint and the
// variables.
func TestSubcommandCallMessages(t *testing.T) {
	answering := func(t *testing.T, body string) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	tests := map[string]struct {
		args   []string // "{server}" is the server's URL
		env    env
		fault  *cphtest.Fault // every attempt gets it
		url    func(t *testing.T) string
		code   int
		want   []string
		golden bool
	}{
		"wrong secret key": {args: []string{"custom"}, env: env{envSK: "wrong-secret"}, code: exitFailure,
			want: []string{"ListImages failed", "401 Unauthorized", "hint:", envAK}, golden: true},
		"timeout": {args: []string{"members", img, "--timeout", "50ms"}, fault: &cphtest.Fault{Hang: true}, code: exitFailure,
			want: []string{"no answer within --timeout 50ms", "a longer --timeout may help"}, golden: true},
		"retried then failed": {args: []string{"accept", img}, fault: &cphtest.Fault{Status: http.StatusServiceUnavailable, Code: "CPS.0001", Message: "busy"}, code: exitFailure,
			want: []string{"UpdateImageMember: attempt 1 of 3 failed (503 Service Unavailable); retrying", "UpdateImageMember failed"}, golden: true},
		"connection refused": {args: []string{"unshare", img, "p"}, url: func(t *testing.T) string {
			s := cphtest.NewServer()
			s.Close()
			return s.URL
		}, code: exitFailure, want: []string{"connection refused", "check --endpoint and the network"}, golden: true},
		"invalid response": {args: []string{"custom"}, url: func(t *testing.T) string { return answering(t, `{"image_infos": 7}`) }, code: exitFailure,
			want: []string{"cph: ListImages: invalid response: decode body: field image_infos is a JSON number", "the answer is not the CPH API's: check --endpoint"}, golden: true},
		"verbose": {args: []string{"delete", img, "--yes", "--verbose"}, code: exitFailure,
			want: []string{"DeleteImage failed", "404 Not Found", "  library:    cph: DeleteImage"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t)
			url := srv.URL
			if tt.url != nil {
				url = tt.url(t)
			}
			e := serverEnv(srv)
			for k, v := range tt.env {
				e[k] = v
			}
			if tt.fault != nil {
				srv.InjectFault(3, *tt.fault)
			}
			r := runCLI(t, e, append(tt.args, "--endpoint", url)...)
			assert.Equal(t, tt.code, r.code, r.stderr)
			for _, w := range tt.want {
				assert.Contains(t, r.stderr, w)
			}
			assert.Empty(t, r.stdout)
			assert.NotRegexp(t, goOptionOrPackage, scrubVerbose(r.stderr))
			if tt.golden {
				checkStreamsGolden(t, "call_"+strings.ReplaceAll(name, " ", "_"), result{stderr: normalize(r.stderr)})
			}
		})
	}
}

// delete without --yes asks only when stdin is a terminal; run passes
// the stdin it is given.
func TestDelete_Stdin(t *testing.T) {
	pipeR, pipeW, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { pipeR.Close(); pipeW.Close() })
	_, err = pipeW.WriteString("y\n")
	require.NoError(t, err)
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	t.Cleanup(func() { null.Close() })

	tests := map[string]struct {
		stdin *os.File
		code  int
		want  []string
	}{
		"a pipe, even with a yes in it":  {pipeR, exitUsage, []string{"stdin is not a terminal", "--yes", img}},
		"no stdin":                       {nil, exitUsage, []string{"stdin is not a terminal", "--yes"}},
		"a character device, at its end": {null, exitFailure, []string{"Delete image " + img + "? [y/N] ", "not deleted: not confirmed"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t, env{})
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"delete", img, "--demo"}, tt.stdin, &stdout, &stderr)
			assert.Equal(t, tt.code, code, stderr.String())
			for _, w := range tt.want {
				assert.Contains(t, stderr.String(), w)
			}
			assert.Empty(t, stdout.String())
		})
	}
}
