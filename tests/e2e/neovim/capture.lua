-- Loaded with --cmd, before the init file: records what the server shows the user
-- (window/showMessage), so the driver can fail on a settings error the user would see.
_G.bulkhead_e2e_messages = {}
local show = vim.lsp.handlers["window/showMessage"]
vim.lsp.handlers["window/showMessage"] = function(err, result, ctx, config)
  table.insert(_G.bulkhead_e2e_messages, result)
  return show(err, result, ctx, config)
end
