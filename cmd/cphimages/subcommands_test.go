package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
)

// fakeSharedImage is an image another project shares with the fake's
// project, which has accepted it.
var fakeSharedImage = cph.Image{
	ID: demoSharedImage.ID, Name: demoSharedImage.Name, Version: demoSharedImage.OSName,
	Type: cph.ImageTypeShared, Status: cph.ImageStatusAvailable, SizeBytes: 1610612736,
	DomainID: "1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e", SourceProjectID: demoPartnerProjectID,
	Created: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), Updated: time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC),
}

// fakeImages are the fake's images unless a case says otherwise: the
// demo's own, then one shared with it.
var fakeImages = append(slices.Clip(demoCustomImages), fakeSharedImage)

// Members of demoCustomImages' first image, for the fake.
var fakeMembers = []cph.ImageMember{
	{ImageID: demoPrivateImage.ID, ProjectID: demoPartnerProjectID,
		Created: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), Updated: time.Date(2026, 3, 4, 11, 30, 0, 0, time.UTC)},
	{ImageID: demoPrivateImage.ID, ProjectID: "00112233445566778899aabbccddeeff",
		Created: time.Date(2026, 4, 17, 2, 13, 38, 58e6, time.UTC), Updated: time.Date(2026, 4, 17, 2, 13, 38, 58e6, time.UTC)},
}

