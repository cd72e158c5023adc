package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/alignbot/alignbot/logfile"
)

// exportRights writes the published decision rights, a table per area
// with the names stored when they were set: as a handbook page
// (markdown, the default), JSON or CSV, to stdout or, with --out, to a
// file to commit to a repository.
func exportRights(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	var format, out, team *string
	cfg, fs, err := parseConfig("export rights", args, lookupEnv, stderr, func(fs *flag.FlagSet) {
		format = fs.String("format", "markdown", "markdown (a handbook page), json or csv")
		out = fs.String("out", "", "write to this file (replaced whole) instead of printing")
		team = fs.String("team", "", "only this workspace (T…); default every workspace")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %s; flags go like --format csv", quoteArg(fs.Arg(0)))
	}
	formats := []string{"markdown", "json", "csv"}
	if !slices.Contains(formats, *format) {
		return fmt.Errorf("--format %q is not one of markdown, json, csv", *format)
	}
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	rights, err := db.RightsOf(ctx, *team)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch *format {
	case "json":
		err = logfile.WriteRightsJSON(&buf, rights)
	case "csv":
		err = logfile.WriteRightsCSV(&buf, rights)
	default:
		err = logfile.WriteRightsMarkdown(&buf, rights)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileWhole(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s to %s\n", countAreas(len(rights)), *out)
	return nil
}

func countAreas(n int) string {
	if n == 1 {
		return "1 decision area"
	}
	return fmt.Sprintf("%d decision areas", n)
}

// writeFileWhole writes data to path through a temporary file in the
// same folder, renamed into place: a reader (or a commit) never sees half
// a file, and a failure leaves the old one.
func writeFileWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
