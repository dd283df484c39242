package cph

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfileCredentials(t *testing.T) {
	full := "[basic]\nak = " + testAK + "\nsk = " + testSK + "\nsecurity_token = " + testToken +
		"\nproject_id = " + testProjectID + "\niam_endpoint = iam.example.com\n"
	keysOnly := "[basic]\nak = " + testAK + "\nsk = " + testSK + "\n"
	tests := map[string]struct {
		content     string // "" with noFile: no file at all
		noFile      bool
		symlink     bool // the path is a symbolic link to the file
		want        source
		wantMissing string // the missing-credentials detail expected: the chain moves on
		wantInvalid string // the invalid-credentials detail expected: the chain stops
	}{
		"full": {
			content: full,
			want: source{
				creds:     testTempCreds,
				projectID: testProjectID, iamEndpoint: "iam.example.com",
			},
		},
		"keys only":                 {content: keysOnly, want: source{creds: testCreds}},
		"symlink to a regular file": {content: keysOnly, symlink: true, want: source{creds: testCreds}},
		"no file":                   {noFile: true, wantMissing: "no such file; create it, or set HUAWEICLOUD_SDK_CREDENTIALS_FILE"},
		"no keys":                   {content: "[basic]\nproject_id = " + testProjectID + "\n", wantMissing: "has no ak and sk"},
		"other section keys":        {content: "[global]\nak = " + testAK + "\nsk = " + testSK + "\n[basic]\n", wantMissing: "has no ak and sk"},
		"no basic section":          {content: "[global]\nak = A\nsk = S\n", wantInvalid: "has no [basic] section"},
		"empty file":                {content: "", wantInvalid: "has no [basic] section"},
		"no secret key":             {content: "[basic]\nak = " + testAK + "\n", wantInvalid: "has ak but no sk"},
		"no access key":             {content: "[basic]\nsk = " + testSK + "\n", wantInvalid: "has sk but no ak"},
		"malformed":                 {content: "[basic]\nak = " + testAK + "\n" + testSK + "\n", wantInvalid: "line 3"},
		"too large":                 {content: "[basic]\n" + strings.Repeat("# padding\n", maxProfileBytes/10+1), wantInvalid: "is larger than"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			path := filepath.Join(t.TempDir(), "credentials")
			if !tc.noFile {
				path = writeProfile(t, tc.content)
			}
			if tc.symlink {
				link := filepath.Join(t.TempDir(), "link")
				if err := os.Symlink(path, link); err != nil {
					t.Skipf("no symbolic links here: %v", err)
				}
				path = link
			}
			src, err := retrieveSource(context.Background(), ProfileCredentials(path))
			chained, chainErr := ChainCredentials(ProfileCredentials(path), otherCreds).Retrieve(context.Background())
			switch {
			case tc.wantMissing != "":
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrMissingCredentials)
				assert.Contains(t, err.Error(), tc.wantMissing)
				assert.Contains(t, err.Error(), path, "the message names the file")
				assert.True(t, strings.HasPrefix(err.Error(), "cph: ProfileCredentials: missing credentials: "), err.Error())
				assertNoSecret(t, err.Error())
				require.NoError(t, chainErr, "nothing here: a chain moves on")
				assert.Equal(t, otherCreds, chained)
			case tc.wantInvalid != "":
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidCredentials)
				assert.NotErrorIs(t, err, ErrMissingCredentials, "a broken file stops a chain")
				assert.Contains(t, err.Error(), tc.wantInvalid)
				assert.Equal(t, 1, strings.Count(err.Error(), path), "the message names the file once: %s", err)
				assert.True(t, strings.HasPrefix(err.Error(), "cph: ProfileCredentials: invalid credentials: "), err.Error())
				assertNoSecret(t, err.Error())
				assert.EqualError(t, chainErr, err.Error(), "a broken file stops a chain, whatever comes after it")
				assert.Equal(t, Credentials{}, chained)
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.want.creds, src.creds)
				assert.Equal(t, tc.want.projectID, src.projectID)
				assert.Equal(t, tc.want.iamEndpoint, src.iamEndpoint)
				require.NoError(t, chainErr)
				assert.Equal(t, tc.want.creds, chained)
			}
		})
	}
}

// hangGuard is how long a test waits for a call that must not block before
// it fails instead of hanging: a guard, not a timing assertion.
const hangGuard = 10 * time.Second