// Images and members with every kind of value a table has to show: an
// unknown status and type, times the library did not read and times in
// another zone, no times at all, control characters, sizes in each unit.
var (
	variedImages = []cph.Image{
		{ID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", Name: "tab\tname\x1b[31m", Type: "future", Status: 7, SizeBytes: 1023,
			CreatedRaw: "2026/05/01 10:00:00", UpdatedRaw: "1713320018058x"},
		{ID: "ffeeddccbbaa99887766554433221100", Name: "big", Version: "AOSP12.0.0", Type: cph.ImageTypePrivate,
			Status: cph.ImageStatusAvailable, SizeBytes: 5 << 40, ProjectID: "p1",
			Created: time.Date(2026, 5, 1, 18, 0, 0, 0, time.FixedZone("CST", 8*3600)), UpdatedRaw: "1746093600000"},
		{ID: "11112222333344445555666677778888", Type: cph.ImageTypeShared, Status: cph.ImageStatusFailed, SizeBytes: 1536,
			SourceProjectID: "p2"},
		{ID: "99990000999900009999000099990000", Name: "almost a MiB", Status: cph.ImageStatusCreating, SizeBytes: 1<<20 - 1},
	}
	variedMembers = []cph.ImageMember{
		{ImageID: "img", ProjectID: "p1", Created: time.Date(2026, 5, 1, 18, 0, 0, 0, time.FixedZone("CST", 8*3600)), UpdatedRaw: "yesterday"},
		{ImageID: "img", ProjectID: ""},
	}
)

// subCase is one run of a subcommand.
type subCase struct {
	args       []string     // the subcommand's name, then its command line
	fake       *fakeManager // nil: a fake with fakeImages and fakeMembers
	connectErr error        // what connect returns
	terminal   bool         // whether stdin is a terminal
	stdin      io.Reader    // nil: empty
	stdout     io.Writer    // nil: a buffer
	canceled   bool         // the context is canceled before the run
	// cancelAfter, if not 0, cancels the context after AllImages yielded
	// that many images.
	cancelAfter int
	code        int      // the exit code
	calls       []string // the calls the fake must have seen
}

// subRun is what a run returned and wrote, and what it asked of its env.
type subRun struct {
	result
	fake      *fakeManager
	connected []options // the options connect was called with
	done      int       // how many times the done func of connect was called
}

func runSub(t *testing.T, tc subCase) subRun {
	t.Helper()
	r := subRun{fake: tc.fake}
	if r.fake == nil {
		r.fake = &fakeManager{images: fakeImages, members: fakeMembers}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if tc.canceled {
		cancel()
	}
	if tc.cancelAfter != 0 {
		r.fake.afterImage = func(n int) {
			if n == tc.cancelAfter {
				cancel()
			}
		}
	}
	stdin := tc.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	env := subEnv{
		connect: func(_ context.Context, o options) (imageManager, func(), error) {
			r.connected = append(r.connected, o)
			if tc.connectErr != nil {
				return nil, nil, tc.connectErr
			}
			return r.fake, func() { r.done++ }, nil
		},
		stdin:           stdin,
		stdinIsTerminal: func() bool { return tc.terminal },
	}
	var stdout, stderr bytes.Buffer
	var out io.Writer = &stdout
	if tc.stdout != nil {
		out = tc.stdout
	}
	r.code = runSubcommand(ctx, tc.args[0], tc.args[1:], env, out, &stderr)
	r.stdout, r.stderr = stdout.String(), stderr.String()
	return r
}

// checkStreamsGolden compares the run's stdout and stderr with
// testdata/subcommands/NAME.stdout.golden and NAME.stderr.golden; a file
// that is not there stands for no output. With -update it writes them.
func checkStreamsGolden(t *testing.T, name string, r result) {
	t.Helper()
	for _, part := range []struct{ stream, got string }{{"stdout", r.stdout}, {"stderr", r.stderr}} {
		path := filepath.Join("testdata", "subcommands", name+"."+part.stream+".golden")
		if *update {
			if part.got == "" {
				require.NoError(t, ignoreNotExist(os.Remove(path)))
			} else {
				require.NoError(t, os.WriteFile(path, []byte(part.got), 0o644))
			}
		}
		want, err := os.ReadFile(path)
		require.NoError(t, ignoreNotExist(err), "run go test -update to create it")
		assert.Equal(t, string(want), part.got, "%s (go test -update rewrites it)", path)
	}
}

func ignoreNotExist(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// goOptionOrPackage matches the name of a Go option of the library, which no
// message of the command names.
var goOptionOrPackage = regexp.MustCompile(`\bWith[A-Z]|cph\.`)

const img = "5f1c0e9a7b3d4c2e8a6f0b1d2c3e4f50"

var (
	apiError = &cph.APIError{Operation: "ListImages", StatusCode: 500, Code: "CPS.0001",
		Message: "Service internal error.", RequestID: "0f9e8d7c6b5a49382716059483726150"}
	authError = &cph.APIError{Operation: "ListImageMembers", StatusCode: 401, Code: "APIGW.0301",
		Message: "Incorrect IAM authentication information: verify aksk signature fail", RequestID: "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"}
	bareAPIError = &cph.APIError{StatusCode: 404}
)

// TestSubcommandGolden runs each subcommand against the fake and pins
// what it writes, for output and for failures.
func TestSubcommandGolden(t *testing.T) {
	tests := map[string]subCase{
		// custom
		"custom_table":        {args: []string{"custom"}, calls: []string{`AllImages("0 options")`}},
		"custom_json":         {args: []string{"custom", "--output", "json"}, calls: []string{`AllImages("0 options")`}},
		"custom_demo":         {args: []string{"custom", "--demo"}, calls: []string{`AllImages("0 options")`}},
		"custom_empty_table":  {args: []string{"custom"}, fake: &fakeManager{}, calls: []string{`AllImages("0 options")`}},
		"custom_empty_json":   {args: []string{"custom", "--output=json"}, fake: &fakeManager{}, calls: []string{`AllImages("0 options")`}},
		"custom_varied_table": {args: []string{"custom"}, fake: &fakeManager{images: variedImages}, calls: []string{`AllImages("0 options")`}},
		"custom_varied_json":  {args: []string{"custom", "--output", "json"}, fake: &fakeManager{images: variedImages}, calls: []string{`AllImages("0 options")`}},
		"custom_filters": {
			args: []string{"custom", "--status", "available", "--name", "my-game-image", "--id", img, "--type", "private",
				"--since", "2026-01-01", "--until", "2026-12-31T23:59:59Z", "--source-project", demoPartnerProjectID, "--page-size", "10"},
			calls: []string{`AllImages("7 options")`},
		},

		// members
		"members_table":        {args: []string{"members", img}, calls: []string{`ListImageMembers("` + img + `")`}},
		"members_json":         {args: []string{"members", img, "--output", "json"}, calls: []string{`ListImageMembers("` + img + `")`}},
		"members_empty_table":  {args: []string{"members", img}, fake: &fakeManager{}, calls: []string{`ListImageMembers("` + img + `")`}},
		"members_empty_json":   {args: []string{"members", "--output", "json", img}, fake: &fakeManager{}, calls: []string{`ListImageMembers("` + img + `")`}},
		"members_varied_table": {args: []string{"members", "img"}, fake: &fakeManager{members: variedMembers}, calls: []string{`ListImageMembers("img")`}},
		"members_varied_json":  {args: []string{"members", "img", "--output", "json"}, fake: &fakeManager{members: variedMembers}, calls: []string{`ListImageMembers("img")`}},

		// share, unshare, accept, reject
		"share_table":   {args: []string{"share", img, demoPartnerProjectID}, calls: []string{`AddImageMember("` + img + `", "` + demoPartnerProjectID + `")`}},
		"share_json":    {args: []string{"share", img, demoPartnerProjectID, "--output", "json"}, calls: []string{`AddImageMember("` + img + `", "` + demoPartnerProjectID + `")`}},
		"unshare_table": {args: []string{"unshare", img, demoPartnerProjectID}, calls: []string{`DeleteImageMember("` + img + `", "` + demoPartnerProjectID + `")`}},
		"unshare_json":  {args: []string{"unshare", "--output", "json", img, demoPartnerProjectID}, calls: []string{`DeleteImageMember("` + img + `", "` + demoPartnerProjectID + `")`}},
		"accept_table":  {args: []string{"accept", img}, calls: []string{`UpdateImageMember("` + img + `", "accepted")`}},
		"accept_json":   {args: []string{"accept", img, "--output", "json"}, calls: []string{`UpdateImageMember("` + img + `", "accepted")`}},
		"reject_table":  {args: []string{"reject", img}, calls: []string{`UpdateImageMember("` + img + `", "rejected")`}},
		"reject_json":   {args: []string{"reject", img, "--output", "json"}, calls: []string{`UpdateImageMember("` + img + `", "rejected")`}},

		// delete
		"delete_yes_table":      {args: []string{"delete", img, "--yes"}, calls: []string{`DeleteImage("` + img + `")`}},
		"delete_yes_json":       {args: []string{"delete", "--yes", "--output", "json", img}, calls: []string{`DeleteImage("` + img + `")`}},
		"delete_yes_terminal":   {args: []string{"delete", img, "--yes"}, terminal: true, stdin: strings.NewReader("n\n"), calls: []string{`DeleteImage("` + img + `")`}},
		"delete_confirmed":      {args: []string{"delete", img}, terminal: true, stdin: strings.NewReader("y\n"), calls: []string{`DeleteImage("` + img + `")`}},
		"delete_confirmed_yes":  {args: []string{"delete", img}, terminal: true, stdin: strings.NewReader("  YES \n"), calls: []string{`DeleteImage("` + img + `")`}},
		"delete_confirmed_json": {args: []string{"delete", img, "--output", "json"}, terminal: true, stdin: strings.NewReader("y\n"), calls: []string{`DeleteImage("` + img + `")`}},
		"delete_declined":       {args: []string{"delete", img}, terminal: true, stdin: strings.NewReader("n\n"), code: exitFailure},
		"delete_default_no":     {args: []string{"delete", img}, terminal: true, stdin: strings.NewReader("\n"), code: exitFailure},
		"delete_eof":            {args: []string{"delete", img}, terminal: true, code: exitFailure},
		"delete_interrupted":    {args: []string{"delete", img}, terminal: true, stdin: blockingReader(t), canceled: true, code: exitInterrupted},

		// failures of the API, the network and the context
		"err_custom_api_midway": {args: []string{"custom"}, fake: &fakeManager{images: demoCustomImages[:2], imagesErr: apiError},
			code: exitFailure, calls: []string{`AllImages("0 options")`}},
		"err_custom_api_first": {args: []string{"custom", "--output", "json"}, fake: &fakeManager{imagesErr: apiError},
			code: exitFailure, calls: []string{`AllImages("0 options")`}},
		"err_custom_network_midway": {args: []string{"custom"}, fake: &fakeManager{images: demoCustomImages[:1],
			imagesErr: errors.New("cph: ListImages: Get \"http://127.0.0.1:1/v1/p/cloud-phone/images?offset=100\": connection refused")},
			code: exitFailure, calls: []string{`AllImages("0 options")`}},
		"err_custom_timeout": {args: []string{"custom", "--timeout", "10ms"}, fake: &fakeManager{images: demoCustomImages[:2], hang: true},
			code: exitFailure, calls: []string{`AllImages("0 options")`}},
		"err_custom_canceled": {args: []string{"custom"}, cancelAfter: 2, code: exitInterrupted, calls: []string{`AllImages("0 options")`}},
		"err_members_auth": {args: []string{"members", img}, fake: &fakeManager{err: authError},
			code: exitFailure, calls: []string{`ListImageMembers("` + img + `")`}},
		"err_members_auth_demo": {args: []string{"members", img, "--demo"}, fake: &fakeManager{err: authError},
			code: exitFailure, calls: []string{`ListImageMembers("` + img + `")`}},
		"err_share_bare_api": {args: []string{"share", img, "p"}, fake: &fakeManager{err: fmt.Errorf("wrapped: %w", bareAPIError)},
			code: exitFailure, calls: []string{`AddImageMember("` + img + `", "p")`}},
		"err_unshare_network": {args: []string{"unshare", img, "p"}, fake: &fakeManager{err: errors.New("cph: DeleteImageMember: dial tcp 127.0.0.1:1: connect: connection refused")},
			code: exitFailure, calls: []string{`DeleteImageMember("` + img + `", "p")`}},
		"err_accept_timeout": {args: []string{"accept", img, "--timeout=10ms"}, fake: &fakeManager{hang: true},
			code: exitFailure, calls: []string{`UpdateImageMember("` + img + `", "accepted")`}},
		"err_reject_canceled": {args: []string{"reject", img}, canceled: true, code: exitInterrupted, calls: []string{`UpdateImageMember("` + img + `", "rejected")`}},
		"err_delete_api": {args: []string{"delete", img, "--yes"}, fake: &fakeManager{err: &cph.APIError{Operation: "DeleteImage", StatusCode: 400,
			Code: "CPS.0022", Message: "The image is in use.", RequestID: "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"}},
			code: exitFailure, calls: []string{`DeleteImage("` + img + `")`}},
		"err_delete_timeout_after_answer": {args: []string{"delete", img, "--timeout", "10ms"}, terminal: true, stdin: strings.NewReader("y\n"),
			fake: &fakeManager{hang: true}, code: exitFailure, calls: []string{`DeleteImage("` + img + `")`}},
		"err_accept_no_project": {args: []string{"accept", img, "--region", "cn-south-1"},
			fake: &fakeManager{err: fmt.Errorf("cph: UpdateImageMember: %w: IAM lists no project named \"cn-south-1\"", cph.ErrMissingProjectID)},
			code: exitUsage, calls: []string{`UpdateImageMember("` + img + `", "accepted")`}},
		"err_members_invalid": {args: []string{"members", "a"}, fake: &fakeManager{err: fmt.Errorf("cph: ListImageMembers: %w: image ID is too long", cph.ErrInvalidParameter)},
			code: exitUsage, calls: []string{`ListImageMembers("a")`}},
		"err_connect_config": {args: []string{"custom"}, connectErr: &usageError{msg: "missing configuration:\n  set --region (such as cn-north-4), " + envRegion + " or --endpoint\n  (or try --demo, which needs none of these)"},
			code: exitUsage},
		"err_connect_other": {args: []string{"members", img}, connectErr: errors.New("the demo server did not start"), code: exitFailure},
		"err_write_table":   {args: []string{"custom"}, stdout: failingWriter{}, code: exitFailure, calls: []string{`AllImages("0 options")`}},
		"err_write_json":    {args: []string{"share", img, "p", "--output", "json"}, stdout: failingWriter{}, code: exitFailure, calls: []string{`AddImageMember("` + img + `", "p")`}},
		"err_write_line":    {args: []string{"delete", img, "--yes"}, stdout: failingWriter{}, code: exitFailure, calls: []string{`DeleteImage("` + img + `")`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := runSub(t, tc)
			require.Equal(t, tc.code, r.code, "stderr: %s", r.stderr)
			checkStreamsGolden(t, name, r.result)
			assert.Equal(t, tc.calls, nilIfEmpty(r.fake.Calls()))
			require.Len(t, r.connected, 1, "it connects once")
			if tc.connectErr == nil {
				assert.Equal(t, 1, r.done, "it releases what it connected to")
			}
			if strings.HasSuffix(name, "_json") && tc.code == exitOK {
				assert.True(t, json.Valid([]byte(r.stdout)), r.stdout)
			}
			if tc.code != exitOK {
				assert.Empty(t, r.stdout, "a failure writes nothing to stdout")
				assert.NotEmpty(t, r.stderr)
			}
			assert.NotRegexp(t, goOptionOrPackage, r.stderr, "messages name flags, arguments and variables, not Go options")
			assert.Equal(t, slicesContains(tc.args, "--demo"), strings.Contains(r.stderr, "cphimages: --demo: "), "the demo note, and only with --demo")
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func slicesContains(s []string, v string) bool {
	for _, e := range s {
		if e == v {
			return true
		}
	}
	return false
}

// blockingReader is a reader whose Read waits until the test ends.
func blockingReader(t *testing.T) io.Reader {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	return r
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestSubcommandUsageErrors pins each command line a subcommand refuses:
// exit 2, a message naming the flag or the argument, and no connection,
// so nothing is sent.
func TestSubcommandUsageErrors(t *testing.T) {
	tests := map[string]subCase{
		"usage_unknown_subcommand":      {args: []string{"bogus"}},
		"usage_custom_argument":         {args: []string{"custom", "images"}},
		"usage_members_no_args":         {args: []string{"members"}},
		"usage_members_two_args":        {args: []string{"members", img, "extra"}},
		"usage_share_one_arg":           {args: []string{"share", img}},
		"usage_share_three_args":        {args: []string{"share", img, "p", "q"}},
		"usage_unshare_no_args":         {args: []string{"unshare", "--output", "json"}},
		"usage_accept_two_args":         {args: []string{"accept", img, img}},
		"usage_reject_no_args":          {args: []string{"reject"}},
		"usage_delete_no_args":          {args: []string{"delete", "--yes"}},
		"usage_image_slash":             {args: []string{"members", "a/b"}},
		"usage_image_dotdot":            {args: []string{"delete", "--yes", ".."}},
		"usage_image_space":             {args: []string{"accept", "my image"}},
		"usage_image_control":           {args: []string{"reject", "img\x1b[2J"}},
		"usage_image_empty":             {args: []string{"members", ""}},
		"usage_project_slash":           {args: []string{"share", img, "../other"}},
		"usage_status":                  {args: []string{"custom", "--status", "PRODUCTION"}},
		"usage_type":                    {args: []string{"custom", "--type", "public"}},
		"usage_since":                   {args: []string{"custom", "--since", "yesterday"}},
		"usage_until":                   {args: []string{"custom", "--until", "2026-13-01"}},
		"usage_range":                   {args: []string{"custom", "--since", "2026-05-02", "--until", "2026-05-01T12:00:00+08:00"}},
		"usage_page_size_zero":          {args: []string{"custom", "--page-size", "0"}},
		"usage_page_size_101":           {args: []string{"custom", "--page-size=101"}},
		"usage_page_size_word":          {args: []string{"custom", "--page-size", "ten"}},
		"usage_output":                  {args: []string{"members", img, "--output", "yaml"}},
		"usage_unknown_flag":            {args: []string{"share", "--force", img, "p"}},
		"usage_flag_of_another":         {args: []string{"members", img, "--yes"}},
		"usage_timeout_zero":            {args: []string{"custom", "--timeout", "0s"}},
		"usage_demo_region":             {args: []string{"custom", "--demo", "--region", "cn-north-4"}},
		"usage_demo_project":            {args: []string{"accept", img, "--demo", "--project-id", "p"}},
		"usage_delete_no_terminal":      {args: []string{"delete", img}, stdin: strings.NewReader("y\n")},
		"usage_delete_no_terminal_json": {args: []string{"delete", img, "--output", "json"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tc.code = exitUsage
			r := runSub(t, tc)
			require.Equal(t, exitUsage, r.code, "stderr: %s", r.stderr)
			checkStreamsGolden(t, name, r.result)
			assert.Empty(t, r.connected, "a usage error connects to nothing")
			assert.Empty(t, r.fake.Calls())
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, "Run 'cphimages ")
			assert.NotRegexp(t, goOptionOrPackage, r.stderr, "messages name flags, arguments and variables, not Go options")
		})
	}
}

func TestSubcommandUsageErrors_NameWhatIsWrong(t *testing.T) {
	tests := map[string]struct {
		args []string
		want []string
	}{
		"count":        {[]string{"share", img}, []string{"share", "IMAGE and PROJECT", "got 1"}},
		"image":        {[]string{"members", "a/b"}, []string{`IMAGE "a/b"`, `"/"`}},
		"project":      {[]string{"share", img, "a b"}, []string{`PROJECT "a b"`}},
		"status":       {[]string{"custom", "--status", "x"}, []string{"-status", "creating, available, failed"}},
		"type":         {[]string{"custom", "--type", "all"}, []string{"-type", "private or share"}},
		"since":        {[]string{"custom", "--since", "x"}, []string{"-since", "RFC 3339", "date"}},
		"range":        {[]string{"custom", "--since", "2026-02-01", "--until", "2026-01-01"}, []string{"--since 2026-02-01T00:00:00Z", "--until 2026-01-01T23:59:59Z"}},
		"page size":    {[]string{"custom", "--page-size", "0"}, []string{"-page-size", "1 to 100"}},
		"no terminal":  {[]string{"delete", img}, []string{"--yes", img, "not a terminal"}},
		"demo":         {[]string{"custom", "--demo", "--endpoint", "http://127.0.0.1:1"}, []string{"--demo", "--endpoint"}},
		"unknown flag": {[]string{"custom", "--nope"}, []string{"-nope"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := runSub(t, subCase{args: tt.args})
			assert.Equal(t, exitUsage, r.code)
			for _, w := range tt.want {
				assert.Contains(t, r.stderr, w)
			}
		})
	}
}

// TestSubcommandHelp pins each subcommand's -h, and the list that
// cphimages -h shows.
func TestSubcommandHelp(t *testing.T) {
	for _, sub := range subcommands {
		t.Run(sub.name, func(t *testing.T) {
			r := runSub(t, subCase{args: []string{sub.name, "-h"}})
			require.Equal(t, exitOK, r.code, r.stderr)
			checkStreamsGolden(t, "help_"+sub.name, r.result)
			assert.Empty(t, r.connected)
			assert.Contains(t, r.stdout, "Usage: cphimages "+sub.synopsis()+" [flags]")
			for _, flag := range []string{"-demo", "-output", "-region", "-endpoint", "-project-id", "-timeout", "-verbose", "Exit status"} {
				assert.Contains(t, r.stdout, flag)
			}

			long := runSub(t, subCase{args: []string{sub.name, img, "--help"}})
			assert.Equal(t, exitOK, long.code)
			assert.Equal(t, r.stdout, long.stdout, "--help anywhere is -h")
		})
	}

	var b bytes.Buffer
	printSubcommands(&b)
	checkStreamsGolden(t, "help_list", result{stdout: b.String()})
	for _, want := range []string{"custom", "members IMAGE", "share IMAGE PROJECT", "unshare IMAGE PROJECT", "accept IMAGE", "reject IMAGE", "delete IMAGE"} {
		assert.Regexp(t, `(?m)^  `+regexp.QuoteMeta(want)+` `, b.String())
	}
}

func TestIsSubcommand(t *testing.T) {
	for _, name := range []string{"custom", "members", "share", "unshare", "accept", "reject", "delete"} {
		assert.True(t, isSubcommand(name), name)
	}
	for _, name := range []string{"", "-h", "--demo", "Custom", "list", "help"} {
		assert.False(t, isSubcommand(name), name)
	}
}

func TestCustomFilterFlags(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := map[string]struct {
		args []string
		want customFilter
	}{
		"none":      {nil, customFilter{}},
		"status":    {[]string{"--status", "failed"}, customFilter{status: cph.ImageStatusFailed, hasStatus: true}},
		"creating":  {[]string{"--status=creating"}, customFilter{status: cph.ImageStatusCreating, hasStatus: true}},
		"name":      {[]string{"--name", "my image"}, customFilter{name: "my image"}},
		"id":        {[]string{"--id", img}, customFilter{id: img}},
		"private":   {[]string{"--type", "private"}, customFilter{imageType: cph.ImageTypePrivate}},
		"share":     {[]string{"--type", "share"}, customFilter{imageType: cph.ImageTypeShared}},
		"source":    {[]string{"--source-project", "p"}, customFilter{sourceProject: "p"}},
		"page size": {[]string{"--page-size", "1"}, customFilter{pageSize: 1}},
		"max page":  {[]string{"--page-size", "100"}, customFilter{pageSize: 100}},
		"since date": {[]string{"--since", "2026-05-01"},
			customFilter{since: day(2026, 5, 1)}},
		"until date, the whole day": {[]string{"--until", "2026-05-01"},
			customFilter{until: day(2026, 5, 2).Add(-time.Millisecond)}},
		"one day": {[]string{"--since", "2026-05-01", "--until", "2026-05-01"},
			customFilter{since: day(2026, 5, 1), until: day(2026, 5, 2).Add(-time.Millisecond)}},
		"RFC 3339 with a zone": {[]string{"--since", "2026-05-01T08:00:00+08:00", "--until", "2026-05-01T00:00:00Z"},
			customFilter{since: day(2026, 5, 1), until: day(2026, 5, 1)}},
		"fractional seconds": {[]string{"--since", "2026-05-01T00:00:00.5Z"},
			customFilter{since: day(2026, 5, 1).Add(500 * time.Millisecond)}},
		"last one wins": {[]string{"--status", "failed", "--status", "available"},
			customFilter{status: cph.ImageStatusAvailable, hasStatus: true}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := parseSubcommand(customCommand, tt.args)
			require.NoError(t, err)
			assert.True(t, tt.want.since.Equal(s.filter.since), "since %s, want %s", s.filter.since, tt.want.since)
			assert.True(t, tt.want.until.Equal(s.filter.until), "until %s, want %s", s.filter.until, tt.want.until)
			got, want := s.filter, tt.want
			got.since, got.until, want.since, want.until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			assert.Equal(t, want, got)
		})
	}
}

// Flags go anywhere among the arguments, and -- ends them.
func TestParseSubcommand_FlagsAndArguments(t *testing.T) {
	tests := map[string]struct {
		args   []string
		want   []string
		output string
		yes    bool
	}{
		"flags first":     {[]string{"--output", "json", "--yes", img}, []string{img}, outputJSON, true},
		"flags last":      {[]string{img, "--output", "json", "--yes"}, []string{img}, outputJSON, true},
		"no flags":        {[]string{img}, []string{img}, outputTable, false},
		"double dash":     {[]string{"--yes", "--", "-img"}, []string{"-img"}, outputTable, true},
		"after the arg":   {[]string{img, "--", "--yes"}, nil, outputTable, false}, // two arguments: refused below
		"single dash arg": {[]string{"-"}, []string{"-"}, outputTable, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := parseSubcommand(deleteCommand, tt.args)
			if tt.want == nil {
				var u *usageError
				require.ErrorAs(t, err, &u)
				assert.Equal(t, []string{img, "--yes"}, s.args)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.args)
			assert.Equal(t, tt.output, s.output)
			assert.Equal(t, tt.yes, s.yes)
		})
	}

	// After --, what looks like a flag is an argument.
	s, err := parseSubcommand(shareCommand, []string{"--", img, "--demo"})
	require.NoError(t, err)
	assert.Equal(t, []string{img, "--demo"}, s.args)
	assert.False(t, s.demo)

	s, err = parseSubcommand(shareCommand, []string{"--demo", img, "--timeout", "5s", "p", "--verbose"})
	require.NoError(t, err)
	assert.Equal(t, []string{img, "p"}, s.args)
	assert.Equal(t, options{demo: true, timeout: 5 * time.Second, verbose: true, output: outputTable}, s.options)

	s, err = parseSubcommand(membersCommand, []string{"--region", "cn-north-4", "--endpoint", "https://cph.example.com", "--project-id", "p", img})
	require.NoError(t, err)
	assert.Equal(t, options{region: "cn-north-4", endpoint: "https://cph.example.com", projectID: "p", timeout: 30 * time.Second, output: outputTable}, s.options)
}

// connect receives the connection flags as parsed, once, and only after
// the command line has been checked.
func TestRunSubcommand_ConnectsWithTheFlags(t *testing.T) {
	r := runSub(t, subCase{args: []string{"members", img, "--region", "cn-north-4", "--project-id", "p", "--timeout", "3s", "--verbose", "--output", "json"}})
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, []options{{region: "cn-north-4", projectID: "p", timeout: 3 * time.Second, verbose: true, output: outputJSON}}, r.connected)
	assert.Equal(t, 1, r.done)

	r = runSub(t, subCase{args: []string{"custom", "--demo"}})
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Len(t, r.connected, 1)
	assert.True(t, r.connected[0].demo)
}

// --timeout is the deadline of the call: the context the library gets
// ends --timeout after the call began, not when runSub's (20 s) does.
func TestRunSubcommand_TimeoutIsTheCallsDeadline(t *testing.T) {
	for _, args := range [][]string{
		{"custom"}, {"members", img}, {"share", img, "p"}, {"unshare", img, "p"}, {"accept", img}, {"reject", img}, {"delete", img, "--yes"},
	} {
		t.Run(args[0], func(t *testing.T) {
			f := &fakeManager{}
			start := time.Now()
			r := runSub(t, subCase{args: append(args, "--timeout", "10s"), fake: f})
			end := time.Now()
			require.Equal(t, exitOK, r.code, r.stderr)
			deadlines := f.Deadlines()
			require.Len(t, deadlines, 1)
			assert.False(t, deadlines[0].Before(start.Add(10*time.Second)), "deadline %s, before the run began + 10s", deadlines[0])
			assert.False(t, deadlines[0].After(end.Add(10*time.Second)), "deadline %s, after the run ended + 10s", deadlines[0])
		})
	}
}

// A deadline reaches the call: --timeout bounds it.
func TestRunSubcommand_TimeoutReachesTheCall(t *testing.T) {
	for _, args := range [][]string{
		{"custom"}, {"members", img}, {"share", img, "p"}, {"unshare", img, "p"}, {"accept", img}, {"reject", img}, {"delete", img, "--yes"},
	} {
		t.Run(args[0], func(t *testing.T) {
			r := runSub(t, subCase{args: append(args, "--timeout", "5ms"), fake: &fakeManager{hang: true}})
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, "no answer within --timeout 5ms")
			assert.Len(t, r.fake.Calls(), 1)
		})
	}
}

func TestHumanSize(t *testing.T) {
	tests := map[string]struct {
		n    int64
		want string
	}{
		"zero":         {0, "0 B"},
		"bytes":        {512, "512 B"},
		"just under":   {1023, "1023 B"},
		"1 KiB":        {1024, "1.0 KiB"},
		"1.5 KiB":      {1536, "1.5 KiB"},
		"rounds up":    {1<<20 - 1, "1.0 MiB"},
		"1.5 GiB":      {3 << 29, "1.5 GiB"},
		"3.2 GiB":      {3435973837, "3.2 GiB"},
		"5 TiB":        {5 << 40, "5.0 TiB"},
		"largest":      {1<<63 - 1, "8.0 EiB"},
		"negative":     {-1, "-1 B"},
		"under a TiB":  {1<<40 - 1<<29, "1023.5 GiB"},
		"almost a TiB": {1<<40 - 1<<20, "1.0 TiB"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, humanSize(tt.n))
		})
	}
}

func TestFormatTime(t *testing.T) {
	at := time.Date(2026, 5, 1, 18, 0, 0, 123e6, time.FixedZone("CST", 8*3600))
	assert.Equal(t, "2026-05-01T10:00:00Z", formatTime(at, "ignored"))
	assert.Equal(t, "1713320018058x", formatTime(time.Time{}, "1713320018058x"))
	assert.Equal(t, "", formatTime(time.Time{}, ""))
}

func TestCheckID(t *testing.T) {
	for _, ok := range []string{img, "a", "a.b", "a-b_c", "ü"} {
		assert.NoError(t, checkID(ok), ok)
	}
	for _, bad := range []string{"", "a/b", "/", "..", "a..b", "a b", " a", "a\tb", "a\nb", "a\x00b", "a\u00a0b"} {
		assert.Error(t, checkID(bad), "%q", bad)
	}
}

func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { r.Close(); w.Close() })
	assert.False(t, isTerminal(r), "a pipe")

	f, err := os.Create(filepath.Join(t.TempDir(), "answers"))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	assert.False(t, isTerminal(f), "a regular file")

	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	t.Cleanup(func() { null.Close() })
	assert.True(t, isTerminal(null), "a character device, as the doc comment says")

	closed, err := os.Open(os.DevNull)
	require.NoError(t, err)
	require.NoError(t, closed.Close())
	assert.False(t, isTerminal(closed), "a file that cannot be stat'ed")

	assert.False(t, newSubEnv(r, io.Discard).stdinIsTerminal(), "newSubEnv asks its stdin")
	assert.True(t, newSubEnv(null, io.Discard).stdinIsTerminal())
}

