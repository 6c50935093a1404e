package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
)

// The access endpoints let an admin manage users and keys while the server
// holds the database (`northstar users … --server URL`). Every change goes
// through auth.Admin, which audits it under the caller's principal.

// UserRequest is the body of POST /v1/users, PUT /v1/users/{name}/role and
// POST /v1/users/{name}/password (only the fields each one uses).
type UserRequest struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Partner  string `json:"partner"`
	Password string `json:"password,omitempty"` // empty: generate one
}

// UserResponse answers a change; Password is set only when generated, once.
type UserResponse struct {
	Name     string `json:"name"`
	Role     string `json:"role,omitempty"`
	Partner  string `json:"partner,omitempty"`
	Password string `json:"password,omitempty"`
}

// KeyRequest is the body of POST /v1/keys. Expires is a Go duration or
// whole days ("90d"); "never" or empty with Never for no expiry.
type KeyRequest struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Partner string `json:"partner"`
	Expires string `json:"expires"`
}

func (a *API) admin(r *http.Request) *auth.Admin {
	p, _ := auth.FromContext(r.Context())
	return &auth.Admin{Store: a.Store, Audit: a.Audit, Actor: p.ID}
}

func decodeBody(r *http.Request, v any) error {
	b, err := readAll(r)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return cx.Errorf(cx.EINVALID, "request body: want a JSON object (%v)", err)
	}
	return nil
}

func (a *API) usersList(w http.ResponseWriter, r *http.Request) {
	us, err := a.Store.Users(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, us)
}

func (a *API) usersAdd(w http.ResponseWriter, r *http.Request) {
	var req UserRequest
	if err := decodeBody(r, &req); err != nil {
		a.error(w, r, err)
		return
	}
	pw, err := a.admin(r).AddUser(r.Context(), req.Name, req.Role, req.Partner, req.Password)
	if err != nil {
		a.error(w, r, err)
		return
	}
	resp := UserResponse{Name: req.Name, Role: req.Role, Partner: req.Partner}
	if req.Password == "" {
		resp.Password = pw
	}
	writeJSON(w, http.StatusCreated, resp)
}

func (a *API) usersSetRole(w http.ResponseWriter, r *http.Request) {
	var req UserRequest
	if err := decodeBody(r, &req); err != nil {
		a.error(w, r, err)
		return
	}
	name := r.PathValue("name")
	if err := a.admin(r).SetRole(r.Context(), name, req.Role, req.Partner); err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, UserResponse{Name: name, Role: req.Role, Partner: req.Partner})
}

func (a *API) usersPassword(w http.ResponseWriter, r *http.Request) {
	var req UserRequest
	if err := decodeBody(r, &req); err != nil {
		a.error(w, r, err)
		return
	}
	name := r.PathValue("name")
	pw, err := a.admin(r).SetPassword(r.Context(), name, req.Password)
	if err != nil {
		a.error(w, r, err)
		return
	}
	resp := UserResponse{Name: name}
	if req.Password == "" {
		resp.Password = pw
	}
	writeJSON(w, http.StatusOK, resp)
}

func (a *API) usersUnlock(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if err := a.admin(r).Unlock(r.Context(), name); err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, UserResponse{Name: name})
}

func (a *API) usersRemove(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if p, _ := auth.FromContext(r.Context()); p.ID == "user:"+name {
		a.error(w, r, cx.Errorf(cx.ECONFLICT, "you cannot remove yourself; ask another admin, or use `northstar users remove` on the server"))
		return
	}
	if err := a.admin(r).RemoveUser(r.Context(), name); err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, UserResponse{Name: name})
}

func (a *API) keysList(w http.ResponseWriter, r *http.Request) {
	ks, err := a.Store.APIKeys(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ks)
}

// KeyResponse is a new key: shown once.
type KeyResponse struct {
	Key       string     `json:"key"`
	Prefix    string     `json:"prefix"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	Partner   string     `json:"partner,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

func (a *API) keysCreate(w http.ResponseWriter, r *http.Request) {
	var req KeyRequest
	if err := decodeBody(r, &req); err != nil {
		a.error(w, r, err)
		return
	}
	ttl, err := auth.ParseLifetime(req.Expires)
	if err != nil {
		a.error(w, r, cx.Errorf(cx.EINVALID, "expires: %v", err))
		return
	}
	key, k, err := a.admin(r).CreateKey(r.Context(), req.Name, req.Role, req.Partner, ttl)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, KeyResponse{Key: key, Prefix: k.Prefix, Name: k.Name, Role: k.Role, Partner: k.Partner, ExpiresAt: k.ExpiresAt})
}

func (a *API) keysRevoke(w http.ResponseWriter, r *http.Request) {
	prefix := r.PathValue("prefix")
	if err := a.admin(r).RevokeKey(r.Context(), prefix); err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"prefix": prefix, "state": "revoked"})
}
