-- The whole set-up of Neovim 0.11's convention: editors/neovim on the runtime path (as a plugin manager
-- adds it) gives lsp/bulkhead.lua, and vim.lsp.enable turns it on. `bulkhead` is found on PATH.
local repo = assert(os.getenv("BULKHEAD_REPO"), "BULKHEAD_REPO is not set")
vim.opt.runtimepath:append(repo .. "/editors/neovim")
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"

vim.lsp.enable("bulkhead")
-- As editors/neovim/README.md tells users of lsp/bulkhead.lua: Compose files get the Compose filetype.
vim.filetype.add({ pattern = { [".*/compose%.ya?ml"] = "yaml.docker-compose" } })
