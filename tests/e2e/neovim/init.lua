-- The configuration the end-to-end test starts Neovim with: the bulkhead module from editors/neovim,
-- set up exactly as docs/editors.md tells users to, with the binary under test.
local repo = assert(os.getenv("BULKHEAD_REPO"), "BULKHEAD_REPO is not set")
local bin = assert(os.getenv("BULKHEAD_BIN"), "BULKHEAD_BIN is not set")
vim.opt.runtimepath:prepend(repo .. "/editors/neovim")
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"

require("bulkhead").setup({
  cmd = { bin, "lsp" },
  -- A setting the test can see take effect: BH201 is a warning by default.
  settings = { severity = { BH201 = "error" } },
})
