--[[
Module:Let's Connect/Sessions

Cards for the Let's Connect learning spaces, and the check of their parameters
shown in preview:
  session   {{Let's Connect/Session|...}}   a clinic, coffee or regional session
  resource  {{Let's Connect/Resource|...}}  a recording, slides, a document, a guide
  outcome   {{Let's Connect/Outcome|...}}   what came of a coffee group or a session
  space     {{Let's Connect/Space|...}}     another learning space of the movement

The Let's Connect bot reads the same parameters (bot/sessions/) to build the
resource index, the calendar and the dashboard; this module checks them the way
the bot reads them, so that what preview accepts the bot understands.
Matching of skills and regions comes from Module:Let's Connect and its generated
data page. No input can make this module raise a script error: every entry point
runs under pcall and falls back to plain, escaped text.
]]

local p = {}

local base = require("Module:Let's Connect")

-- The reader's language, the data page, the messages page, escaping and the problem box
-- come from Module:Let's Connect: one definition of each, for all the cards.
local config = {
	boxStyle = "border:1px solid #a2a9b1;border-radius:2px;background:#f8f9fa;color:#202122;"
		.. "padding:0.5em 1em;margin:0.5em 0 1em;max-width:48em;",
}

-- Parameters of each template, and other names accepted (same as the bot's ALIASES).
local PARAMS = {
	session = { "id", "date", "time", "title", "format", "region", "languages", "interpretation",
		"skills", "sharers", "participants", "registration", "status", "summary", "nocat" },
	resource = { "title", "link", "type", "languages", "skills", "session", "nocat" },
	outcome = { "group", "session", "held", "date", "summary", "nocat" },
	space = { "name", "organiser", "region", "topics", "languages", "link", "schedule", "nocat" },
}
local ALIASES = {
	session = { when = "date", datetime = "date", start = "date", day = "date", name = "title",
		type = "format", language = "languages", skill = "skills", topics = "skills",
		topic = "skills", sharer = "sharers", speakers = "sharers", presenters = "sharers",
		attendees = "participants", register = "registration", signup = "registration",
		state = "status", notes = "summary", organizer = "sharers",
		["time utc"] = "time", ["start time"] = "time",
		["registration link"] = "registration", ["interpreted languages"] = "interpretation",
		["interpretation languages"] = "interpretation" },
	resource = { name = "title", url = "link", file = "link", kind = "type", format = "type",
		language = "languages", skill = "skills", topics = "skills", clinic = "session" },
	outcome = { coffee = "group", match = "group", status = "held", result = "summary",
		notes = "summary", clinic = "session", when = "date", ["group id"] = "group" },
	space = { title = "name", organizer = "organiser", organisers = "organiser",
		organizers = "organiser", host = "organiser", topic = "topics", skills = "topics",
		language = "languages", url = "link", when = "schedule" },
}

-- Words -> value, after normalisation (a short form of the bot's lists).
local WORDS = {
	format = {
		clinic = "clinic", clinics = "clinic", ["learning clinic"] = "clinic", clinica = "clinic",
		clinique = "clinic", workshop = "clinic", webinar = "clinic", taller = "clinic",
		atelier = "clinic", coffee = "coffee", coffees = "coffee", tea = "coffee",
		cafe = "coffee", ["1 1"] = "coffee", ["one to one"] = "coffee", cha = "coffee",
		regional = "regional", ["regional session"] = "regional", thematic = "regional",
		["thematic session"] = "regional", quarterly = "regional",
		other = "other", otro = "other", otra = "other", autre = "other", outro = "other",
	},
	status = {
		planned = "planned", scheduled = "planned", upcoming = "planned", announced = "planned",
		previsto = "planned", programado = "planned", prevu = "planned", planejado = "planned",
		held = "held", done = "held", ["took place"] = "held", happened = "held",
		completed = "held", realizado = "held", realizada = "held", tenu = "held",
		cancelled = "cancelled", canceled = "cancelled", cancelado = "cancelled",
		cancelada = "cancelled", annule = "cancelled",
	},
	type = {
		recording = "recording", recordings = "recording", video = "recording",
		audio = "recording", podcast = "recording", grabacion = "recording",
		enregistrement = "recording", gravacao = "recording",
		slides = "slides", slide = "slides", deck = "slides", presentation = "slides",
		presentacion = "slides", diapositivas = "slides", diapositives = "slides",
		apresentacao = "slides",
		document = "document", documents = "document", doc = "document", notes = "document",
		report = "document", pdf = "document", pad = "document", etherpad = "document",
		documento = "document", rapport = "document", relatorio = "document",
		minutes = "document",
		guide = "guide", guides = "guide", ["how to"] = "guide", tutorial = "guide",
		handbook = "guide", manual = "guide", guia = "guide", toolkit = "guide",
		other = "other", otro = "other", autre = "other", outro = "other",
	},
	held = {
		yes = "yes", y = "yes", ["true"] = "yes", ["1"] = "yes", held = "yes", done = "yes",
		["took place"] = "yes", met = "yes", si = "yes", oui = "yes", sim = "yes",
		["نعم"] = "yes", realizado = "yes",
		no = "no", n = "no", ["false"] = "no", ["0"] = "no", ["not held"] = "no",
		cancelled = "no", canceled = "no", ["not met"] = "no", non = "no", nao = "no",
		["لا"] = "no",
	},
}
local GLOBAL = { global = true, all = true, ["all regions"] = true, worldwide = true,
	international = true, online = true, mundial = true, mondial = true }

local MONTHS = {
	january = 1, jan = 1, enero = 1, janvier = 1, janeiro = 1,
	february = 2, feb = 2, febrero = 2, fevrier = 2, fevereiro = 2,
	march = 3, mar = 3, marzo = 3, mars = 3, marco = 3,
	april = 4, apr = 4, abril = 4, avril = 4,
	may = 5, mayo = 5, mai = 5, maio = 5,
	june = 6, jun = 6, junio = 6, juin = 6, junho = 6,
	july = 7, jul = 7, julio = 7, juillet = 7, julho = 7,
	august = 8, aug = 8, agosto = 8, aout = 8,
	september = 9, sep = 9, sept = 9, septiembre = 9, setiembre = 9, septembre = 9,
	setembro = 9,
	october = 10, oct = 10, octubre = 10, octobre = 10, outubro = 10,
	november = 11, nov = 11, noviembre = 11, novembre = 11, novembro = 11,
	december = 12, dec = 12, diciembre = 12, decembre = 12, dezembro = 12,
}

-- Interface messages -------------------------------------------------------------------------
-- They are in Module:Let's Connect/i18n, generated by the bot's `letsconnect deploy` from its
-- message files (bot/i18n/<lang>.json, keys letsconnect-sessions-*). $1, $2 are replaced by
-- (already escaped) values. English is the fallback for missing keys.

-- Small helpers -------------------------------------------------------------------------------

local trim, clean, escape = base._trim, base._clean, base._escape
local readerLanguage, isPreview = base._readerLanguage, base._isPreview
local dataTable, labelOf = base._dataTable, base._labelOf

local function msg(lang, key, ...)
	return base._message("sessions", lang, key, ...)
end

-- The loose key the bot compares words in: no case, accents or punctuation.
local function key(s)
	return base._loose(clean(s))
end

-- Arguments, with names matched loosely and aliases mapped (the canonical name wins).
local function readArgs(frame, kind, problems)
	local raw = {}
	local parent = frame:getParent()
	for k, v in pairs((parent and parent.args) or {}) do
		raw[k] = v
	end
	if next(raw) == nil then
		for k, v in pairs(frame.args) do
			raw[k] = v
		end
	end
	local known = {}
	for _, name in ipairs(PARAMS[kind]) do
		known[name] = true
	end
	local args, fromAlias = {}, {}
	for k, v in pairs(raw) do
		local name = base._normalise(tostring(k))
		local canonical = known[name] and name or ALIASES[kind][name]
		if canonical then
			if args[canonical] == nil or (fromAlias[canonical] and known[name]) then
				args[canonical] = clean(v)
				fromAlias[canonical] = not known[name]
			end
		elseif type(k) ~= "number" or clean(v) ~= "" then
			problems[#problems + 1] = { "p-param-unknown", tostring(k) }
		end
	end
	for _, name in ipairs(PARAMS[kind]) do
		args[name] = args[name] or ""
	end
	return args
end

local function word(kind, value, field, problems, choices)
	if value == "" then
		return nil
	end
	local found = WORDS[kind][key(value)]
	if not found then
		problems[#problems + 1] = { "p-word-unknown", value, field, choices }
	end
	return found
end

-- Dates and times ------------------------------------------------------------------------------

local function validDay(y, m, d)
	if y < 2000 or y > 2100 or m < 1 or m > 12 or d < 1 then
		return false
	end
	local days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
	if m == 2 and (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) then
		return d <= 29
	end
	return d <= days[m]
end

-- "2026-10-14", "14 October 2026", "14 de octubre de 2026", "October 14, 2026", "14/10/2026"
-- -> y, m, d, rest (a time), or nil and a problem key.
local function readDate(text)
	local folded = base._fold(mw.ustring.lower(text)):gsub("%s+de%s+", " ")
	local s, e, y, m, d = folded:find("(%d%d%d%d)[-/.](%d%d?)[-/.](%d%d?)")
	if s then
		y, m, d = tonumber(y), tonumber(m), tonumber(d)
		return validDay(y, m, d) and y or nil, m, d, folded:sub(e + 1):gsub("^[Tt ]", ""),
			"p-date-bad"
	end
	local day, name, year
	s, e, day, name, year = folded:find("(%d%d?)%a*%.?%s*(%a%a%a+)%.?,?%s*(%d%d%d%d)")
	if not s then
		s, e, name, day, year = folded:find("(%a%a%a+)%.?%s+(%d%d?)%a*,?%s+(%d%d%d%d)")
	end
	if s and MONTHS[name] then
		y, m, d = tonumber(year), MONTHS[name], tonumber(day)
		return validDay(y, m, d) and y or nil, m, d, folded:sub(e + 1), "p-date-bad"
	end
	local a, b, c
	s, e, a, b, c = folded:find("(%d%d?)[-/.](%d%d?)[-/.](%d+)")
	if s then
		a, b, y = tonumber(a), tonumber(b), tonumber(c)
		if #c ~= 4 then
			return nil, nil, nil, "", "p-date-bad"
		end
		if a > 12 and b <= 12 then
			d, m = a, b
		elseif b > 12 and a <= 12 then
			m, d = a, b
		elseif a == b then
			d, m = a, b
		elseif validDay(y, a, b) and validDay(y, b, a) then
			return nil, nil, nil, "", "p-date-ambiguous"
		else
			return nil, nil, nil, "", "p-date-bad"
		end
		return validDay(y, m, d) and y or nil, m, d, folded:sub(e + 1), "p-date-bad"
	end
	if folded:match("^%s*%d%d%d%d%-%d%d?%s*$") or folded:match("^%s*%a+%.?%s+%d%d%d%d%s*$") then
		return nil, nil, nil, "", "p-date-incomplete"
	end
	return nil, nil, nil, "", "p-date-bad"
end

-- "14:00", "2pm", "16:00 UTC+3", "16:00+02:00", "16:00 Africa/Nairobi" -> hour, minute, offset
-- (minutes east of UTC, or "zone" for a tz name: shown as written) or nil and a problem key.
local function readTime(text)
	local t = trim((text or ""):gsub("[(),]", " "))
	if t == "" then
		return nil, nil, nil, nil
	end
	local h, m, rest = t:match("^(%d%d?)%s*[:h.]%s*(%d%d)(.*)$")
	if not h then
		h, rest = t:match("^(%d%d?)(.*)$")
		m = "0"
		if not h or not (rest:match("^%s*[aApP]%.?%s?[mM]") or rest:match("^%s*[hH]")
			or rest:match("^%s*[UuGgZz+%-]")) then
			return nil, nil, nil, "p-time-bad"
		end
		rest = rest:gsub("^%s*[hH]", "")
	end
	h, m = tonumber(h), tonumber(m)
	rest = trim(rest:gsub("^:%d%d", ""))
	local ampm = rest:match("^([aApP])%.?%s?[mM]%.?")
	if ampm then
		rest = trim(rest:gsub("^[aApP]%.?%s?[mM]%.?", ""))
		if h < 1 or h > 12 then
			return nil, nil, nil, "p-time-bad"
		end
		h = h % 12 + ((ampm == "p" or ampm == "P") and 12 or 0)
	end
	if h > 23 or m > 59 then
		return nil, nil, nil, "p-time-bad"
	end
	local lower = mw.ustring.lower(rest)
	if lower == "" or lower == "z" or lower:match("^utc") and not lower:match("^utc%s*[+%-]")
		or lower:match("^gmt") and not lower:match("^gmt%s*[+%-]") then
		return h, m, 0, nil
	end
	local sign, oh, om = lower:match("^%a*%s*([+%-])%s*(%d%d?):?(%d?%d?)$")
	if sign then
		local offset = tonumber(oh) * 60 + (tonumber(om) or 0)
		return h, m, sign == "-" and -offset or offset, nil
	end
	if rest:match("^%a+/[%w_+%-/]+$") then
		return h, m, "zone", nil
	end
	if rest:match("^%a%a%a?%a?%a?$") then
		return nil, nil, nil, "p-zone-unknown", rest
	end
	return nil, nil, nil, "p-time-bad"
end

-- The session's date for the card (in the reader's language) and the problems.
local function sessionWhen(args, lang, problems)
	if args.date == "" then
		problems[#problems + 1] = { "p-date-missing" }
		return ""
	end
	local y, m, d, rest, problem = readDate(args.date)
	if not y then
		problems[#problems + 1] = { problem, args.date }
		return escape(args.date)
	end
	local iso = string.format("%04d-%02d-%02d", y, m, d)
	local okDay, shown = pcall(function()
		return mw.language.new(lang):formatDate("j F Y", iso)
	end)
	local out = escape(okDay and shown or iso)
	local timeText = args.time ~= "" and args.time or trim(rest)
	if timeText ~= "" then
		local h, mi, offset, timeProblem, zone = readTime(timeText)
		if timeProblem then
			problems[#problems + 1] = { timeProblem, zone or timeText }
		elseif offset == 0 then
			out = out .. string.format(", %02d:%02d ", h, mi) .. msg(lang, "utc")
		else
			out = out .. ", " .. escape(timeText)
		end
	end
	return out
end

-- Values ----------------------------------------------------------------------------------------

local nameKeys -- loose key of every language name (English and autonyms) -> true

local function knownName(item)
	if not nameKeys then
		nameKeys = {}
		for _, call in ipairs({ { "en", "all" }, {} }) do
			local ok, names = pcall(mw.language.fetchLanguageNames, unpack(call))
			for _, name in pairs(ok and names or {}) do
				nameKeys[key(name)] = true
			end
		end
	end
	return nameKeys[key(item)] == true
end

local function languageList(value, field, lang, problems)
	local names = {}
	for _, item in ipairs(base._splitList(value)) do
		local code = mw.ustring.lower(item)
		local okKnown, known = pcall(mw.language.isKnownLanguageTag, code)
		local name
		if okKnown and known then
			local okName, fetched = pcall(mw.language.fetchLanguageName, code, lang)
			name = okName and fetched ~= "" and fetched or nil
		end
		if not name and knownName(item) then
			name = item
		end
		if not name then
			problems[#problems + 1] = { "p-language-unknown", item, field }
			name = item
		end
		names[#names + 1] = escape(name)
	end
	return table.concat(names, ", ")
end

local function skillList(value, field, lang, problems)
	local labels = {}
	local skills = dataTable("skills")
	for _, item in ipairs(base._splitList(value)) do
		local id = base._resolve(dataTable("lookup"), item)
		if id and skills[id] then
			labels[#labels + 1] = escape(labelOf(skills[id], lang) or id)
		else
			problems[#problems + 1] = { "p-skill-unknown", item, field }
			labels[#labels + 1] = escape(item) .. " (?)"
		end
	end
	return table.concat(labels, " · ")
end

local function topicList(value, lang, problems)
	local labels = {}
	local sources = {
		{ "thematic", "thematicLookup" }, { "areas", "areaLookup" }, { "skills", "lookup" },
	}
	for _, item in ipairs(base._splitList(value)) do
		local label
		for _, names in ipairs(sources) do
			local entries = dataTable(names[1])
			local id = base._resolve(dataTable(names[2]), item)
			if id and entries[id] then
				label = labelOf(entries[id], lang) or id
				break
			end
		end
		if not label then
			problems[#problems + 1] = { "p-topic-unknown", item }
		end
		labels[#labels + 1] = escape(label or item)
	end
	return table.concat(labels, " · ")
end

local function regionName(value, lang, problems)
	if value == "" or GLOBAL[key(value)] then
		return msg(lang, "every-region")
	end
	local regions = dataTable("regions")
	local id = base._resolve(dataTable("regionLookup"), value)
	if id and regions[id] then
		return escape(labelOf(regions[id], lang) or id)
	end
	problems[#problems + 1] = { "p-region-unknown", value }
	return escape(value)
end

local function userLinks(value)
	local out = {}
	for _, item in ipairs(base._splitList(value)) do
		local name = item:gsub("^%[%[", ""):gsub("%]%]$", ""):gsub("|.*$", "")
		local ok, title = pcall(mw.title.new, name, 2)
		if ok and title and title.namespace == 2 then
			out[#out + 1] = "[[User:" .. title.rootText .. "|" .. escape(title.rootText) .. "]]"
		else
			out[#out + 1] = escape(item)
		end
	end
	return table.concat(out, ", ")
end

-- A link parameter -> wikitext of the link (label escaped), or "" with a problem.
local function linkTo(value, label, field, problems, check)
	local text = trim(value)
	if text == "" then
		return ""
	end
	local url = text:match("^%[(https?://[^%s%]]+)") or text:match("^(https?://%S+)$")
		or text:match("^(//%S+)$")
	if url then
		if url:find("[<>\"{}|%[%]]") then
			problems[#problems + 1] = { "p-link-bad", text, field }
			return escape(label)
		end
		url = url:gsub("'", "%%27"):gsub("~", "%%7E")
		return "[" .. url .. " " .. escape(label) .. "]"
	end
	local target = text:match("^%[%[:?([^|%]]+)") or text
	if target:match("^%a[%w+.-]*://") or target:match("^www%.")
		or target:match("^[Jj]avascript:") or target:match("^[Mm]ailto:") then
		problems[#problems + 1] = { "p-link-bad", text, field }
		return escape(label)
	end
	local ok, title = pcall(mw.title.new, trim(target))
	if not ok or not title then
		problems[#problems + 1] = { "p-link-bad", text, field }
		return escape(label)
	end
	if check then
		local okExists, exists = pcall(function()
			if title.namespace == 6 then
				return title.file.exists
			end
			return title.exists
		end)
		if okExists and not exists then
			problems[#problems + 1] = { "p-link-absent", title.prefixedText, field }
		end
	end
	return "[[:" .. title.prefixedText .. "|" .. escape(label) .. "]]"
end

-- What a link shows when it has no label of its own: the site, or the page's name.
local function linkLabel(value)
	local text = trim(value)
	local host = text:match("^%[?https?://([^/%s%]]+)") or text:match("^%[?//([^/%s%]]+)")
	if host then
		return host
	end
	return (text:gsub("^%[%[:?", ""):gsub("|.*$", ""):gsub("%]%]$", ""))
end

-- Output ----------------------------------------------------------------------------------------

local function row(label, value)
	if value == nil or value == "" then
		return ""
	end
	return "<tr><th scope=\"row\" style=\"text-align:start;vertical-align:top;padding:0.1em 1em "
		.. "0.1em 0;\">" .. label .. "</th><td style=\"padding:0.1em 0;\">" .. value .. "</td></tr>"
end

local function wrap(frame, kind, build)
	local lang = readerLanguage(frame)
	local problems = {}
	local args = readArgs(frame, kind, problems)
	local preview = isPreview(frame)
	local body = build(args, lang, problems, preview)
	local out = "<div class=\"letsconnect-" .. kind .. "\" lang=\"" .. lang .. "\" dir=\""
		.. base._direction(lang) .. "\">"
	if preview and #problems > 0 then
		out = out .. base._problemBox(problems, lang, "sessions")
	end
	return out .. body .. "</div>"
end

local function safe(kind, build)
	return function(frame)
		local ok, result = pcall(wrap, frame, kind, build)
		if ok then
			return result
		end
		local lang = "en"
		pcall(function()
			lang = readerLanguage(frame)
		end)
		return "<div style=\"" .. base._problemStyle .. "\">" .. msg(lang, "error") .. "</div>"
	end
end

local function choices(kind)
	local list = { format = "clinic, coffee, regional, other", status = "planned, held, cancelled",
		type = "recording, slides, document, guide, other" }
	return list[kind]
end

local function pageName()
	local ok, title = pcall(mw.title.getCurrentTitle)
	return ok and title and title.subpageText or ""
end

-- The four cards --------------------------------------------------------------------------------

p.session = safe("session", function(args, lang, problems, preview)
	local when = sessionWhen(args, lang, problems)
	local format = word("format", args.format, "format", problems, choices("format")) or "other"
	local status = word("status", args.status, "status", problems, choices("status")) or "planned"
	local title = args.title
	if title == "" then
		problems[#problems + 1] = { "p-title-missing" }
		title = pageName()
	end
	local languages = languageList(args.languages, "languages", lang, problems)
	local interpreted = languageList(args.interpretation, "interpretation", lang, problems)
	if interpreted ~= "" then
		languages = (languages ~= "" and languages .. "; " or "") .. msg(lang, "interpretation")
			.. ": " .. interpreted
	end
	local participants = args.participants:gsub(",", "")
	if participants ~= "" and not participants:match("^%d+$") then
		problems[#problems + 1] = { "p-participants-bad", args.participants }
		participants = ""
	end
	local rows = {
		row(msg(lang, "format"), msg(lang, "format-" .. format)),
		row(msg(lang, "status"), msg(lang, "status-" .. status)),
		row(msg(lang, "region"), regionName(args.region, lang, problems)),
		row(msg(lang, "languages"), languages),
		row(msg(lang, "skills"), skillList(args.skills, "skills", lang, problems)),
		row(msg(lang, "sharers"), userLinks(args.sharers)),
		row(msg(lang, "participants"), participants),
		row(msg(lang, "registration"), linkTo(args.registration, linkLabel(args.registration),
			"registration", problems, preview)),
		row(msg(lang, "summary"), escape(args.summary)),
	}
	return "<div style=\"" .. config.boxStyle .. "\"><div style=\"font-size:115%;"
		.. "font-weight:bold;\">" .. escape(title) .. "</div><div style=\"color:#54595d;"
		.. "margin-bottom:0.3em;\">" .. when .. "</div><table style=\"border-collapse:collapse;"
		.. "background:transparent;\">" .. table.concat(rows) .. "</table></div>"
end)

p.resource = safe("resource", function(args, lang, problems, preview)
	local title = args.title
	if title == "" then
		problems[#problems + 1] = { "p-title-missing" }
		title = pageName()
	end
	local link = linkTo(args.link, title, "link", problems, preview)
	if args.link == "" then
		problems[#problems + 1] = { "p-link-missing" }
		link = escape(title) .. " <small>(" .. msg(lang, "no-link") .. ")</small>"
	end
	local kind = word("type", args.type, "type", problems, choices("type")) or "other"
	local words = { msg(lang, "type-" .. kind) }
	local languages = languageList(args.languages, "languages", lang, problems)
	if languages ~= "" then
		words[#words + 1] = languages
	end
	local skills = skillList(args.skills, "skills", lang, problems)
	if skills ~= "" then
		words[#words + 1] = skills
	end
	local out = "<div style=\"margin:0.2em 0;\">▸ " .. link .. " <span style=\"color:#54595d;\">("
		.. table.concat(words, " · ") .. ")</span>"
	if args.session ~= "" then
		out = out .. " — " .. msg(lang, "from") .. " "
			.. linkTo(args.session, linkLabel(args.session), "session", problems, false)
	end
	return out .. "</div>"
end)

p.outcome = safe("outcome", function(args, lang, problems)
	local held = nil
	if args.held == "" then
		problems[#problems + 1] = { "p-held-missing" }
	else
		held = WORDS.held[key(args.held)]
		if not held then
			problems[#problems + 1] = { "p-held-bad", args.held }
		end
	end
	local heading = msg(lang, "outcome-session")
	if args.group ~= "" then
		if not args.group:match("^%d%d%d%d%-%d%d%-%d%d%d+$") then
			problems[#problems + 1] = { "p-group-bad", args.group }
		end
		heading = msg(lang, "outcome-group", escape(args.group))
	end
	local parts = { "<strong>" .. heading .. "</strong>" }
	if held then
		parts[#parts + 1] = msg(lang, held == "yes" and "held-yes" or "held-no")
	end
	if args.date ~= "" then
		local y, m, d, _, problem = readDate(args.date)
		if y then
			parts[#parts + 1] = string.format("%04d-%02d-%02d", y, m, d)
		else
			problems[#problems + 1] = { problem, args.date }
		end
	end
	local out = "<div style=\"" .. config.boxStyle .. "\">" .. table.concat(parts, " · ")
	if args.summary ~= "" then
		out = out .. "<div>" .. escape(args.summary) .. "</div>"
	end
	return out .. "</div>"
end)

p.space = safe("space", function(args, lang, problems, preview)
	if args.name == "" then
		problems[#problems + 1] = { "p-name-missing" }
	end
	local name = args.name ~= "" and args.name or pageName()
	local heading = args.link ~= "" and linkTo(args.link, name, "link", problems, preview)
		or escape(name)
	local rows = {
		row(msg(lang, "organiser"), escape(args.organiser)),
		row(msg(lang, "region"), regionName(args.region, lang, problems)),
		row(msg(lang, "topics"), topicList(args.topics, lang, problems)),
		row(msg(lang, "languages"), languageList(args.languages, "languages", lang, problems)),
		row(msg(lang, "schedule"), escape(args.schedule)),
	}
	return "<div style=\"" .. config.boxStyle .. "\"><div style=\"font-size:115%;"
		.. "font-weight:bold;\">" .. heading .. "</div><table style=\"border-collapse:collapse;"
		.. "background:transparent;\">" .. table.concat(rows) .. "</table></div>"
end)

-- For tests: the pure readers.
p._readDate = readDate
p._readTime = readTime

return p
