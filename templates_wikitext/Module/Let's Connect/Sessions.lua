--[[
Module:Let's Connect/Sessions

Cards for the Let's Connect learning spaces, and the check of their parameters
shown in preview:
  session   {{Let's Connect/Session|...}}   a clinic, coffee or regional session
  resource  {{Let's Connect/Resource|...}}  a recording, slides, a document, a guide
  outcome   {{Let's Connect/Outcome|...}}   what came of a coffee group or a session
  space     {{Let's Connect/Space|...}}     another learning space of the movement

The Let's Connect bot reads the same parameters (bot/sessions.py) to build the
resource index, the calendar and the dashboard; this module checks them the way
the bot reads them, so that what preview accepts the bot understands.
Matching of skills and regions comes from Module:Let's Connect and its generated
data page. No input can make this module raise a script error: every entry point
runs under pcall and falls back to plain, escaped text.
]]

local p = {}

local base = require("Module:Let's Connect")

local config = {
	dataPage = "Module:Let's Connect/data",
	languages = { "en", "es", "fr", "pt", "ar" },
	rtl = { ar = true },
	boxStyle = "border:1px solid #a2a9b1;border-radius:2px;background:#f8f9fa;color:#202122;"
		.. "padding:0.5em 1em;margin:0.5em 0 1em;max-width:48em;",
	problemStyle = "border:1px solid #d33;border-radius:2px;background:#fee7e6;color:#202122;"
		.. "padding:0.5em 1em;margin:0.5em 0;max-width:48em;",
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

-- Interface messages ---------------------------------------------------------------------------

local i18n = {}

i18n.en = {
	["utc"] = "UTC",
	["format"] = "Format", ["status"] = "Status", ["region"] = "Region",
	["languages"] = "Languages", ["interpretation"] = "interpretation", ["skills"] = "Skills",
	["sharers"] = "Sharers", ["participants"] = "Participants", ["registration"] = "Registration",
	["summary"] = "Summary", ["from"] = "from", ["organiser"] = "Organiser",
	["topics"] = "Topics", ["schedule"] = "When", ["every-region"] = "Every region",
	["outcome-group"] = "Coffee group $1", ["outcome-session"] = "Outcome",
	["held-yes"] = "held", ["held-no"] = "not held", ["no-link"] = "no link yet",
	["format-clinic"] = "learning clinic", ["format-coffee"] = "coffee",
	["format-regional"] = "regional session", ["format-other"] = "learning space",
	["status-planned"] = "planned", ["status-held"] = "held", ["status-cancelled"] = "cancelled",
	["type-recording"] = "recording", ["type-slides"] = "slides", ["type-document"] = "document",
	["type-guide"] = "guide", ["type-other"] = "resource",
	["problems-heading"] = "Please check before saving:",
	["problems-note"] = "This box is shown only in preview.",
	["p-date-missing"] = "date is empty. Write the date as YYYY-MM-DD, for example 2026-10-14.",
	["p-date-bad"] = "The date “$1” is not understood. Write it as YYYY-MM-DD.",
	["p-date-ambiguous"] = "The date “$1” can mean two different days. Write it as YYYY-MM-DD.",
	["p-date-incomplete"] = "The date “$1” has no day. Write the full date as YYYY-MM-DD.",
	["p-time-bad"] = "The time “$1” is not understood. Write it in UTC as HH:MM, for example 14:00.",
	["p-zone-unknown"] = "The time zone “$1” cannot be converted. Write the time in UTC, or with "
		.. "an offset such as UTC+3.",
	["p-word-unknown"] = "“$1” is not a valid $2. Use one of: $3.",
	["p-language-unknown"] = "“$1” (in $2) is not a language code or name the bot knows.",
	["p-skill-unknown"] = "“$1” (in $2) is not in the list of skills.",
	["p-topic-unknown"] = "“$1” is not a skill or an area in the lists; it will be listed under "
		.. "other topics.",
	["p-region-unknown"] = "“$1” is not a region in the list. Leave region empty, or write "
		.. "global, for every region.",
	["p-participants-bad"] = "participants should be a whole number, not “$1”.",
	["p-link-missing"] = "link is empty: add the address of the recording, the file "
		.. "(File:Name.pdf) or the page.",
	["p-link-bad"] = "“$1” (in $2) is not a web address (https://…), a file or a page title.",
	["p-link-absent"] = "“$1” (in $2) does not exist on this wiki.",
	["p-held-missing"] = "held is empty: write held = yes or held = no.",
	["p-held-bad"] = "held should be yes or no, not “$1”.",
	["p-group-bad"] = "“$1” is not a group id; group ids look like 2026-11-003.",
	["p-target-missing"] = "Say which coffee group (group = 2026-11-003) or which session "
		.. "(session = page title) this outcome is about.",
	["p-name-missing"] = "name is empty: the space cannot be listed without a name.",
	["p-title-missing"] = "title is empty: the page name will be used.",
	["p-param-unknown"] = "“$1” is not a parameter of this template; check its spelling.",
	["error"] = "This entry could not be shown because of an error in "
		.. "Module:Let's Connect/Sessions. Please tell the Let's Connect working group.",
}

i18n.es = {
	["format"] = "Formato", ["status"] = "Estado", ["region"] = "Región",
	["languages"] = "Idiomas", ["interpretation"] = "interpretación", ["skills"] = "Habilidades",
	["sharers"] = "Comparten", ["participants"] = "Participantes",
	["registration"] = "Inscripción", ["summary"] = "Resumen", ["from"] = "de",
	["organiser"] = "Organiza", ["topics"] = "Temas", ["schedule"] = "Cuándo",
	["every-region"] = "Todas las regiones", ["outcome-group"] = "Grupo de café $1",
	["outcome-session"] = "Resultado", ["held-yes"] = "realizado", ["held-no"] = "no realizado",
	["no-link"] = "todavía sin enlace",
	["format-clinic"] = "clínica de aprendizaje", ["format-coffee"] = "café",
	["format-regional"] = "sesión regional", ["format-other"] = "espacio de aprendizaje",
	["status-planned"] = "prevista", ["status-held"] = "realizada",
	["status-cancelled"] = "cancelada",
	["type-recording"] = "grabación", ["type-slides"] = "diapositivas",
	["type-document"] = "documento", ["type-guide"] = "guía", ["type-other"] = "recurso",
	["problems-heading"] = "Revisa antes de guardar:",
	["problems-note"] = "Este recuadro solo se muestra en la previsualización.",
	["p-date-missing"] = "date está vacío. Escribe la fecha como AAAA-MM-DD, por ejemplo "
		.. "2026-10-14.",
	["p-date-bad"] = "No se entiende la fecha «$1». Escríbela como AAAA-MM-DD.",
	["p-date-ambiguous"] = "La fecha «$1» puede indicar dos días distintos. Escríbela como "
		.. "AAAA-MM-DD.",
	["p-date-incomplete"] = "La fecha «$1» no tiene día. Escribe la fecha completa como "
		.. "AAAA-MM-DD.",
	["p-time-bad"] = "No se entiende la hora «$1». Escríbela en UTC como HH:MM, por ejemplo "
		.. "14:00.",
	["p-zone-unknown"] = "No se puede convertir la zona horaria «$1». Escribe la hora en UTC o "
		.. "con un desfase como UTC+3.",
	["p-word-unknown"] = "«$1» no es un valor válido de $2. Usa uno de: $3.",
	["p-language-unknown"] = "«$1» (en $2) no es un código o nombre de idioma que el bot conozca.",
	["p-skill-unknown"] = "«$1» (en $2) no está en la lista de habilidades.",
	["p-topic-unknown"] = "«$1» no es una habilidad ni un área de las listas; se mostrará en "
		.. "otros temas.",
	["p-region-unknown"] = "«$1» no es una región de la lista. Deja region vacío, o escribe "
		.. "global, para todas las regiones.",
	["p-participants-bad"] = "participants debe ser un número entero, no «$1».",
	["p-link-missing"] = "link está vacío: añade la dirección de la grabación, el archivo "
		.. "(File:Nombre.pdf) o la página.",
	["p-link-bad"] = "«$1» (en $2) no es una dirección web (https://…), un archivo ni un título "
		.. "de página.",
	["p-link-absent"] = "«$1» (en $2) no existe en este wiki.",
	["p-held-missing"] = "held está vacío: escribe held = yes o held = no.",
	["p-held-bad"] = "held debe ser yes o no, no «$1».",
	["p-group-bad"] = "«$1» no es un identificador de grupo; se escriben como 2026-11-003.",
	["p-target-missing"] = "Indica a qué grupo de café (group = 2026-11-003) o a qué sesión "
		.. "(session = título de la página) se refiere este resultado.",
	["p-name-missing"] = "name está vacío: el espacio no se puede listar sin nombre.",
	["p-title-missing"] = "title está vacío: se usará el nombre de la página.",
	["p-param-unknown"] = "«$1» no es un parámetro de esta plantilla; revisa cómo está escrito.",
	["error"] = "No se pudo mostrar esta entrada por un error en Module:Let's Connect/Sessions. "
		.. "Avisa al grupo de trabajo de Let's Connect.",
}

i18n.fr = {
	["format"] = "Format", ["status"] = "Statut", ["region"] = "Région",
	["languages"] = "Langues", ["interpretation"] = "interprétation",
	["skills"] = "Compétences", ["sharers"] = "Intervenants", ["participants"] = "Participants",
	["registration"] = "Inscription", ["summary"] = "Résumé", ["from"] = "de",
	["organiser"] = "Organisation", ["topics"] = "Thèmes", ["schedule"] = "Quand",
	["every-region"] = "Toutes les régions", ["outcome-group"] = "Groupe café $1",
	["outcome-session"] = "Résultat", ["held-yes"] = "tenu", ["held-no"] = "non tenu",
	["no-link"] = "pas encore de lien",
	["format-clinic"] = "clinique d'apprentissage", ["format-coffee"] = "café",
	["format-regional"] = "session régionale", ["format-other"] = "espace d'apprentissage",
	["status-planned"] = "prévue", ["status-held"] = "tenue", ["status-cancelled"] = "annulée",
	["type-recording"] = "enregistrement", ["type-slides"] = "diapositives",
	["type-document"] = "document", ["type-guide"] = "guide", ["type-other"] = "ressource",
	["problems-heading"] = "Vérifiez avant de publier :",
	["problems-note"] = "Cet encadré n'apparaît que dans l'aperçu.",
	["p-date-missing"] = "date est vide. Écrivez la date sous la forme AAAA-MM-JJ, par exemple "
		.. "2026-10-14.",
	["p-date-bad"] = "La date « $1 » n'est pas comprise. Écrivez-la sous la forme AAAA-MM-JJ.",
	["p-date-ambiguous"] = "La date « $1 » peut désigner deux jours différents. Écrivez-la sous "
		.. "la forme AAAA-MM-JJ.",
	["p-date-incomplete"] = "La date « $1 » n'a pas de jour. Écrivez la date complète sous la "
		.. "forme AAAA-MM-JJ.",
	["p-time-bad"] = "L'heure « $1 » n'est pas comprise. Écrivez-la en UTC sous la forme HH:MM, "
		.. "par exemple 14:00.",
	["p-zone-unknown"] = "Le fuseau horaire « $1 » ne peut pas être converti. Écrivez l'heure en "
		.. "UTC ou avec un décalage comme UTC+3.",
	["p-word-unknown"] = "« $1 » n'est pas une valeur valide de $2. Utilisez : $3.",
	["p-language-unknown"] = "« $1 » (dans $2) n'est pas un code ou un nom de langue connu du bot.",
	["p-skill-unknown"] = "« $1 » (dans $2) ne figure pas dans la liste des compétences.",
	["p-topic-unknown"] = "« $1 » n'est ni une compétence ni un domaine des listes ; il sera "
		.. "classé dans les autres thèmes.",
	["p-region-unknown"] = "« $1 » n'est pas une région de la liste. Laissez region vide, ou "
		.. "écrivez global, pour toutes les régions.",
	["p-participants-bad"] = "participants doit être un nombre entier, et non « $1 ».",
	["p-link-missing"] = "link est vide : ajoutez l'adresse de l'enregistrement, le fichier "
		.. "(File:Nom.pdf) ou la page.",
	["p-link-bad"] = "« $1 » (dans $2) n'est ni une adresse web (https://…), ni un fichier, ni "
		.. "un titre de page.",
	["p-link-absent"] = "« $1 » (dans $2) n'existe pas sur ce wiki.",
	["p-held-missing"] = "held est vide : écrivez held = yes ou held = no.",
	["p-held-bad"] = "held doit valoir yes ou no, et non « $1 ».",
	["p-group-bad"] = "« $1 » n'est pas un identifiant de groupe ; ils s'écrivent comme "
		.. "2026-11-003.",
	["p-target-missing"] = "Indiquez de quel groupe café (group = 2026-11-003) ou de quelle "
		.. "session (session = titre de la page) parle ce résultat.",
	["p-name-missing"] = "name est vide : l'espace ne peut pas être listé sans nom.",
	["p-title-missing"] = "title est vide : le nom de la page sera utilisé.",
	["p-param-unknown"] = "« $1 » n'est pas un paramètre de ce modèle ; vérifiez l'orthographe.",
	["error"] = "Cette entrée n'a pas pu être affichée à cause d'une erreur dans "
		.. "Module:Let's Connect/Sessions. Merci de prévenir le groupe de travail Let's Connect.",
}

i18n.pt = {
	["format"] = "Formato", ["status"] = "Situação", ["region"] = "Região",
	["languages"] = "Idiomas", ["interpretation"] = "interpretação",
	["skills"] = "Habilidades", ["sharers"] = "Compartilham", ["participants"] = "Participantes",
	["registration"] = "Inscrição", ["summary"] = "Resumo", ["from"] = "de",
	["organiser"] = "Organização", ["topics"] = "Temas", ["schedule"] = "Quando",
	["every-region"] = "Todas as regiões", ["outcome-group"] = "Grupo de café $1",
	["outcome-session"] = "Resultado", ["held-yes"] = "realizado",
	["held-no"] = "não realizado", ["no-link"] = "ainda sem link",
	["format-clinic"] = "clínica de aprendizagem", ["format-coffee"] = "café",
	["format-regional"] = "sessão regional", ["format-other"] = "espaço de aprendizagem",
	["status-planned"] = "prevista", ["status-held"] = "realizada",
	["status-cancelled"] = "cancelada",
	["type-recording"] = "gravação", ["type-slides"] = "slides", ["type-document"] = "documento",
	["type-guide"] = "guia", ["type-other"] = "recurso",
	["problems-heading"] = "Verifique antes de salvar:",
	["problems-note"] = "Esta caixa só aparece na pré-visualização.",
	["p-date-missing"] = "date está vazio. Escreva a data como AAAA-MM-DD, por exemplo "
		.. "2026-10-14.",
	["p-date-bad"] = "A data “$1” não foi entendida. Escreva-a como AAAA-MM-DD.",
	["p-date-ambiguous"] = "A data “$1” pode indicar dois dias diferentes. Escreva-a como "
		.. "AAAA-MM-DD.",
	["p-date-incomplete"] = "A data “$1” não tem dia. Escreva a data completa como AAAA-MM-DD.",
	["p-time-bad"] = "A hora “$1” não foi entendida. Escreva-a em UTC como HH:MM, por exemplo "
		.. "14:00.",
	["p-zone-unknown"] = "O fuso horário “$1” não pode ser convertido. Escreva a hora em UTC ou "
		.. "com um deslocamento como UTC+3.",
	["p-word-unknown"] = "“$1” não é um valor válido de $2. Use um destes: $3.",
	["p-language-unknown"] = "“$1” (em $2) não é um código ou nome de idioma que o robô conheça.",
	["p-skill-unknown"] = "“$1” (em $2) não está na lista de habilidades.",
	["p-topic-unknown"] = "“$1” não é uma habilidade nem uma área das listas; ficará em outros "
		.. "temas.",
	["p-region-unknown"] = "“$1” não é uma região da lista. Deixe region vazio, ou escreva "
		.. "global, para todas as regiões.",
	["p-participants-bad"] = "participants deve ser um número inteiro, não “$1”.",
	["p-link-missing"] = "link está vazio: acrescente o endereço da gravação, o arquivo "
		.. "(File:Nome.pdf) ou a página.",
	["p-link-bad"] = "“$1” (em $2) não é um endereço web (https://…), um arquivo nem um título "
		.. "de página.",
	["p-link-absent"] = "“$1” (em $2) não existe nesta wiki.",
	["p-held-missing"] = "held está vazio: escreva held = yes ou held = no.",
	["p-held-bad"] = "held deve ser yes ou no, não “$1”.",
	["p-group-bad"] = "“$1” não é um identificador de grupo; eles têm a forma 2026-11-003.",
	["p-target-missing"] = "Indique de que grupo de café (group = 2026-11-003) ou de que sessão "
		.. "(session = título da página) é este resultado.",
	["p-name-missing"] = "name está vazio: o espaço não pode ser listado sem nome.",
	["p-title-missing"] = "title está vazio: será usado o nome da página.",
	["p-param-unknown"] = "“$1” não é um parâmetro desta predefinição; verifique a grafia.",
	["error"] = "Esta entrada não pôde ser mostrada por causa de um erro em "
		.. "Module:Let's Connect/Sessions. Avise o grupo de trabalho do Let's Connect.",
}

i18n.ar = {
	["format"] = "الشكل", ["status"] = "الحالة", ["region"] = "المنطقة",
	["languages"] = "اللغات", ["interpretation"] = "ترجمة فورية", ["skills"] = "المهارات",
	["sharers"] = "المشاركون بالمعرفة", ["participants"] = "عدد الحضور",
	["registration"] = "التسجيل", ["summary"] = "الملخص", ["from"] = "من",
	["organiser"] = "المنظم", ["topics"] = "المواضيع", ["schedule"] = "الموعد",
	["every-region"] = "كل المناطق", ["outcome-group"] = "مجموعة القهوة $1",
	["outcome-session"] = "النتيجة", ["held-yes"] = "عُقد", ["held-no"] = "لم يُعقد",
	["no-link"] = "لا رابط بعد",
	["format-clinic"] = "عيادة تعلم", ["format-coffee"] = "قهوة",
	["format-regional"] = "جلسة إقليمية", ["format-other"] = "مساحة تعلم",
	["status-planned"] = "مخطط لها", ["status-held"] = "عُقدت", ["status-cancelled"] = "أُلغيت",
	["type-recording"] = "تسجيل", ["type-slides"] = "شرائح", ["type-document"] = "وثيقة",
	["type-guide"] = "دليل", ["type-other"] = "مورد",
	["problems-heading"] = "يرجى المراجعة قبل الحفظ:",
	["problems-note"] = "يظهر هذا الصندوق في المعاينة فقط.",
	["p-date-missing"] = "date فارغ. اكتب التاريخ بالشكل YYYY-MM-DD، مثل 2026-10-14.",
	["p-date-bad"] = "التاريخ «$1» غير مفهوم. اكتبه بالشكل YYYY-MM-DD.",
	["p-date-ambiguous"] = "التاريخ «$1» قد يعني يومين مختلفين. اكتبه بالشكل YYYY-MM-DD.",
	["p-date-incomplete"] = "التاريخ «$1» بلا يوم. اكتب التاريخ كاملًا بالشكل YYYY-MM-DD.",
	["p-time-bad"] = "الوقت «$1» غير مفهوم. اكتبه بتوقيت UTC بالشكل HH:MM، مثل 14:00.",
	["p-zone-unknown"] = "لا يمكن تحويل المنطقة الزمنية «$1». اكتب الوقت بتوقيت UTC أو بفارق مثل "
		.. "UTC+3.",
	["p-word-unknown"] = "«$1» ليست قيمة صالحة لـ $2. استخدم إحدى: $3.",
	["p-language-unknown"] = "«$1» (في $2) ليس رمز لغة أو اسمها مما يعرفه البوت.",
	["p-skill-unknown"] = "«$1» (في $2) ليست في قائمة المهارات.",
	["p-topic-unknown"] = "«$1» ليس مهارة ولا مجالًا في القوائم؛ سيُدرج ضمن مواضيع أخرى.",
	["p-region-unknown"] = "«$1» ليست منطقة في القائمة. اترك region فارغًا، أو اكتب global، لكل "
		.. "المناطق.",
	["p-participants-bad"] = "participants يجب أن يكون عددًا صحيحًا، لا «$1».",
	["p-link-missing"] = "link فارغ: أضف عنوان التسجيل أو الملف (File:Name.pdf) أو الصفحة.",
	["p-link-bad"] = "«$1» (في $2) ليس عنوان ويب (https://…) ولا ملفًا ولا عنوان صفحة.",
	["p-link-absent"] = "«$1» (في $2) غير موجود في هذا الويكي.",
	["p-held-missing"] = "held فارغ: اكتب held = yes أو held = no.",
	["p-held-bad"] = "held يجب أن يكون yes أو no، لا «$1».",
	["p-group-bad"] = "«$1» ليس معرّف مجموعة؛ المعرّفات تُكتب مثل 2026-11-003.",
	["p-target-missing"] = "اذكر مجموعة القهوة (group = 2026-11-003) أو الجلسة (session = عنوان "
		.. "الصفحة) التي تخصها هذه النتيجة.",
	["p-name-missing"] = "name فارغ: لا يمكن إدراج المساحة دون اسم.",
	["p-title-missing"] = "title فارغ: سيُستخدم اسم الصفحة.",
	["p-param-unknown"] = "«$1» ليس وسيطًا في هذا القالب؛ تحقق من كتابته.",
	["error"] = "تعذر عرض هذا المدخل بسبب خطأ في Module:Let's Connect/Sessions. يرجى إبلاغ فريق "
		.. "عمل Let's Connect.",
}

-- Small helpers -------------------------------------------------------------------------------

local function trim(s)
	if type(s) ~= "string" then
		return ""
	end
	return mw.text.trim(s)
end

local function clean(s)
	if type(s) ~= "string" then
		return ""
	end
	local ok, out = pcall(mw.text.killMarkers, s)
	return trim(ok and out or s)
end

-- Text from people, made inert: one line, no markup.
local function escape(s)
	local text = tostring(s or ""):gsub("[\r\n]+", " ")
	return mw.text.nowiki(text)
end

local function msg(lang, key, ...)
	local text = (i18n[lang] and i18n[lang][key]) or i18n.en[key] or key
	local params = { ... }
	return (text:gsub("%$(%d)", function(n)
		return params[tonumber(n)] or ""
	end))
end

-- The loose key the bot compares words in: no case, accents or punctuation.
local function key(s)
	return base._loose(clean(s))
end

local function supported(code)
	code = mw.ustring.lower(trim(code))
	for _, lang in ipairs(config.languages) do
		if code == lang or code:match("^" .. lang .. "%-") then
			return lang
		end
	end
	return nil
end

local function readerLanguage(frame)
	local ok, code = pcall(function()
		return frame:preprocess("{{int:lang}}")
	end)
	local lang = ok and supported(code)
	if not lang then
		local okContent, content = pcall(function()
			return mw.language.getContentLanguage():getCode()
		end)
		lang = okContent and supported(content)
	end
	return lang or "en"
end

local function isPreview(frame)
	local ok, revid = pcall(function()
		return frame:preprocess("{{REVISIONID}}")
	end)
	return ok and trim(revid) == ""
end

local dataCache

local function dataTable(name)
	if dataCache == nil then
		local ok, data = pcall(mw.loadData, config.dataPage)
		dataCache = (ok and type(data) == "table") and data or false
	end
	local value = dataCache and dataCache[name]
	return type(value) == "table" and value or {}
end

local function labelOf(entry, lang)
	local labels = type(entry) == "table" and entry.labels
	if type(labels) ~= "table" then
		return nil
	end
	return labels[lang] or labels.en
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

local function problemBox(problems, lang)
	local lines = {}
	for _, problem in ipairs(problems) do
		local params = {}
		for i = 2, #problem do
			params[#params + 1] = escape(problem[i])
		end
		lines[#lines + 1] = "<li>" .. msg(lang, problem[1], unpack(params)) .. "</li>"
	end
	return "<div class=\"letsconnect-problems\" style=\"" .. config.problemStyle .. "\"><strong>"
		.. msg(lang, "problems-heading") .. "</strong><ul>" .. table.concat(lines)
		.. "</ul><small>" .. msg(lang, "problems-note") .. "</small></div>"
end

local function wrap(frame, kind, build)
	local lang = readerLanguage(frame)
	local problems = {}
	local args = readArgs(frame, kind, problems)
	local preview = isPreview(frame)
	local body = build(args, lang, problems, preview)
	local out = "<div class=\"letsconnect-" .. kind .. "\" lang=\"" .. lang .. "\" dir=\""
		.. (config.rtl[lang] and "rtl" or "ltr") .. "\">"
	if preview and #problems > 0 then
		out = out .. problemBox(problems, lang)
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
		return "<div style=\"" .. config.problemStyle .. "\">" .. msg(lang, "error") .. "</div>"
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
