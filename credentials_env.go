package cph

import (
	"context"
	"os"
	"strings"
)

// The variables EnvCredentials reads, as in the official SDK.
const (
	envAccessKey     = "HUAWEICLOUD_SDK_AK"
	envSecretKey     = "HUAWEICLOUD_SDK_SK"
	envSecurityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
	envProjectID     = "HUAWEICLOUD_SDK_PROJECT_ID"
)

// lookupEnv returns the variable's value without surrounding white space.
func lookupEnv(name string) string {
	return strings.TrimSpace(os.Getenv(name))
}

// envProvider reads the environment on every Retrieve.
type envProvider struct{}

// EnvCredentials returns a provider that reads the credentials from the
// environment whenever it is asked: HUAWEICLOUD_SDK_AK,
// HUAWEICLOUD_SDK_SK and, for temporary credentials,
// HUAWEICLOUD_SDK_SECURITY_TOKEN. A client that gets its credentials from
// it also takes its project ID from HUAWEICLOUD_SDK_PROJECT_ID when
// WithProjectID is not given. Surrounding white space is ignored. When
// either key is unset the error wraps ErrMissingCredentials and names the
// variables to set.
func EnvCredentials() CredentialsProvider { return envProvider{} }

// Retrieve returns the credentials in the environment.
func (p envProvider) Retrieve(ctx context.Context) (Credentials, error) {
	s, err := p.retrieveSource(ctx)
	return s.creds, err
}

func (envProvider) retrieveSource(context.Context) (source, error) {
	ak, sk := lookupEnv(envAccessKey), lookupEnv(envSecretKey)
	missing := func(detail string) (source, error) {
		return source{}, &missingError{op: "EnvCredentials", source: "the environment", detail: detail}
	}
	switch {
	case ak == "" && sk == "":
		return missing(envAccessKey + " and " + envSecretKey + " are not set")
	case ak == "":
		return missing(envSecretKey + " is set but " + envAccessKey + " is not")
	case sk == "":
		return missing(envAccessKey + " is set but " + envSecretKey + " is not")
	}
	return source{
		creds:         Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: lookupEnv(envSecurityToken)},
		projectID:     lookupEnv(envProjectID),
		projectIDFrom: envProjectID,
	}, nil
}
