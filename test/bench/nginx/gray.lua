-- The seed's design (shared/seeds/002): nginx asks memcached per request whether this user is in a gray
-- list and answers accordingly. Here the answer is a manifest like Finch's, built from fragments that
-- were rendered ahead; memcached holds, per listed user, "productIndex:strategyId" pairs that differ from
-- the full builds. lua-resty-memcached is not packaged in Debian, so the few lines of the memcached text
-- protocol it needs (get key -> VALUE key flags bytes / data / END) are written out here.
local f = require('fragments')

local uid = ngx.var.arg_userId
if uid ~= nil and (#uid > 200 or not uid:match('^[%w._-]+$')) then uid = nil end

local chosen = {}
for i = 1, #f.full do chosen[i] = f.full[i] end

if uid ~= nil then
  local sock = ngx.socket.tcp()
  sock:settimeout(1000)
  local ok, err = sock:connect('127.0.0.1', f.memcachedPort)
  if not ok then
    ngx.status = 503
    ngx.say('{"error":{"code":"unavailable","message":"memcached: ', err, '"}}')
    return
  end
  sock:send('get u:' .. uid .. '\r\n')
  local line = sock:receive('*l')
  if line ~= nil and line ~= 'END' then
    local len = tonumber(line:match('^VALUE %S+ %d+ (%d+)'))
    local data = sock:receive(len)
    sock:receive('*l') -- the CRLF after the data
    sock:receive('*l') -- END
    for i, sid in data:gmatch('(%d+):(%d+)') do
      chosen[tonumber(i)] = f.byStrategy[tonumber(sid)]
    end
  end
  -- Pooled connections: kinder to nginx than the seed's connect-per-request.
  sock:setkeepalive(60000, 64)
end

local parts = {}
local asked = ngx.var.arg_products or ''
for name in asked:gmatch('[^,]+') do
  local i = f.index[name]
  if i ~= nil then parts[#parts + 1] = chosen[i] end
end

ngx.header['Cache-Control'] = 'private, no-cache'
ngx.print(f.head, uid == nil and 'null' or ('"' .. uid .. '"'), f.middle, table.concat(parts, ','), '}}')
