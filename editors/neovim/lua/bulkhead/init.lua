-- bulkhead for Neovim: starts `bulkhead lsp` on Dockerfiles and Compose files.
--
--   require("bulkhead").setup({
--     cmd = { "bulkhead", "lsp" },               -- or { "/path/to/bulkhead", "lsp" }
--     settings = { ignore = { "BH104" }, severity = { BH201 = "error" } },
--   })
--
-- On Neovim 0.11+ this is `vim.lsp.config("bulkhead", ...)` + `vim.lsp.enable("bulkhead")`; on 0.10 it
-- starts the client from a FileType autocommand with `vim.lsp.start`.

local M = {}

M.filetypes = { "dockerfile", "yaml.docker-compose" }
M.root_markers = { ".bulkhead.toml", ".git" }

-- Neovim already maps the Dockerfile names to the `dockerfile` filetype; declaring them keeps older versions
-- and user overrides in line with what the server lints. Compose files are plain `yaml` to Neovim 0.11:
-- they get `yaml.docker-compose` here (the filetype Neovim's Compose servers use).
local function add_filetypes()
  vim.filetype.add({
    filename = {
      Dockerfile = "dockerfile",
      Containerfile = "dockerfile",
      ["compose.yaml"] = "yaml.docker-compose",
      ["compose.yml"] = "yaml.docker-compose",
      ["docker-compose.yaml"] = "yaml.docker-compose",
      ["docker-compose.yml"] = "yaml.docker-compose",
    },
    pattern = {
      [".*%.[Dd]ockerfile"] = "dockerfile",
      [".*/Dockerfile%.[^/]*"] = "dockerfile",
      [".*/Containerfile%.[^/]*"] = "dockerfile",
      [".*/compose%.[^/]+%.ya?ml"] = "yaml.docker-compose",
      [".*/docker%-compose%.[^/]+%.ya?ml"] = "yaml.docker-compose",
    },
  })
end

-- The server reads a JSON object: an empty Lua table would be sent as `[]`.
local function as_object(tbl)
  if tbl == nil or next(tbl) == nil then
    return vim.empty_dict()
  end
  return tbl
end

--- The client configuration for `opts`: a table for `vim.lsp.config`, `vim.lsp.start` or nvim-lspconfig.
--- `opts.settings` is the `bulkhead` section (select, extendSelect, ignore, severity, trustedRegistries,
--- secrets); it is sent as `initializationOptions` (so the first lint uses it) and as the `bulkhead`
--- settings section (sent with `workspace/didChangeConfiguration`, and the answer to `workspace/configuration`).
function M.config(opts)
  opts = opts or {}
  local section = vim.deepcopy(opts.settings or {})
  if section.severity ~= nil then
    section.severity = as_object(section.severity)
  end
  if section.secrets ~= nil then
    section.secrets = as_object(section.secrets)
  end
  section = as_object(section)
  local config = {
    cmd = opts.cmd or { "bulkhead", "lsp" },
    filetypes = opts.filetypes or M.filetypes,
    root_markers = opts.root_markers or M.root_markers,
    init_options = section,
    settings = { bulkhead = section },
    flags = vim.tbl_extend("keep", opts.flags or {}, { exit_timeout = 2000 }),
  }
  if opts.on_attach then
    config.on_attach = opts.on_attach
  end
  if opts.capabilities then
    config.capabilities = opts.capabilities
  end
  return config
end

local function start_legacy(config)
  vim.api.nvim_create_autocmd("FileType", {
    group = vim.api.nvim_create_augroup("bulkhead", { clear = true }),
    pattern = config.filetypes,
    callback = function(args)
      local found = vim.fs.find(config.root_markers, { upward = true, path = vim.fs.dirname(args.file) })[1]
      local start = vim.tbl_extend("force", config, {
        name = "bulkhead",
        root_dir = found and vim.fs.dirname(found) or vim.fs.dirname(args.file),
      })
      start.filetypes, start.root_markers = nil, nil
      vim.lsp.start(start, { bufnr = args.buf })
    end,
  })
end

--- Configures and enables the server for Dockerfiles and Compose files.
function M.setup(opts)
  add_filetypes()
  local config = M.config(opts)
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    vim.lsp.config("bulkhead", config)
    vim.lsp.enable("bulkhead")
  else
    start_legacy(config)
  end
end

return M
