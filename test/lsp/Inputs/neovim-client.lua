-- Drives concur --lsp from Neovim's own LSP client (0.7 API), headless:
-- open a file, wait for the diagnostics Neovim stores, insert lines, wait
-- for them to move, then stop the server. Writes what Neovim received to
-- $CONCUR_OUT; any Lua error is written there too and Neovim quits.
local root = os.getenv("CONCUR_ROOT")
local out = assert(io.open(os.getenv("CONCUR_OUT"), "w"))

local function show(label, bufnr)
  out:write(label .. "\n")
  local diags = vim.diagnostic.get(bufnr)
  table.sort(diags, function(a, b) return a.lnum < b.lnum end)
  for _, d in ipairs(diags) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    out:write(string.format("%d:%d-%d %s %s %s related=%d href=%s\n",
      d.lnum + 1, d.col + 1, d.end_col + 1, d.source, lsp.code,
      d.message, #(lsp.relatedInformation or {}),
      (lsp.codeDescription or {}).href))
  end
end

local function run()
  vim.cmd("edit " .. root .. "/workers.cpp")
  local bufnr = vim.api.nvim_get_current_buf()
  local exit_code = nil
  local client_id = vim.lsp.start_client({
    name = "concur",
    cmd = { os.getenv("CONCUR_BIN"), "--lsp", "--lsp-debounce=50" },
    root_dir = root,
    on_exit = function(code) exit_code = code end,
  })
  assert(client_id, "the client did not start")
  vim.lsp.buf_attach_client(bufnr, client_id)

  local function diagnostic_on_line(line)
    return function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.lnum + 1 == line then return true end
      end
      return false
    end
  end
  assert(vim.wait(120000, diagnostic_on_line(11), 20), "no diagnostics on open")
  show("opened", bufnr)
  local header = vim.uri_to_bufnr(vim.uri_from_fname(root .. "/shared.h"))
  show("header", header)

  -- Typing three comment lines above the sleep: Neovim sends incremental
  -- changes; the diagnostic follows.
  vim.api.nvim_buf_set_lines(bufnr, 9, 9, false, { "  // a", "  // b", "  // c" })
  assert(vim.wait(120000, diagnostic_on_line(14), 20), "the diagnostic did not move")
  show("edited", bufnr)

  -- Unlocking before the sleep fixes it.
  vim.api.nvim_buf_set_lines(bufnr, 13, 13, false, { "  Mu.unlock();" })
  assert(vim.wait(120000, function() return #vim.diagnostic.get(bufnr) == 0 end, 20),
         "the fix did not clear the diagnostic")
  show("fixed", bufnr)

  vim.lsp.stop_client(client_id)
  assert(vim.wait(30000, function() return exit_code ~= nil end, 20),
         "the server did not exit")
  out:write("server exit " .. exit_code .. "\n")
end

local ok, err = pcall(run)
if not ok then out:write("error: " .. tostring(err) .. "\n") end
out:close()
vim.cmd("qa!")