func TestConfirm(t *testing.T) {
	tests := map[string]struct {
		answer string
		want   bool
		stderr string
	}{
		"y":           {"y\n", true, "Q? "},
		"Y":           {"Y\n", true, "Q? "},
		"yes":         {"yes\n", true, "Q? "},
		"YES, spaced": {"  YES \r\n", true, "Q? "},
		"n":           {"n\n", false, "Q? "},
		"empty line":  {"\n", false, "Q? "},
		"yes please":  {"yes please\n", false, "Q? "},
		"ye":          {"ye\n", false, "Q? "},
		"eof":         {"", false, "Q? \n"},
		"y and eof":   {"y", true, "Q? \n"},
		"two lines":   {"n\ny\n", false, "Q? "},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			ok, err := confirm(context.Background(), strings.NewReader(tt.answer), &stderr, "Q? ")
			require.NoError(t, err)
			assert.Equal(t, tt.want, ok)
			assert.Equal(t, tt.stderr, stderr.String())
		})
	}

	// The context ends while the question waits.
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan struct{})
	var ok bool
	var err error
	go func() {
		defer close(done)
		ok, err = confirm(ctx, blockingReader(t), &stderr, "Q? ")
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("confirm did not return when its context ended")
	}
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, ok)
	assert.Equal(t, "Q? \n", stderr.String())
}

