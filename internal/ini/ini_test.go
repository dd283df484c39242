package ini

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSection(t *testing.T) {
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
			got, found, err := Section([]byte(tc.doc), "basic")
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
