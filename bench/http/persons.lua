-- wrk script: GET /api/v1/persons/{id} with ids drawn at random from the
-- file IDS (one id a line: the persons the logged-in account may read, so
-- every request is a real, audited read and not a cheap 404), or, without
-- IDS, from [1, MAX_ID]. The session cookie and the purpose come from
-- wrk -H (bench/http/run.sh) via wrk.headers.
local ids = {}
local path = os.getenv("IDS")
if path and path ~= "" then
  for line in io.lines(path) do
    local n = tonumber(line)
    if n then ids[#ids + 1] = n end
  end
end
local max_id = tonumber(os.getenv("MAX_ID") or "1000000")
math.randomseed(42)
request = function()
  local id
  if #ids > 0 then
    id = ids[math.random(1, #ids)]
  else
    id = math.random(1, max_id)
  end
  return wrk.format("GET", "/api/v1/persons/" .. id)
end
