-- The end-to-end test driver, run by run.sh inside `nvim --headless`: diagnostics, hover, a quick fix and
-- the editing features from the real bulkhead server through Neovim's own LSP client. Each check writes `ok: ...` or
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

-- The editing features through Neovim's own commands on a two-stage file: go to definition, rename,
-- the outline, completion, formatting, inlay hints and semantic tokens.
local function editing(client)
  vim.api.nvim_buf_set_lines(0, 0, -1, false, {
    "ARG VERSION=3.20",
    "FROM alpine:${VERSION} AS build",
    "RUN echo hi > /v",
    "from alpine:${VERSION}",
    "COPY --from=build /v /v",
    "COPY --from=",
  })
  -- Go to definition: from `build` in the COPY to the stage's `AS build`.
  vim.api.nvim_win_set_cursor(0, { 5, 14 })
  vim.lsp.buf.definition()
  wait_for("go to definition jumps to `AS build`", function()
    local pos = vim.api.nvim_win_get_cursor(0)
    return pos[1] == 2 and pos[2] == 26
  end)

  -- Completion after `--from=` on the last line: the earlier stage.
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  params.position = { line = 5, character = 12 }
  local response = client:request_sync("textDocument/completion", params, TIMEOUT, 0)
  local labels = {}
  for _, item in ipairs((response and response.result and response.result.items) or {}) do
    table.insert(labels, item.label)
  end
  check(vim.tbl_contains(labels, "build"), "completion after --from= offers the stage", table.concat(labels, " "))
  vim.api.nvim_buf_set_lines(0, 5, 6, false, {})

  -- Rename the stage at its declaration: both places change.
  vim.api.nvim_win_set_cursor(0, { 2, 27 })
  vim.lsp.buf.rename("compile")
  wait_for("rename rewrites the stage and its use", function()
    local text = buffer_text()
    return text:find("AS compile", 1, true) ~= nil and text:find("--from=compile", 1, true) ~= nil
  end)

  -- The outline: the global ARG and both stages.
  local symbols
  vim.lsp.buf.document_symbol({
    on_list = function(list)
      symbols = list.items
    end,
  })
  wait_for("document symbols arrive", function()
    return symbols ~= nil
  end)
  local names = {}
  for _, item in ipairs(symbols) do
    table.insert(names, item.text)
  end
  local joined = table.concat(names, " | ")
  check(joined:find("compile", 1, true) ~= nil and joined:find("VERSION", 1, true) ~= nil, "the outline lists the stage and the ARG", joined)

  -- Formatting: the lower-case keyword becomes upper case.
  vim.lsp.buf.format({ bufnr = 0, timeout_ms = TIMEOUT })
  check(vim.api.nvim_buf_get_lines(0, 3, 4, false)[1] == "FROM alpine:${VERSION}", "formatting upper-cases `from`", buffer_text())

  -- Inlay hints: the ARG's value in the FROM line, the user at the RUN.
  vim.lsp.inlay_hint.enable(true, { bufnr = 0 })
  local hints = {}
  wait_for("inlay hints arrive", function()
    hints = {}
    for _, hint in ipairs(vim.lsp.inlay_hint.get({ bufnr = 0 })) do
      table.insert(hints, hint.inlay_hint.label)
    end
    return #hints > 0
  end)
  local all = table.concat(hints, " | ")
  check(all:find("= 3.20", 1, true) ~= nil, "an inlay hint shows the ARG's value", all)
  check(all:find("user: root (from alpine:3.20)", 1, true) ~= nil, "an inlay hint shows the user at RUN", all)

  -- Semantic tokens, which Neovim asks for by itself: the keyword and the stage name.
  local function token_at(row, col)
    for _, token in ipairs(vim.lsp.semantic_tokens.get_at_pos(0, row, col) or {}) do
      return token.type .. (token.modifiers.declaration and "+declaration" or "")
    end
  end
  wait_for("semantic tokens mark FROM as a keyword", function()
    return token_at(1, 0) == "keyword"
  end)
  -- Neovim asks again after each change (the rename, the formatting): wait for the current answer.
  wait_for("semantic tokens mark the stage name as a declaration", function()
    return token_at(1, 27) == "class+declaration"
  end)
end

local function find(code)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == "bulkhead" and d.code == code then
      return d
    end
  end
end

-- A Compose file in the same session: the filetype Neovim gives it, its findings, and (`full`) the hover
-- and the fix of BH713 applied.
local function compose(full)
  vim.cmd("edit compose.yaml")
  check(vim.bo.filetype == "yaml.docker-compose", "compose.yaml has filetype yaml.docker-compose", vim.bo.filetype)
  wait_for("BH710 is published for compose.yaml", function()
    return find("BH710") ~= nil
  end)
  if not full then
    return
  end
  local privileged = find("BH710")
  vim.api.nvim_win_set_cursor(0, { privileged.lnum + 1, privileged.col })
  vim.lsp.buf.hover()
  local hover
  wait_for("hover opens on the Compose finding", function()
    hover = floating_text()
    return hover ~= nil and hover ~= ""
  end)
  check(hover:find("BH710", 1, true) ~= nil, "the Compose hover names BH710", hover)
  check(hover:find("Why it matters", 1, true) ~= nil, "the Compose hover shows the rule's documentation", hover)
  local _, win = floating_text()
  vim.api.nvim_win_close(win, true)
  local bh713 = find("BH713")
  check(bh713 ~= nil, "BH713 is published for compose.yaml")
  vim.api.nvim_win_set_cursor(0, { bh713.lnum + 1, bh713.col })
  local before = buffer_text()
  vim.lsp.buf.code_action({
    apply = true,
    context = { only = { "quickfix" } },
    filter = function(action)
      return action.title:find("no-new-privileges", 1, true) ~= nil
    end,
  })
  wait_for("the Compose quick fix edits the buffer", function()
    return buffer_text() ~= before
  end)
  check(buffer_text():find("- no-new-privileges:true", 1, true) ~= nil, "the fix adds no-new-privileges", buffer_text())
  wait_for("BH713 disappears after the fix", function()
    return find("BH713") == nil
  end)
  check(find("BH710") ~= nil, "BH710 stays")
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
    -- The copy-paste snippet: attaching and diagnosing (a Dockerfile and a Compose file) is what it is for.
    compose(false)
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
  vim.cmd("write")

  editing(client)
  -- `:edit` of the Compose file needs the edited Dockerfile written first.
  vim.cmd("write")
  compose(true)
  say("PASS")
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  say("FAIL: " .. tostring(err))
  vim.cmd("cquit 1")
else
  vim.cmd("qall!")
end