// dialClient makes the client as the listing does, and a configuration it
// cannot use is a usage error that names what to set.
func TestDialClient(t *testing.T) {
	t.Run("demo", func(t *testing.T) {
		isolateEnv(t, env{})
		client, done, err := dialClient(options{demo: true, timeout: time.Second}, io.Discard)
		require.NoError(t, err)
		assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, client.Endpoint())
		done()
	})
	t.Run("server", func(t *testing.T) {
		srv := newServer(t)
		isolateEnv(t, serverEnv(srv))
		client, done, err := dialClient(options{endpoint: srv.URL}, io.Discard)
		require.NoError(t, err)
		defer done()
		assert.Equal(t, srv.URL, client.Endpoint())
		assert.Equal(t, srv.ProjectID(), client.ProjectID())
	})
	t.Run("verbose logs to stderr", func(t *testing.T) {
		srv := newServer(t)
		isolateEnv(t, serverEnv(srv))
		var stderr bytes.Buffer
		client, done, err := dialClient(options{endpoint: srv.URL, verbose: true}, &stderr)
		require.NoError(t, err)
		defer done()
		_, err = client.ListPhoneImages(context.Background())
		require.NoError(t, err)
		assert.Contains(t, stderr.String(), `msg="cph: request"`)
		assert.NotContains(t, stderr.String(), srv.Credentials().SecretKey)
	})

	errorCases := map[string]struct {
		env  env
		o    options
		want []string
	}{
		"nothing":    {env{}, options{}, []string{"missing configuration", envAK, "--region", "--demo"}},
		"no region":  {env{envAK: "AK", envSK: "SK", envProjectID: "p"}, options{}, []string{"--region", envRegion, "--endpoint"}},
		"bad region": {env{envAK: "AK", envSK: "SK", envProjectID: "p"}, options{region: "North China"}, []string{`"North China"`}},
	}
	for name, tt := range errorCases {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t, tt.env)
			_, _, err := dialClient(tt.o, io.Discard)
			var u *usageError
			require.ErrorAs(t, err, &u)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotRegexp(t, goOptionOrPackage, err.Error())

			_, _, err = connectClient(context.Background(), tt.o, io.Discard)
			assert.ErrorAs(t, err, &u, "connectClient passes it on")
		})
	}
}
