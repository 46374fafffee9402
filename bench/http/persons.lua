-- wrk script: GET /api/v1/persons/{id} with random ids in [1, MAX_ID].
-- MAX_ID comes from the environment (default 1000000). The session cookie
-- and the purpose come from wrk -H (bench/http/run.sh) via wrk.headers.
local max_id = tonumber(os.getenv("MAX_ID") or "1000000")
math.randomseed(42)
request = function()
  local id = math.random(1, max_id)
  return wrk.format("GET", "/api/v1/persons/" .. id)
end
