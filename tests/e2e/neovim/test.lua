-- The end-to-end test driver, run by run.sh inside `nvim --headless`: diagnostics, hover and a quick fix
-- from the real bulkhead server through Neovim's own LSP client. Each check writes `ok: ...` or
-- `FAIL: ...` to stdout; any failure quits with a non-zero exit code.

local TIMEOUT = 15000

local function say(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

local function check(cond, what, detail)
  if not cond then
    error(what .. (detail and (": " .. detail) or ""), 0)
  end
  say("ok: " .. what)
end

local function wait_for(what, predicate)
  local found = vim.wait(TIMEOUT, predicate, 50)
  check(found, what, "timed out after " .. TIMEOUT .. " ms")
end

local function bh201()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == "bulkhead" and d.code == "BH201" then
      return d
    end
  end
end

local function buffer_text()
  return table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
end

local function floating_text()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
      return table.concat(lines, "\n"), win
    end
  end
end

local function main()
  check(vim.bo.filetype == "dockerfile", "the file has filetype dockerfile", vim.bo.filetype)
  local client
  wait_for("bulkhead attaches to the buffer", function()
    client = vim.lsp.get_clients({ name = "bulkhead", bufnr = 0 })[1]
    return client ~= nil and client.initialized
  end)
  check(client.server_info and client.server_info.name == "bulkhead", "the server says it is bulkhead")
  local root = client.root_dir or ""
  check(vim.uv.fs_stat(root .. "/.bulkhead.toml") ~= nil, "the root is the folder of .bulkhead.toml", root)

  -- The server is Neovim's only child process (process names are cut at 15 characters: not a test).
  local children = vim.api.nvim_get_proc_children(vim.fn.getpid())
  check(#children == 1, "the server runs as a child process of Neovim", vim.inspect(children))
  local server_pid = children[1]
  say("server-pid: " .. server_pid)

  wait_for("BH201 is published", function()
    return bh201() ~= nil
  end)
  for _, message in ipairs(_G.bulkhead_e2e_messages or {}) do
    check(message.type > vim.lsp.protocol.MessageType.Warning, "the server shows no error or warning", message.message)
  end
  if os.getenv("BULKHEAD_E2E_SNIPPET") then
    -- The copy-paste snippet: attaching and diagnosing is what it is for.
    say("PASS")
    return
  end
  local diagnostic = bh201()
  check(
    diagnostic.severity == vim.diagnostic.severity.ERROR,
    "the severity setting is applied (BH201 is an error)",
    tostring(diagnostic.severity)
  )
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(codes, tostring(d.code))
  end
  say("codes: " .. table.concat(codes, " "))
  -- The project's .bulkhead.toml ignores BH601 (no HEALTHCHECK): proof the server read it.
  for _, code in ipairs(codes) do
    check(code ~= "BH601", "no diagnostic for BH601, which .bulkhead.toml ignores", code)
  end

  -- Hover at the diagnostic, through the user-facing command: the float shows the rule's text.
  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
  vim.lsp.buf.hover()
  local hover
  wait_for("hover opens a floating window", function()
    hover = floating_text()
    return hover ~= nil and hover ~= ""
  end)
  check(hover:find("BH201", 1, true) ~= nil, "hover names BH201", hover)
  check(hover:find("Why it matters", 1, true) ~= nil, "hover shows the rule's documentation", hover)
  check(hover:find("container escape", 1, true) ~= nil, "hover explains the risk", hover)
  local _, win = floating_text()
  vim.api.nvim_win_close(win, true)

  -- The quick fix, applied by vim.lsp.buf.code_action with a filter that leaves exactly one action.
  local before = buffer_text()
  local seen = {}
  vim.lsp.buf.code_action({
    apply = true,
    context = { only = { "quickfix" } },
    filter = function(action)
      table.insert(seen, action.title)
      return action.kind == "quickfix" and action.title:find("USER", 1, true) ~= nil
        and not action.title:lower():find("ignore", 1, true)
    end,
  })
  wait_for("the quick fix edits the buffer", function()
    return buffer_text() ~= before
  end)
  say("actions offered: " .. table.concat(seen, " | "))
  local after = buffer_text()
  check(after:find("\nUSER 10001:10001\n", 1, true) ~= nil, "the buffer now has a numeric USER 10001:10001", after)
  check(after:find("adduser", 1, true) ~= nil, "the fix creates the user the Alpine way (adduser)", after)
  local user_at = after:find("\nUSER ", 1, true)
  local cmd_at = after:find("\nCMD ", 1, true)
  check(user_at < cmd_at, "USER comes before CMD", after)
  wait_for("BH201 disappears after the fix", function()
    return bh201() == nil
  end)

  say("PASS")
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  say("FAIL: " .. tostring(err))
  vim.cmd("cquit 1")
else
  vim.cmd("qall!")
end
