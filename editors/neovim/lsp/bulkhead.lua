---@brief
---
--- https://github.com/bulkhead-dev/bulkhead
---
--- bulkhead: a security linter and language server for Dockerfiles and Compose files. Diagnostics for container security
--- practices (non-root user, pinned base images, no secrets in layers, package-manager hygiene, ...), hover
--- explanations of each practice and quick fixes.
---
--- Install the `bulkhead` binary (`cargo install --locked --path crates/bulkhead` from a checkout) so it
--- is on your PATH. Settings are the keys of `.bulkhead.toml` in camelCase, layered over the project's
--- `.bulkhead.toml`:
---
--- ```lua
--- vim.lsp.config('bulkhead', {
---   settings = { bulkhead = { ignore = { 'BH104' }, severity = { BH201 = 'error' } } },
--- })
--- ```

---@type vim.lsp.Config
return {
  cmd = { 'bulkhead', 'lsp' },
  filetypes = { 'dockerfile', 'yaml.docker-compose' },
  root_markers = { '.bulkhead.toml', '.git' },
}
