package fakeslack

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// file is an upload in progress or done.
type file struct {
	id, name, title string
	length          int
	data            []byte
	uploaded        bool
}

// filesGetUploadURLExternal answers with an upload URL on the fake itself.
func (s *Server) filesGetUploadURLExternal(rq *apiRequest) apiResult {
	name := rq.str("filename")
	length, ok := rq.num("length", 0)
	switch {
	case name == "":
		return argsResult("invalid_arguments", []string{"[ERROR] missing required field: filename"})
	case !ok || length <= 0:
		return argsResult("invalid_arguments", []string{"[ERROR] missing or invalid field: length"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &file{id: s.nextID("F"), name: name, length: length}
	s.st.files[f.id] = f
	return okResult(map[string]any{"upload_url": s.base + "/upload/" + f.id, "file_id": f.id})
}

// serveUpload takes POST /upload/<file_id> with the raw bytes or a multipart form
// whose first file part holds them.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	data, err := readUpload(r)
	if err != nil {
		http.Error(w, "bad upload: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	f := s.st.files[id]
	if f != nil {
		f.data, f.uploaded = data, true
	}
	s.mu.Unlock()
	if f == nil {
		http.Error(w, "unknown upload URL", http.StatusNotFound)
		return
	}
	s.logf("file %s uploaded (%d bytes)", id, len(data))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = fmt.Fprintf(w, "OK - %d", len(data))
}

func readUpload(r *http.Request) ([]byte, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return io.ReadAll(io.LimitReader(r.Body, 64<<20))
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, fmt.Errorf("no file part: %w", err)
		}
		if part.FileName() != "" || part.FormName() == "file" {
			return io.ReadAll(io.LimitReader(part, 64<<20))
		}
	}
}

// filesCompleteUploadExternal finishes uploads and, with channel_id (or
// channels), shares them in one bot message with initial_comment as its text.
func (s *Server) filesCompleteUploadExternal(rq *apiRequest) apiResult {
	list, ok := rq.params["files"].([]any)
	if !ok || len(list) == 0 {
		return argsResult("invalid_arguments", []string{"[ERROR] missing or invalid field: files"})
	}
	blocks, _, code := rq.blocks("blocks")
	if code != "" {
		return errResult(code)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var files []*file
	for _, e := range list {
		em, _ := e.(map[string]any)
		id, _ := em["id"].(string)
		f := s.st.files[id]
		if f == nil || !f.uploaded {
			return errResult("file_not_found")
		}
		if t, _ := em["title"].(string); t != "" {
			f.title = t
		} else if f.title == "" {
			f.title = f.name
		}
		files = append(files, f)
	}
	channelID := rq.str("channel_id")
	if channelID == "" {
		channelID, _, _ = strings.Cut(rq.str("channels"), ",")
	}
	if channelID != "" {
		ch, code := s.postTarget(channelID)
		if code != "" {
			return errResult(code)
		}
		m := &message{ts: s.nextTS(), user: s.opts.BotUserID, botID: s.opts.BotID,
			text: rq.str("initial_comment"), blocks: blocks}
		if ts := rq.str("thread_ts"); ts != "" {
			root := ch.find(ts)
			if root == nil {
				return errResult("thread_not_found")
			}
			m.threadTS, root.threadTS = root.ts, root.ts
		}
		for _, f := range files {
			m.files = append(m.files, map[string]any{"id": f.id, "name": f.name, "title": f.title, "size": len(f.data)})
		}
		s.assignIDs(m.blocks)
		ch.msgs = append(ch.msgs, m)
	}
	out := make([]any, 0, len(files))
	for _, f := range files {
		out = append(out, map[string]any{"id": f.id, "title": f.title})
	}
	return okResult(map[string]any{"files": out})
}
