-- bulkhead in Neovim 0.11+, without a plugin: paste into init.lua (needs `bulkhead` on PATH).
vim.lsp.config("bulkhead", {
  cmd = { "bulkhead", "lsp" },
  filetypes = { "dockerfile", "yaml.docker-compose" }, -- Dockerfile, Containerfile, *.dockerfile, compose.yaml...
  root_markers = { ".bulkhead.toml", ".git" },
  -- The `bulkhead` settings section; the same keys as .bulkhead.toml, in camelCase.
  init_options = { ignore = {}, trustedRegistries = {} },
  settings = { bulkhead = { ignore = {}, trustedRegistries = {} } },
})
vim.lsp.enable("bulkhead")
-- Neovim 0.11 calls Compose files `yaml`: give them the Compose filetype the server is enabled for.
vim.filetype.add({
  pattern = {
    [".*/compose%.ya?ml"] = "yaml.docker-compose",
    [".*/compose%..+%.ya?ml"] = "yaml.docker-compose",
    [".*/docker%-compose%.ya?ml"] = "yaml.docker-compose",
    [".*/docker%-compose%..+%.ya?ml"] = "yaml.docker-compose",
  },
})
