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
// new provider to read it again. Nothing is ever written. A missing file,
// section or key gives an error wrapping ErrMissingCredentials that names
// the file; an unreadable or malformed file gives another error.
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

// readProfile reads the [basic] section of the profile file at path.
func readProfile(path string) (source, error) {
	missing := func(detail string) (source, error) {
		return source{}, &missingError{op: "ProfileCredentials", source: "the profile file " + path, detail: detail}
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return missing("no such file; create it, or set " + envCredentialsFile + " to another one")
	}
	if err != nil {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxProfileBytes+1))
	if err != nil {
		return source{}, fmt.Errorf("cph: ProfileCredentials: read %s: %w", path, err)
	}
	if len(data) > maxProfileBytes {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w: %s is larger than %d bytes", ErrInvalidCredentials, path, maxProfileBytes)
	}
	keys, found, err := iniSection(data, profileSection)
	if err != nil {
		return source{}, fmt.Errorf("cph: ProfileCredentials: %w: %s: %w", ErrInvalidCredentials, path, err)
	}
	ak, sk := keys["ak"], keys["sk"]
	switch {
	case !found:
		return missing("it has no [" + profileSection + "] section")
	case ak == "" && sk == "":
		return missing("its [" + profileSection + "] section has no ak and sk")
	case ak == "":
		return missing("its [" + profileSection + "] section has sk but no ak")
	case sk == "":
		return missing("its [" + profileSection + "] section has ak but no sk")
	}
	return source{
		creds:         Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: keys["security_token"]},
		projectID:     keys["project_id"],
		projectIDFrom: "project_id in " + path,
		iamEndpoint:   keys["iam_endpoint"],
		iamFrom:       "iam_endpoint in " + path,
	}, nil
}
