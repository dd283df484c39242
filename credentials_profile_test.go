package cph

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestINISection(t *testing.T) {
	tests := map[string]struct {
		doc       string
		want      map[string]string
		wantFound bool
		wantErr   string
	}{
		"plain": {
			doc:       "[basic]\nak = A\nsk = S\n",
			want:      map[string]string{"ak": "A", "sk": "S"},
			wantFound: true,
		},
		"other sections, comments, blank lines, CRLF, BOM": {
			doc:       "\xef\xbb\xbf# profile\r\n[global]\r\nak = G\r\ndomain_id\r\n\r\n; the one we want\r\n[basic]\r\nak=A\r\n  sk :  S  \r\n[after]\r\nak = X\r\n",
			want:      map[string]string{"ak": "A", "sk": "S"},
			wantFound: true,
		},
		"case of section and keys": {
			doc:       "[BASIC]\nAK = A\nSk = S\n",
			want:      map[string]string{"ak": "A", "sk": "S"},
			wantFound: true,
		},
		"quotes and inline comments": {
			doc:       "[basic]\nak = \"A # not a comment\"\nsk = 'S;S'\nsecurity_token = T # a comment\nproject_id = P;Q\niam_endpoint = `https://iam.example.com`\n",
			want:      map[string]string{"ak": "A # not a comment", "sk": "S;S", "security_token": "T", "project_id": "P;Q", "iam_endpoint": "https://iam.example.com"},
			wantFound: true,
		},
		"value with '=' and ':'": {
			doc:       "[basic]\niam_endpoint = https://iam.example.com:443/a=b\n",
			want:      map[string]string{"iam_endpoint": "https://iam.example.com:443/a=b"},
			wantFound: true,
		},
		"section twice, later wins": {
			doc:       "[basic]\nak = A\nsk = S\n[x]\n[basic]\nsk = S2\n",
			want:      map[string]string{"ak": "A", "sk": "S2"},
			wantFound: true,
		},
		"empty section": {
			doc:       "[basic]\n",
			want:      map[string]string{},
			wantFound: true,
		},
		"no section": {
			doc:  "[global]\nak = A\n",
			want: map[string]string{},
		},
		"empty document": {
			doc:  "",
			want: map[string]string{},
		},
		"line without separator in the section": {
			doc:     "[basic]\nak = A\nsecret\n",
			wantErr: "line 3",
		},
		"line without key": {
			doc:     "[basic]\n= A\n",
			wantErr: "line 2",
		},
		"unclosed header in the section": {
			doc:     "[basic]\n[oops\n",
			wantErr: "line 2",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, found, err := iniSection([]byte(tc.doc), "basic")
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantFound, found)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestProfileCredentials(t *testing.T) {
	full := "[basic]\nak = " + fakeAK + "\nsk = " + fakeSK + "\nsecurity_token = " + fakeToken +
		"\nproject_id = " + fakeProjectID + "\niam_endpoint = iam.example.com\n"
	tests := map[string]struct {
		content     string // "" with noFile: no file at all
		noFile      bool
		want        source
		wantMissing string // the missing-credentials detail expected
		wantErr     error
	}{
		"full": {
			content: full,
			want: source{
				creds:     Credentials{AccessKey: fakeAK, SecretKey: fakeSK, SecurityToken: fakeToken},
				projectID: fakeProjectID, iamEndpoint: "iam.example.com",
			},
		},
		"keys only": {
			content: "[basic]\nak = " + fakeAK + "\nsk = " + fakeSK + "\n",
			want:    source{creds: fakeCreds},
		},
		"no file":            {noFile: true, wantMissing: "no such file; create it, or set HUAWEICLOUD_SDK_CREDENTIALS_FILE"},
		"no basic section":   {content: "[global]\nak = A\nsk = S\n", wantMissing: "has no [basic] section"},
		"no keys":            {content: "[basic]\nproject_id = " + fakeProjectID + "\n", wantMissing: "has no ak and sk"},
		"no secret key":      {content: "[basic]\nak = " + fakeAK + "\n", wantMissing: "has ak but no sk"},
		"no access key":      {content: "[basic]\nsk = " + fakeSK + "\n", wantMissing: "has sk but no ak"},
		"malformed":          {content: "[basic]\nak = " + fakeAK + "\n" + fakeSK + "\n", wantErr: ErrInvalidCredentials},
		"too large":          {content: "[basic]\n" + strings.Repeat("# padding\n", maxProfileBytes/10+1), wantErr: ErrInvalidCredentials},
		"empty file":         {content: "", wantMissing: "has no [basic] section"},
		"other section keys": {content: "[global]\nak = " + fakeAK + "\nsk = " + fakeSK + "\n[basic]\n", wantMissing: "has no ak and sk"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			path := filepath.Join(t.TempDir(), "credentials")
			if !tc.noFile {
				path = writeProfile(t, tc.content)
			}
			src, err := retrieveSource(context.Background(), ProfileCredentials(path))
			switch {
			case tc.wantMissing != "":
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrMissingCredentials)
				assert.Contains(t, err.Error(), tc.wantMissing)
				assert.Contains(t, err.Error(), path, "the message names the file")
				assert.True(t, strings.HasPrefix(err.Error(), "cph: ProfileCredentials: missing credentials: "), err.Error())
				assertNoSecret(t, err.Error())
			case tc.wantErr != nil:
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.wantErr)
				assert.NotErrorIs(t, err, ErrMissingCredentials, "a broken file stops a chain")
				assertNoSecret(t, err.Error())
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.want.creds, src.creds)
				assert.Equal(t, tc.want.projectID, src.projectID)
				assert.Equal(t, tc.want.iamEndpoint, src.iamEndpoint)
			}
		})
	}
}

func TestProfileCredentialsPath(t *testing.T) {
	profile := func(ak string) string { return "[basic]\nak = " + ak + "\nsk = " + fakeSK + "\n" }
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
		_, err := ProfileCredentials(t.TempDir()).Retrieve(context.Background()) // a directory
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrMissingCredentials)
		assert.True(t, strings.HasPrefix(err.Error(), "cph: ProfileCredentials: "), err.Error())
	})
}

func TestProfileCredentialsReadOnce(t *testing.T) {
	isolateEnv(t)
	path := writeProfile(t, "[basic]\nak = "+fakeAK+"\nsk = "+fakeSK+"\n")
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
	require.NoError(t, os.WriteFile(path, []byte("[basic]\nak = "+fakeAK+"\nsk = "+fakeSK+"\n"), 0o600))
	got, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fakeCreds, got)
}