// notBlocking returns what call returns, or fails the test if call is still
// running after hangGuard. A call stuck opening the named pipe fifo (if
// any) is then let go, so that it outlives no test.
func notBlocking(t *testing.T, fifo string, call func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-time.After(hangGuard):
	}
	unblockFIFO(fifo)
	select {
	case <-done:
	case <-time.After(hangGuard):
	}
	t.Fatalf("still running after %v: a profile file that is not a regular file must be refused, not opened for reading", hangGuard)
	return nil
}

func TestProfileCredentialsNotARegularFile(t *testing.T) {
	tests := map[string]struct {
		make func(t *testing.T) string // makes the thing, returns its path
		kind string
	}{
		"named pipe": {
			make: func(t *testing.T) string {
				path := filepath.Join(t.TempDir(), "credentials")
				if err := mkfifo(path); err != nil {
					t.Skipf("no named pipes here: %v", err)
				}
				return path
			},
			kind: "a named pipe",
		},
		"directory": {
			make: func(t *testing.T) string { return t.TempDir() },
			kind: "a directory",
		},
		"symlink to a directory": {
			make: func(t *testing.T) string {
				link := filepath.Join(t.TempDir(), "credentials")
				if err := os.Symlink(t.TempDir(), link); err != nil {
					t.Skipf("no symbolic links here: %v", err)
				}
				return link
			},
			kind: "a directory",
		},
		"socket": {
			make: func(t *testing.T) string {
				path := filepath.Join(t.TempDir(), "credentials")
				l, err := net.Listen("unix", path)
				if err != nil {
					t.Skipf("no Unix sockets here: %v", err)
				}
				t.Cleanup(func() { _ = l.Close() })
				return path
			},
			kind: "a socket",
		},
		"device": {
			make: func(t *testing.T) string { return os.DevNull },
			kind: "a device",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			path := tc.make(t)
			if fi, err := os.Stat(path); err != nil || fi.Mode().IsRegular() {
				t.Skipf("%s is not a %s here (%v)", path, name, err)
			}
			check := func(t *testing.T, err error, prefix string) {
				t.Helper()
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidCredentials)
				assert.NotErrorIs(t, err, ErrMissingCredentials, "a broken file stops a chain")
				assert.Contains(t, err.Error(), path+" is "+tc.kind+", not a regular file")
				assert.Equal(t, 1, strings.Count(err.Error(), path), "the message names the file once: %s", err)
				assert.True(t, strings.HasPrefix(err.Error(), prefix), err.Error())
			}

			err := notBlocking(t, path, func() error {
				_, err := ProfileCredentials(path).Retrieve(context.Background())
				return err
			})
			check(t, err, "cph: ProfileCredentials: invalid credentials: ")

			var chained Credentials
			err = notBlocking(t, path, func() error {
				var err error
				chained, err = ChainCredentials(ProfileCredentials(path), otherCreds).Retrieve(context.Background())
				return err
			})
			check(t, err, "cph: ProfileCredentials: invalid credentials: ")
			assert.Equal(t, Credentials{}, chained, "not the later provider's")

			t.Setenv(envCredentialsFile, path)
			var c *Client
			err = notBlocking(t, path, func() error {
				var err error
				c, err = NewClient(WithRegion(testRegion))
				return err
			})
			check(t, err, "cph: NewClient: ProfileCredentials: invalid credentials: ")
			assert.Nil(t, c)
		})
	}
}

// profileSwaps replace a profile file while ProfileCredentials opens it;
// the messages are in TestErrorMessagesGolden.
var profileSwaps = map[string]struct {
	swap        func(t *testing.T, path string) error // replaces the file at path
	wantMissing bool                                  // nothing there any more: the chain moves on
}{
	"removed": {
		swap:        func(t *testing.T, path string) error { return os.Remove(path) },
		wantMissing: true,
	},
	"for another regular file": {
		swap: func(t *testing.T, path string) error {
			other := filepath.Join(t.TempDir(), "other")
			if err := os.WriteFile(other, []byte("[basic]\nak = OTHERAKEXAMPLE00010\nsk = other\n"), 0o600); err != nil {
				return err
			}
			return os.Rename(other, path)
		},
	},
	"for a named pipe": {
		swap: func(t *testing.T, path string) error {
			if err := os.Remove(path); err != nil {
				return err
			}
			if err := mkfifo(path); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			return nil
		},
	},
	"for a directory": {
		swap: func(t *testing.T, path string) error {
			if err := os.Remove(path); err != nil {
				return err
			}
			return os.Mkdir(path, 0o700)
		},
	},
}

func TestProfileCredentialsSwappedWhileOpening(t *testing.T) {
	for name, tc := range profileSwaps {
		t.Run(name, func(t *testing.T) {
			_, err := retrieveSwapped(t, name)
			require.Error(t, err)
			if tc.wantMissing {
				assert.ErrorIs(t, err, ErrMissingCredentials)
				return
			}
			assert.ErrorIs(t, err, ErrInvalidCredentials)
			assert.NotErrorIs(t, err, ErrMissingCredentials, "a broken file stops a chain")
		})
	}
}

