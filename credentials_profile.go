package cph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/cph-go/cph/internal/ini"
)

// The profile file: where it is, its section and keys, as in the official
// SDK.
const (
	envCredentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
	profileDir         = ".huaweicloud"
	profileFile        = "credentials"
	profileSection     = "basic"
	maxProfileBytes    = 1 << 20
)

// profileProvider reads a profile file once and keeps what it found.
type profileProvider struct {
	path string // "" = the default path

	mu     sync.Mutex
	cached sealed[*source] // sealed: fmt must not reach the secrets
}

// ProfileCredentials returns a provider that reads the credentials from the
// [basic] section of an INI profile file, with the keys ak, sk and, for
// temporary credentials, security_token:
//
//	[basic]
//	ak = ...
//	sk = ...
//	project_id = ...   ; optional
//	iam_endpoint = ... ; optional
//
// A client that gets its credentials from it also takes its project ID from
// project_id when WithProjectID is not given, and the IAM endpoint for
// project-ID discovery from iam_endpoint.
//
// The file is path, or with "" the file named by
// HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials. It is
// read on the first Retrieve that finds credentials in it, and kept: make a
// new provider to read it again. Nothing is ever written.
//
// A missing file, or a [basic] section with neither ak nor sk, means there
// is nothing here: the error wraps ErrMissingCredentials and names the
// file, and ChainCredentials moves on. A file that is there but broken
// gives an error wrapping ErrInvalidCredentials that names the file, and
// stops a chain: a file with no [basic] section, a [basic] section with ak
// but no sk or sk but no ak, a line of the section that is not
// "key = value", a file larger than 1 MiB, or anything but a regular file
// (a symbolic link to one will do): a named pipe, a directory, a device or
// a socket is refused without being read, so that it never blocks. A file
// that cannot be read for another reason gives an error that stops a chain
// too.
func ProfileCredentials(path string) CredentialsProvider {
	return &profileProvider{path: path}
}

// Retrieve returns the credentials in the profile file.
func (p *profileProvider) Retrieve(ctx context.Context) (Credentials, error) {
	s, err := p.retrieveSource(ctx)
	return s.creds, err
}

func (p *profileProvider) retrieveSource(context.Context) (source, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cached := p.cached.open(); cached != nil {
		return *cached, nil
	}
	path, err := p.resolvePath()
	if err != nil {
		return source{}, err
	}
	s, err := readProfile(path)
	if err != nil {
		return source{}, err
	}
	p.cached = seal(&s)
	return s, nil
}

// resolvePath returns the file to read.
func (p *profileProvider) resolvePath() (string, error) {
	if p.path != "" {
		return p.path, nil
	}
	if path := lookupEnv(envCredentialsFile); path != "" {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", &missingError{op: "ProfileCredentials", source: "the profile file",
			detail: "no home directory to find " + filepath.Join("~", profileDir, profileFile) + " in; set " + envCredentialsFile}
	}
	return filepath.Join(home, profileDir, profileFile), nil
}

// testHookProfileOpen, if set, runs between the check of the profile file
// and its opening, so that a test can swap the file in that window.
var testHookProfileOpen func(path string)

// readProfile reads the [basic] section of the profile file at path.
func readProfile(path string) (source, error) {
	missing := func(detail string) (source, error) {
		return source{}, &missingError{op: "ProfileCredentials", source: "the profile file " + path, detail: detail}
	}
	invalid := func(detail string, args ...any) (source, error) {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w: "+detail, append([]any{ErrInvalidCredentials}, args...)...)
	}
	noFile := func() (source, error) {
		return missing("no such file; create it, or set " + envCredentialsFile + " to another one")
	}
	// Only a regular file is read: opening a named pipe would wait for a
	// writer, and a directory or a device is no profile file. The kind is
	// checked before opening, and again on what was opened, in case the
	// path changed in between.
	checked, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return noFile()
	}
	if err != nil {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w", err)
	}
	if !checked.Mode().IsRegular() {
		return invalid("%s is %s, not a regular file", path, fileKind(checked.Mode()))
	}
	if testHookProfileOpen != nil {
		testHookProfileOpen(path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|profileOpenFlags, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return noFile()
	}
	if err != nil {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w", err)
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w", err)
	}
	if !opened.Mode().IsRegular() {
		return invalid("%s is %s, not a regular file", path, fileKind(opened.Mode()))
	}
	if !os.SameFile(checked, opened) {
		return invalid("%s was replaced while it was being opened; try again", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxProfileBytes+1))
	if err != nil {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w", err) // an *fs.PathError: it names the file
	}
	if len(data) > maxProfileBytes {
		return invalid("%s is larger than %d bytes", path, maxProfileBytes)
	}
	keys, found, err := ini.Section(data, profileSection)
	if err != nil {
		return invalid("%s: %w", path, err)
	}
	ak, sk := keys["ak"], keys["sk"]
	switch {
	case !found:
		return invalid("%s has no [%s] section, where ak and sk go", path, profileSection)
	case ak == "" && sk == "":
		return missing("its [" + profileSection + "] section has no ak and sk")
	case ak == "":
		return invalid("%s: its [%s] section has sk but no ak", path, profileSection)
	case sk == "":
		return invalid("%s: its [%s] section has ak but no sk", path, profileSection)
	}
	return source{
		creds:         Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: keys["security_token"]},
		projectID:     keys["project_id"],
		projectIDFrom: "project_id in " + path,
		iamEndpoint:   keys["iam_endpoint"],
		iamFrom:       "iam_endpoint in " + path,
	}, nil
}

// fileKind names the kind of file of a mode that is not a regular file's.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "a special file"
	}
}
