-- bulkhead in Neovim 0.11+, without a plugin: paste into init.lua (needs `bulkhead` on PATH).
vim.lsp.config("bulkhead", {
  cmd = { "bulkhead", "lsp" },
  filetypes = { "dockerfile" }, -- Dockerfile, Containerfile, *.dockerfile, Dockerfile.*
  root_markers = { ".bulkhead.toml", ".git" },
  -- The `bulkhead` settings section; the same keys as .bulkhead.toml, in camelCase.
  init_options = { ignore = {}, trustedRegistries = {} },
  settings = { bulkhead = { ignore = {}, trustedRegistries = {} } },
})
vim.lsp.enable("bulkhead")