// retrieveSwapped asks ProfileCredentials for a profile file that
// profileSwaps[name] replaces while it is being opened, and returns the
// file's path and the error.
func retrieveSwapped(t *testing.T, name string) (string, error) {
	t.Helper()
	tc, ok := profileSwaps[name]
	require.True(t, ok, "no swap %q", name)
	isolateEnv(t)
	path := writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\n")
	var swapErr error
	testHookProfileOpen = func(p string) {
		if p == path {
			swapErr = tc.swap(t, path)
		}
	}
	t.Cleanup(func() { testHookProfileOpen = nil })

	err := notBlocking(t, path, func() error {
		_, err := ProfileCredentials(path).Retrieve(context.Background())
		return err
	})
	require.NoError(t, swapErr)
	return path, err
}

func TestProfileCredentialsPath(t *testing.T) {
	profile := func(ak string) string { return "[basic]\nak = " + ak + "\nsk = " + testSK + "\n" }
	t.Run("explicit path wins over the variable", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv(envCredentialsFile, writeProfile(t, profile("FROMVARIABLE0000005")))
		got, err := ProfileCredentials(writeProfile(t, profile("FROMPATH00000000006"))).Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "FROMPATH00000000006", got.AccessKey)
	})
	t.Run("variable", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv(envCredentialsFile, writeProfile(t, profile("FROMVARIABLE0000005")))
		got, err := ProfileCredentials("").Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "FROMVARIABLE0000005", got.AccessKey)
	})
	t.Run("home directory", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv(envCredentialsFile, "")
		home := t.TempDir()
		t.Setenv("HOME", home)
		_, err := ProfileCredentials("").Retrieve(context.Background())
		assert.ErrorIs(t, err, ErrMissingCredentials)
		assert.Contains(t, err.Error(), filepath.Join(home, ".huaweicloud", "credentials"))
		_, statErr := os.Stat(filepath.Join(home, ".huaweicloud"))
		assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing is created")

		require.NoError(t, os.MkdirAll(filepath.Join(home, ".huaweicloud"), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(home, ".huaweicloud", "credentials"), []byte(profile("FROMHOME00000000007")), 0o600))
		got, err := ProfileCredentials("").Retrieve(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "FROMHOME00000000007", got.AccessKey)
	})
	t.Run("no home directory", func(t *testing.T) {
		isolateEnv(t)
		t.Setenv(envCredentialsFile, "")
		t.Setenv("HOME", "")
		_, err := ProfileCredentials("").Retrieve(context.Background())
		assert.ErrorIs(t, err, ErrMissingCredentials)
		assert.Contains(t, err.Error(), envCredentialsFile)
	})
	t.Run("unreadable", func(t *testing.T) {
		isolateEnv(t)
		if runtime.GOOS == "windows" {
			t.Skip("a path under a regular file does not exist on Windows")
		}
		path := filepath.Join(writeProfile(t, ""), "credentials") // under a regular file: ENOTDIR
		_, err := ProfileCredentials(path).Retrieve(context.Background())
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrMissingCredentials)
		assert.Contains(t, err.Error(), path)
		assert.True(t, strings.HasPrefix(err.Error(), "cph: ProfileCredentials: "), err.Error())
		_, err = ChainCredentials(ProfileCredentials(path), otherCreds).Retrieve(context.Background())
		assert.NotErrorIs(t, err, ErrMissingCredentials, "it stops a chain")
	})
}

func TestProfileCredentialsReadOnce(t *testing.T) {
	isolateEnv(t)
	path := writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\n")
	p := ProfileCredentials(path)
	first, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte("[basic]\nak = CHANGED000000000008\nsk = changed\n"), 0o600))
	again, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first, again, "kept from the first read")

	fresh, err := ProfileCredentials(path).Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "CHANGED000000000008", fresh.AccessKey, "a new provider reads again")
}

func TestProfileCredentialsNotKeptWhenMissing(t *testing.T) {
	isolateEnv(t)
	path := filepath.Join(t.TempDir(), "credentials")
	p := ProfileCredentials(path)
	_, err := p.Retrieve(context.Background())
	require.ErrorIs(t, err, ErrMissingCredentials)
	require.NoError(t, os.WriteFile(path, []byte("[basic]\nak = "+testAK+"\nsk = "+testSK+"\n"), 0o600))
	got, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, testCreds, got)
}
