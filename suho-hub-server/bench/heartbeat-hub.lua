-- wrk script: Suho hub heartbeat (lease renewal) load, with lease secrets.
-- Copy of the Eureka anchor's bench/heartbeat-hub.lua (kept read-only beside this repository) with ONE change:
-- since issue 17 every instance has its own lease secret, returned once by POST /v1/instances, and the hub
-- answers a heartbeat without it with 403. The anchor's script sends only the bearer token, so its heartbeats
-- all fail now; this copy reads "id secret" pairs and sends each instance's secret. The bearer token is sent as
-- well (as the anchor's script did), so each request carries a superset of the anchor's headers; the hub does
-- not need it for a heartbeat.
--   PUT {base}/instances/{id}/heartbeat  (empty body, Authorization: Bearer <token>,
--                                         X-Suho-Lease-Secret: <that instance's secret>)
--   for the N instances registered by load-hub.sh, cycled round-robin; each wrk thread starts at a different offset.
-- Usage: wrk ... -s heartbeat-hub.lua http://127.0.0.1:17100/v1 -- LEASES_FILE TOKEN_FILE
--   LEASES_FILE: one "instanceId leaseSecret" pair per line (load-hub.sh writes it, mode 600)
--   TOKEN_FILE: a file holding the hub's write token (kept off the command line)

local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  local leases_file, token_file = args[1], args[2]
  assert(leases_file and token_file, "usage: -- LEASES_FILE TOKEN_FILE")
  local tf = assert(io.open(token_file, "r"))
  local token = (tf:read("*l") or ""):gsub("%s", "")
  tf:close()
  local base = wrk.path
  if base:sub(-1) == "/" then base = base:sub(1, -2) end
  reqs = {}
  for line in io.lines(leases_file) do
    local id, secret = line:match("^(%S+)%s+(%S+)")
    if id then
      local headers = { ["Authorization"] = "Bearer " .. token, ["X-Suho-Lease-Secret"] = secret }
      -- empty body => "Content-Length: 0", as heartbeat.lua's Eureka renewal
      reqs[#reqs + 1] = wrk.format("PUT", base .. "/instances/" .. id .. "/heartbeat", headers, "")
    end
  end
  assert(#reqs > 0, "no 'id secret' lines in " .. leases_file)
  idx = (tid * 37) % #reqs
end

function request()
  idx = idx % #reqs + 1
  return reqs[idx]
end
