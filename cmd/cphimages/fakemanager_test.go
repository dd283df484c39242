package main

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"sync"
	"time"

	"github.com/cph-go/cph"
)

// fakeRequestID is the request ID the fake's answers carry.
const fakeRequestID = "5e0ac9d1f2b34c6d8e7f90a1b2c3d4e5"

// fakeManager is an imageManager that records its calls and answers from
// its fields.
type fakeManager struct {
	images    []cph.Image       // what AllImages yields
	imagesErr error             // what AllImages yields after images, if not nil
	members   []cph.ImageMember // what ListImageMembers returns
	err       error             // what the other methods return, if not nil
	// hang makes every method wait until its ctx ends and fail with its
	// error, as the library does.
	hang bool
	// afterImage, if not nil, is called after AllImages yielded its n-th
	// image (from 1).
	afterImage func(n int)

	mu        sync.Mutex
	calls     []string
	deadlines []time.Time // each call's ctx's deadline; zero when it had none
}

var _ imageManager = (*fakeManager)(nil)

func (f *fakeManager) record(ctx context.Context, method string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	deadline, _ := ctx.Deadline()
	f.deadlines = append(f.deadlines, deadline)
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprintf("%q", a)
	}
	f.calls = append(f.calls, method+"("+strings.Join(parts, ", ")+")")
}

// Calls returns the calls so far, such as `AddImageMember("img", "p")`.
func (f *fakeManager) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.calls...)
}

// Deadlines returns the deadlines of the calls so far.
func (f *fakeManager) Deadlines() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time{}, f.deadlines...)
}

// wait is the fake's call: ctx's error when it has ended (or, with hang,
// when it ends), else f.err.
func (f *fakeManager) wait(ctx context.Context, op string) error {
	if f.hang {
		<-ctx.Done()
	}
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	return f.err
}

func (f *fakeManager) AllImages(ctx context.Context, opts ...cph.ListOption) iter.Seq2[cph.Image, error] {
	f.record(ctx, "AllImages", fmt.Sprintf("%d options", len(opts)))
	return func(yield func(cph.Image, error) bool) {
		for i, img := range f.images {
			if err := ctxErr(ctx, "ListImages"); err != nil {
				yield(cph.Image{}, err)
				return
			}
			if !yield(img, nil) {
				return
			}
			if f.afterImage != nil {
				f.afterImage(i + 1)
			}
		}
		if f.hang {
			<-ctx.Done()
		}
		err := f.imagesErr
		if ctxDone := ctxErr(ctx, "ListImages"); ctxDone != nil {
			err = ctxDone
		}
		if err != nil {
			yield(cph.Image{}, err)
		}
	}
}

// ctxErr is ctx's error, named as the library names it, or nil.
func ctxErr(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("cph: %s: %w", op, err)
	}
	return nil
}

func (f *fakeManager) ListImageMembers(ctx context.Context, imageID string) (*cph.ListImageMembersOutput, error) {
	f.record(ctx, "ListImageMembers", imageID)
	if err := f.wait(ctx, "ListImageMembers"); err != nil {
		return nil, err
	}
	return &cph.ListImageMembersOutput{Members: append([]cph.ImageMember{}, f.members...), RequestID: fakeRequestID}, nil
}

func (f *fakeManager) AddImageMember(ctx context.Context, imageID, memberProjectID string) (*cph.AddImageMemberOutput, error) {
	f.record(ctx, "AddImageMember", imageID, memberProjectID)
	if err := f.wait(ctx, "AddImageMember"); err != nil {
		return nil, err
	}
	return &cph.AddImageMemberOutput{RequestID: fakeRequestID}, nil
}

func (f *fakeManager) UpdateImageMember(ctx context.Context, imageID string, status cph.MemberStatus) (*cph.UpdateImageMemberOutput, error) {
	f.record(ctx, "UpdateImageMember", imageID, string(status))
	if err := f.wait(ctx, "UpdateImageMember"); err != nil {
		return nil, err
	}
	return &cph.UpdateImageMemberOutput{RequestID: fakeRequestID}, nil
}

func (f *fakeManager) DeleteImageMember(ctx context.Context, imageID, memberProjectID string) (*cph.DeleteImageMemberOutput, error) {
	f.record(ctx, "DeleteImageMember", imageID, memberProjectID)
	if err := f.wait(ctx, "DeleteImageMember"); err != nil {
		return nil, err
	}
	return &cph.DeleteImageMemberOutput{RequestID: fakeRequestID}, nil
}

func (f *fakeManager) DeleteImage(ctx context.Context, imageID string) (*cph.DeleteImageOutput, error) {
	f.record(ctx, "DeleteImage", imageID)
	if err := f.wait(ctx, "DeleteImage"); err != nil {
		return nil, err
	}
	return &cph.DeleteImageOutput{RequestID: fakeRequestID}, nil
}
