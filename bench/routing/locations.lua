-- wrk script for bench/routing/run.sh: GET single Locations with the OCPI routing headers.
-- wrk -t2 -c16 -d12s --latency -s locations.lua http://127.0.0.1:PORT -- \
--     "<Authorization value>" <from country> <from party> <to country> <to party> <number of locations>
-- Cycles through LOC0001..LOC<n> (the ids the simulated CPO seeds), gives every request its own X-Request-ID and
-- X-Correlation-ID, and checks every answer: HTTP 200 with OCPI status_code 1000, else it counts as bad. At the end
-- it prints one line: "checked ok=<n> bad=<n> first_bad=<status> <start of body>".

local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

local headers = {}
local locations = 1
local prefix = "/ocpi/2.2.1/locations/sender/"
local counter = 0
ok = 0
bad = 0
first_bad = ""

function init(args)
   headers["Authorization"] = args[1]
   headers["OCPI-from-country-code"] = args[2]
   headers["OCPI-from-party-id"] = args[3]
   headers["OCPI-to-country-code"] = args[4]
   headers["OCPI-to-party-id"] = args[5]
   headers["Accept"] = "application/json"
   locations = tonumber(args[6])
   -- spread the threads over the locations
   counter = (tid - 1) * 7919
end

function request()
   counter = counter + 1
   local id = string.format("LOC%04d", counter % locations + 1)
   local rid = "wrk-" .. tid .. "-" .. counter
   headers["X-Request-ID"] = rid
   headers["X-Correlation-ID"] = rid
   return wrk.format("GET", prefix .. id, headers)
end

function response(status, _, body)
   if status == 200 and body ~= nil and string.find(body, '"status_code":1000', 1, true) then
      ok = ok + 1
   else
      bad = bad + 1
      if first_bad == "" then
         first_bad = status .. " " .. string.sub(body or "", 1, 200)
      end
   end
end

function done(summary, latency, requests)
   local total_ok, total_bad, sample = 0, 0, ""
   for _, thread in ipairs(threads) do
      total_ok = total_ok + thread:get("ok")
      total_bad = total_bad + thread:get("bad")
      local fb = thread:get("first_bad")
      if sample == "" and fb ~= nil and fb ~= "" then
         sample = fb
      end
   end
   io.write(string.format("checked ok=%d bad=%d first_bad=%s\n", total_ok, total_bad,
      (string.gsub(sample, "\n", " "))))
end
