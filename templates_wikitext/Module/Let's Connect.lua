--[[
Module:Let's Connect

Profile cards and multilingual labels for the Let's Connect skills directory.

The list of skills, areas and regions is NOT in this page: it lives in
Module:Let's Connect/data, which the Let's Connect bot generates from its
configuration (config/skills.yaml and config/regions.yaml) on every deploy.
Do not edit that page by hand.

Entry points (see Module:Let's Connect/doc):
  profile   {{Let's Connect/Profile|...}}          the profile card
  skill     {{Let's Connect/Skill|id}}             a skill's label
  region    {{Let's Connect/Region|id}}            a region's label
  area      {{Let's Connect/Area|id}}              a skill area's or thematic area's label
  list      {{#invoke:Let's Connect|list|skills}}  a table of skills (or regions, areas)
  message   {{#invoke:Let's Connect|message|key}}  one interface message
  marker    {{Let's Connect/Start|name}}, {{Let's Connect/End|name}}

Everything is shown in the reader's interface language ({{int:lang}}) when it
is one of en, es, fr, pt, ar; otherwise in the wiki's language or English.
No input can make this module raise a script error: every entry point is
wrapped in pcall and falls back to plain, escaped text.
]]

local p = {}

-- Settings ------------------------------------------------------------------------------------

local config = {
	dataPage = "Module:Let's Connect/data",
	-- Tracking categories (without "Category:"). Added on saved pages only.
	profileCategory = "Let's Connect profiles",
	problemCategory = "Let's Connect profiles with problems",
	-- Profile pages named <prefix><user name> belong to that user.
	directoryPrefix = "Grants:Knowledge Sharing/Connect/Directory/",
	-- Pages in these namespaces belong to the user in their root title (User, User talk).
	ownerNamespaces = { [2] = true, [3] = true },
	-- Never categorise pages in these namespaces (Template, Module and their talk pages),
	-- so the documentation's example does not count as a profile.
	noCategoryNamespaces = { [10] = true, [11] = true, [828] = true, [829] = true },
	languages = { "en", "es", "fr", "pt", "ar" },
	rtl = { ar = true },
	defaultCapacity = 1,
	maxCapacity = 4,
	formats = { "1:1", "group", "clinic" },
	boxStyle = "border:1px solid #a2a9b1;border-radius:2px;background:#f8f9fa;color:#202122;"
		.. "padding:0.6em 1em;margin:0.5em 0 1em;max-width:48em;",
	problemStyle = "border:1px solid #d33;border-radius:2px;background:#fee7e6;color:#202122;"
		.. "padding:0.5em 1em;margin:0.5em 0;max-width:48em;",
}

-- Parameters of {{Let's Connect/Profile}}, in display order, and the other names accepted.
local PARAMS = {
	"user", "consent", "share", "learn", "languages", "region", "country",
	"affiliation", "areas", "capacity", "formats", "notify", "lang", "bio", "nocat",
}
local PARAM_ALIASES = {
	shares = "share",
	learns = "learn",
	language = "languages",
	format = "formats",
	area = "areas",
}

local YES = {
	["yes"] = true, ["y"] = true, ["true"] = true, ["1"] = true,
	["sí"] = true, ["si"] = true, ["oui"] = true, ["sim"] = true, ["نعم"] = true,
}
local NO = {
	["no"] = true, ["n"] = true, ["false"] = true, ["0"] = true,
	["non"] = true, ["não"] = true, ["nao"] = true, ["لا"] = true,
}

-- Ways people write the three formats (after normalisation) -> the format id.
local FORMAT_WORDS = {
	["1:1"] = "1:1", ["1 1"] = "1:1", ["1on1"] = "1:1", ["1 on 1"] = "1:1", ["1 to 1"] = "1:1",
	["1x1"] = "1:1", ["one to one"] = "1:1", ["one on one"] = "1:1", ["coffee"] = "1:1",
	["coffees"] = "1:1", ["tea"] = "1:1", ["teas"] = "1:1",
	["group"] = "group", ["groups"] = "group", ["small group"] = "group",
	["small groups"] = "group", ["cluster"] = "group", ["grupo"] = "group",
	["grupos"] = "group", ["groupe"] = "group", ["groupes"] = "group", ["مجموعة"] = "group",
	["clinic"] = "clinic", ["clinics"] = "clinic", ["learning clinic"] = "clinic",
	["learning clinics"] = "clinic", ["clínica"] = "clinic", ["clinica"] = "clinic",
	["clinique"] = "clinic", ["عيادة"] = "clinic",
}

-- Interface messages ---------------------------------------------------------------------------
-- $1, $2 are replaced by (already escaped) values. English is the fallback for missing keys.

local i18n = {}

i18n.en = {
	["card-heading"] = "Let's Connect profile",
	["talk"] = "talk",
	["share"] = "Shares",
	["learn"] = "Wants to learn",
	["areas"] = "Thematic areas",
	["languages"] = "Languages",
	["region"] = "Region",
	["country"] = "Country",
	["affiliation"] = "Affiliation",
	["capacity"] = "Connections at a time",
	["formats"] = "Open to",
	["notify"] = "Match notices",
	["lang"] = "Language for messages",
	["bio"] = "About",
	["yes"] = "yes",
	["no"] = "no",
	["none"] = "—",
	["format-1:1"] = "1:1 conversations",
	["format-group"] = "small groups",
	["format-clinic"] = "learning clinics",
	["not-listed"] = "This profile is not listed in the public skills directory (consent is not yes).",
	["unknown-value"] = "not in the list",
	["problems-heading"] = "Please check your profile before saving:",
	["problems-note"] = "This box is shown only in preview.",
	["p-consent-missing"] = "consent is empty. Write consent = yes to appear in the public skills "
		.. "directory, or consent = no to stay out of it.",
	["p-consent-invalid"] = "consent should be yes or no, not “$1”.",
	["p-notify-invalid"] = "notify should be yes or no, not “$1”.",
	["p-skill-unknown"] = "“$1” (in $2) is not in the list of skills. Use a skill name or id from "
		.. "the list, or ask on the talk page to add it.",
	["p-skill-ambiguous"] = "“$1” (in $2) could mean more than one skill: $3. Write the one you mean.",
	["p-region-ambiguous"] = "“$1” could mean more than one region: $2. Write the one you mean.",
	["p-area-unknown"] = "“$1” (in areas) is not in the list of thematic areas.",
	["p-region-unknown"] = "“$1” is not a region in the list.",
	["p-capacity-nan"] = "capacity should be a whole number from 1 to $2, not “$1”.",
	["p-capacity-range"] = "capacity should be from 1 to $2 (you wrote $1).",
	["p-format-unknown"] = "“$1” is not a format. Use 1:1, group or clinic.",
	["p-languages-missing"] = "languages is empty. List the languages you can talk in, "
		.. "for example: en, es.",
	["p-skills-missing"] = "share and learn are both empty. Add at least one skill you can share "
		.. "or want to learn.",
	["p-user-missing"] = "It is not clear whose profile this is. Add user = your user name.",
	["p-user-invalid"] = "“$1” cannot be a user name.",
	["p-param-unknown"] = "“$1” is not a parameter of this template; check its spelling.",
	["p-param-positional"] = "“$1” has no parameter name; write it as name = value.",
	["p-data-missing"] = "The list of skills (Module:Let's Connect/data) could not be read, so "
		.. "skills and regions cannot be checked.",
	["error-card"] = "This profile could not be shown because of an error in Module:Let's Connect. "
		.. "Please tell the Let's Connect working group.",
	["list-area"] = "Area",
	["list-skill"] = "Skill",
	["list-id"] = "Id",
	["list-aliases"] = "Also accepted",
	["list-region"] = "Region",
	["list-countries"] = "Countries",
	["list-thematic"] = "Thematic area",
	["list-empty"] = "The list is empty.",
	["addprofile-intro"] = "Share what you know and find people to learn from. Type your user "
		.. "name and press the button: a page with the profile form opens. Fill it in and save.",
	["addprofile-button"] = "Add your profile",
	["addprofile-placeholder"] = "Your user name",
	["start-note"] = "The section below is updated by the Let's Connect bot; changes made inside "
		.. "it will be replaced. Edit the pages it is made from instead.",
}

i18n.es = {
	["card-heading"] = "Perfil de Let's Connect",
	["talk"] = "discusión",
	["share"] = "Comparte",
	["learn"] = "Quiere aprender",
	["areas"] = "Áreas temáticas",
	["languages"] = "Idiomas",
	["region"] = "Región",
	["country"] = "País",
	["affiliation"] = "Afiliación",
	["capacity"] = "Conexiones a la vez",
	["formats"] = "Disponible para",
	["notify"] = "Avisos de conexión",
	["lang"] = "Idioma de los mensajes",
	["bio"] = "Acerca de",
	["yes"] = "sí",
	["no"] = "no",
	["format-1:1"] = "conversaciones 1:1",
	["format-group"] = "grupos pequeños",
	["format-clinic"] = "clínicas de aprendizaje",
	["not-listed"] = "Este perfil no aparece en el directorio público de habilidades "
		.. "(consent no es yes).",
	["unknown-value"] = "no está en la lista",
	["problems-heading"] = "Revisa tu perfil antes de guardar:",
	["problems-note"] = "Este recuadro solo se muestra en la previsualización.",
	["p-consent-missing"] = "consent está vacío. Escribe consent = yes para aparecer en el "
		.. "directorio público de habilidades, o consent = no para no aparecer.",
	["p-consent-invalid"] = "consent debe ser yes o no, no «$1».",
	["p-notify-invalid"] = "notify debe ser yes o no, no «$1».",
	["p-skill-unknown"] = "«$1» (en $2) no está en la lista de habilidades. Usa un nombre o id de "
		.. "la lista, o pide en la página de discusión que se añada.",
	["p-skill-ambiguous"] = "«$1» (en $2) puede referirse a más de una habilidad: $3. Escribe la "
		.. "que quieres decir.",
	["p-region-ambiguous"] = "«$1» puede referirse a más de una región: $2. Escribe la que quieres "
		.. "decir.",
	["p-area-unknown"] = "«$1» (en areas) no está en la lista de áreas temáticas.",
	["p-region-unknown"] = "«$1» no es una región de la lista.",
	["p-capacity-nan"] = "capacity debe ser un número entero de 1 a $2, no «$1».",
	["p-capacity-range"] = "capacity debe estar entre 1 y $2 (escribiste $1).",
	["p-format-unknown"] = "«$1» no es un formato. Usa 1:1, group o clinic.",
	["p-languages-missing"] = "languages está vacío. Indica los idiomas en los que puedes "
		.. "conversar, por ejemplo: en, es.",
	["p-skills-missing"] = "share y learn están vacíos. Añade al menos una habilidad que puedas "
		.. "compartir o quieras aprender.",
	["p-user-missing"] = "No está claro de quién es este perfil. Añade user = tu nombre de usuario.",
	["p-user-invalid"] = "«$1» no puede ser un nombre de usuario.",
	["p-param-unknown"] = "«$1» no es un parámetro de esta plantilla; revisa cómo está escrito.",
	["p-param-positional"] = "«$1» no tiene nombre de parámetro; escríbelo como nombre = valor.",
	["p-data-missing"] = "No se pudo leer la lista de habilidades (Module:Let's Connect/data), "
		.. "así que no se pueden comprobar las habilidades ni las regiones.",
	["error-card"] = "Este perfil no se pudo mostrar por un error en Module:Let's Connect. "
		.. "Avisa al grupo de trabajo de Let's Connect.",
	["list-area"] = "Área",
	["list-skill"] = "Habilidad",
	["list-id"] = "Id",
	["list-aliases"] = "También se acepta",
	["list-region"] = "Región",
	["list-countries"] = "Países",
	["list-thematic"] = "Área temática",
	["list-empty"] = "La lista está vacía.",
	["addprofile-intro"] = "Comparte lo que sabes y encuentra personas de quienes aprender. "
		.. "Escribe tu nombre de usuario y pulsa el botón: se abrirá una página con el formulario "
		.. "del perfil. Complétalo y guarda.",
	["addprofile-button"] = "Añade tu perfil",
	["addprofile-placeholder"] = "Tu nombre de usuario",
	["start-note"] = "El bot de Let's Connect actualiza la sección siguiente; los cambios hechos "
		.. "dentro de ella se reemplazarán. Edita en su lugar las páginas de las que procede.",
}

i18n.fr = {
	["card-heading"] = "Profil Let's Connect",
	["talk"] = "discussion",
	["share"] = "Partage",
	["learn"] = "Souhaite apprendre",
	["areas"] = "Domaines thématiques",
	["languages"] = "Langues",
	["region"] = "Région",
	["country"] = "Pays",
	["affiliation"] = "Affiliation",
	["capacity"] = "Connexions simultanées",
	["formats"] = "Disponible pour",
	["notify"] = "Avis de mise en relation",
	["lang"] = "Langue des messages",
	["bio"] = "À propos",
	["yes"] = "oui",
	["no"] = "non",
	["format-1:1"] = "conversations 1:1",
	["format-group"] = "petits groupes",
	["format-clinic"] = "cliniques d'apprentissage",
	["not-listed"] = "Ce profil n'apparaît pas dans l'annuaire public des compétences "
		.. "(consent n'est pas yes).",
	["unknown-value"] = "absent de la liste",
	["problems-heading"] = "Vérifiez votre profil avant de publier :",
	["problems-note"] = "Cet encadré n'apparaît que dans l'aperçu.",
	["p-consent-missing"] = "consent est vide. Écrivez consent = yes pour apparaître dans "
		.. "l'annuaire public des compétences, ou consent = no pour ne pas y figurer.",
	["p-consent-invalid"] = "consent doit valoir yes ou no, et non « $1 ».",
	["p-notify-invalid"] = "notify doit valoir yes ou no, et non « $1 ».",
	["p-skill-unknown"] = "« $1 » (dans $2) ne figure pas dans la liste des compétences. Utilisez "
		.. "un nom ou un identifiant de la liste, ou demandez son ajout en page de discussion.",
	["p-skill-ambiguous"] = "« $1 » (dans $2) peut désigner plusieurs compétences : $3. Écrivez "
		.. "celle que vous voulez dire.",
	["p-region-ambiguous"] = "« $1 » peut désigner plusieurs régions : $2. Écrivez celle que vous "
		.. "voulez dire.",
	["p-area-unknown"] = "« $1 » (dans areas) ne figure pas dans la liste des domaines thématiques.",
	["p-region-unknown"] = "« $1 » n'est pas une région de la liste.",
	["p-capacity-nan"] = "capacity doit être un nombre entier de 1 à $2, et non « $1 ».",
	["p-capacity-range"] = "capacity doit être compris entre 1 et $2 (vous avez écrit $1).",
	["p-format-unknown"] = "« $1 » n'est pas un format. Utilisez 1:1, group ou clinic.",
	["p-languages-missing"] = "languages est vide. Indiquez les langues dans lesquelles vous "
		.. "pouvez échanger, par exemple : en, fr.",
	["p-skills-missing"] = "share et learn sont vides. Ajoutez au moins une compétence que vous "
		.. "pouvez partager ou souhaitez apprendre.",
	["p-user-missing"] = "On ne sait pas à qui appartient ce profil. Ajoutez user = votre nom "
		.. "d'utilisateur.",
	["p-user-invalid"] = "« $1 » ne peut pas être un nom d'utilisateur.",
	["p-param-unknown"] = "« $1 » n'est pas un paramètre de ce modèle ; vérifiez l'orthographe.",
	["p-param-positional"] = "« $1 » n'a pas de nom de paramètre ; écrivez-le sous la forme "
		.. "nom = valeur.",
	["p-data-missing"] = "La liste des compétences (Module:Let's Connect/data) n'a pas pu être "
		.. "lue ; les compétences et les régions ne peuvent pas être vérifiées.",
	["error-card"] = "Ce profil n'a pas pu être affiché à cause d'une erreur dans "
		.. "Module:Let's Connect. Merci de prévenir le groupe de travail Let's Connect.",
	["list-area"] = "Domaine",
	["list-skill"] = "Compétence",
	["list-id"] = "Identifiant",
	["list-aliases"] = "Également accepté",
	["list-region"] = "Région",
	["list-countries"] = "Pays",
	["list-thematic"] = "Domaine thématique",
	["list-empty"] = "La liste est vide.",
	["addprofile-intro"] = "Partagez ce que vous savez et trouvez des personnes auprès de qui "
		.. "apprendre. Saisissez votre nom d'utilisateur et cliquez sur le bouton : une page avec "
		.. "le formulaire du profil s'ouvre. Remplissez-le et publiez.",
	["addprofile-button"] = "Ajouter votre profil",
	["addprofile-placeholder"] = "Votre nom d'utilisateur",
	["start-note"] = "La section suivante est mise à jour par le bot Let's Connect ; les "
		.. "modifications faites à l'intérieur seront remplacées. Modifiez plutôt les pages d'où "
		.. "elle provient.",
}

i18n.pt = {
	["card-heading"] = "Perfil no Let's Connect",
	["talk"] = "discussão",
	["share"] = "Compartilha",
	["learn"] = "Quer aprender",
	["areas"] = "Áreas temáticas",
	["languages"] = "Idiomas",
	["region"] = "Região",
	["country"] = "País",
	["affiliation"] = "Afiliação",
	["capacity"] = "Conexões ao mesmo tempo",
	["formats"] = "Disponível para",
	["notify"] = "Avisos de conexão",
	["lang"] = "Idioma das mensagens",
	["bio"] = "Sobre",
	["yes"] = "sim",
	["no"] = "não",
	["format-1:1"] = "conversas 1:1",
	["format-group"] = "pequenos grupos",
	["format-clinic"] = "clínicas de aprendizagem",
	["not-listed"] = "Este perfil não aparece no diretório público de habilidades "
		.. "(consent não é yes).",
	["unknown-value"] = "não está na lista",
	["problems-heading"] = "Verifique seu perfil antes de publicar:",
	["problems-note"] = "Esta caixa só aparece na pré-visualização.",
	["p-consent-missing"] = "consent está vazio. Escreva consent = yes para aparecer no "
		.. "diretório público de habilidades, ou consent = no para ficar de fora.",
	["p-consent-invalid"] = "consent deve ser yes ou no, não “$1”.",
	["p-notify-invalid"] = "notify deve ser yes ou no, não “$1”.",
	["p-skill-unknown"] = "“$1” (em $2) não está na lista de habilidades. Use um nome ou id da "
		.. "lista, ou peça na página de discussão para incluí-lo.",
	["p-skill-ambiguous"] = "“$1” (em $2) pode indicar mais de uma habilidade: $3. Escreva a que "
		.. "você quer dizer.",
	["p-region-ambiguous"] = "“$1” pode indicar mais de uma região: $2. Escreva a que você quer "
		.. "dizer.",
	["p-area-unknown"] = "“$1” (em areas) não está na lista de áreas temáticas.",
	["p-region-unknown"] = "“$1” não é uma região da lista.",
	["p-capacity-nan"] = "capacity deve ser um número inteiro de 1 a $2, não “$1”.",
	["p-capacity-range"] = "capacity deve estar entre 1 e $2 (você escreveu $1).",
	["p-format-unknown"] = "“$1” não é um formato. Use 1:1, group ou clinic.",
	["p-languages-missing"] = "languages está vazio. Liste os idiomas em que você pode "
		.. "conversar, por exemplo: en, pt.",
	["p-skills-missing"] = "share e learn estão vazios. Adicione pelo menos uma habilidade que "
		.. "você pode compartilhar ou quer aprender.",
	["p-user-missing"] = "Não está claro de quem é este perfil. Adicione user = seu nome de "
		.. "usuário.",
	["p-user-invalid"] = "“$1” não pode ser um nome de usuário.",
	["p-param-unknown"] = "“$1” não é um parâmetro desta predefinição; verifique a grafia.",
	["p-param-positional"] = "“$1” não tem nome de parâmetro; escreva no formato nome = valor.",
	["p-data-missing"] = "Não foi possível ler a lista de habilidades (Module:Let's Connect/data), "
		.. "então as habilidades e regiões não podem ser verificadas.",
	["error-card"] = "Não foi possível mostrar este perfil por causa de um erro em "
		.. "Module:Let's Connect. Avise o grupo de trabalho do Let's Connect.",
	["list-area"] = "Área",
	["list-skill"] = "Habilidade",
	["list-id"] = "Id",
	["list-aliases"] = "Também aceito",
	["list-region"] = "Região",
	["list-countries"] = "Países",
	["list-thematic"] = "Área temática",
	["list-empty"] = "A lista está vazia.",
	["addprofile-intro"] = "Compartilhe o que você sabe e encontre pessoas com quem aprender. "
		.. "Digite seu nome de usuário e clique no botão: uma página com o formulário do perfil "
		.. "será aberta. Preencha e salve.",
	["addprofile-button"] = "Adicione seu perfil",
	["addprofile-placeholder"] = "Seu nome de usuário",
	["start-note"] = "A seção abaixo é atualizada pelo robô do Let's Connect; alterações feitas "
		.. "dentro dela serão substituídas. Edite as páginas de onde ela vem em vez disso.",
}

i18n.ar = {
	["card-heading"] = "ملف Let's Connect الشخصي",
	["talk"] = "نقاش",
	["share"] = "يشارك",
	["learn"] = "يرغب في تعلم",
	["areas"] = "المجالات المواضيعية",
	["languages"] = "اللغات",
	["region"] = "المنطقة",
	["country"] = "البلد",
	["affiliation"] = "الانتماء",
	["capacity"] = "عدد اللقاءات في آن واحد",
	["formats"] = "متاح لـ",
	["notify"] = "إشعارات المطابقة",
	["lang"] = "لغة الرسائل",
	["bio"] = "نبذة",
	["yes"] = "نعم",
	["no"] = "لا",
	["format-1:1"] = "محادثات فردية 1:1",
	["format-group"] = "مجموعات صغيرة",
	["format-clinic"] = "عيادات التعلم",
	["not-listed"] = "هذا الملف غير مدرج في الدليل العام للمهارات (قيمة consent ليست yes).",
	["unknown-value"] = "غير موجود في القائمة",
	["problems-heading"] = "يرجى مراجعة ملفك قبل الحفظ:",
	["problems-note"] = "يظهر هذا الإطار في المعاينة فقط.",
	["p-consent-missing"] = "الحقل consent فارغ. اكتب consent = yes للظهور في الدليل العام "
		.. "للمهارات، أو consent = no لعدم الظهور فيه.",
	["p-consent-invalid"] = "يجب أن تكون قيمة consent هي yes أو no، وليس «$1».",
	["p-notify-invalid"] = "يجب أن تكون قيمة notify هي yes أو no، وليس «$1».",
	["p-skill-unknown"] = "«$1» (في $2) غير موجودة في قائمة المهارات. استخدم اسمًا أو معرّفًا من "
		.. "القائمة، أو اطلب إضافتها في صفحة النقاش.",
	["p-skill-ambiguous"] = "«$1» (في $2) قد تعني أكثر من مهارة: $3. اكتب المهارة التي تقصدها.",
	["p-region-ambiguous"] = "«$1» قد تعني أكثر من منطقة: $2. اكتب المنطقة التي تقصدها.",
	["p-area-unknown"] = "«$1» (في areas) غير موجود في قائمة المجالات المواضيعية.",
	["p-region-unknown"] = "«$1» ليست منطقة من القائمة.",
	["p-capacity-nan"] = "يجب أن تكون قيمة capacity عددًا صحيحًا من 1 إلى $2، وليس «$1».",
	["p-capacity-range"] = "يجب أن تكون قيمة capacity بين 1 و$2 (كتبت $1).",
	["p-format-unknown"] = "«$1» ليس صيغة معروفة. استخدم 1:1 أو group أو clinic.",
	["p-languages-missing"] = "الحقل languages فارغ. اذكر اللغات التي يمكنك التحدث بها، "
		.. "مثلًا: ar, en.",
	["p-skills-missing"] = "الحقلان share وlearn فارغان. أضف مهارة واحدة على الأقل يمكنك "
		.. "مشاركتها أو ترغب في تعلمها.",
	["p-user-missing"] = "لا يتضح لمن هذا الملف. أضف user = اسم المستخدم الخاص بك.",
	["p-user-invalid"] = "«$1» لا يصلح اسمًا للمستخدم.",
	["p-param-unknown"] = "«$1» ليس وسيطًا في هذا القالب؛ تحقق من كتابته.",
	["p-param-positional"] = "«$1» بلا اسم وسيط؛ اكتبه بالشكل: الاسم = القيمة.",
	["p-data-missing"] = "تعذرت قراءة قائمة المهارات (Module:Let's Connect/data)، لذا لا يمكن "
		.. "التحقق من المهارات والمناطق.",
	["error-card"] = "تعذر عرض هذا الملف بسبب خطأ في Module:Let's Connect. يرجى إبلاغ فريق عمل "
		.. "Let's Connect.",
	["list-area"] = "المجال",
	["list-skill"] = "المهارة",
	["list-id"] = "المعرّف",
	["list-aliases"] = "مقبول أيضًا",
	["list-region"] = "المنطقة",
	["list-countries"] = "البلدان",
	["list-thematic"] = "المجال المواضيعي",
	["list-empty"] = "القائمة فارغة.",
	["addprofile-intro"] = "شارك ما تعرفه وابحث عن أشخاص تتعلم منهم. اكتب اسم المستخدم الخاص بك "
		.. "واضغط على الزر: ستُفتح صفحة فيها نموذج الملف. املأه واحفظه.",
	["addprofile-button"] = "أضف ملفك",
	["addprofile-placeholder"] = "اسم المستخدم الخاص بك",
	["start-note"] = "يحدّث بوت Let's Connect القسم التالي، وستُستبدل التعديلات التي تُجرى "
		.. "داخله. عدّل الصفحات التي يُستمد منها بدلًا من ذلك.",
}

-- Small helpers -------------------------------------------------------------------------------

local function trim(s)
	if type(s) ~= "string" then
		return ""
	end
	return mw.text.trim(s)
end

-- Text from people or from the data page, made inert: one line, no markup.
local function escape(s)
	local text = tostring(s or ""):gsub("[\r\n]+", " ")
	return mw.text.nowiki(text)
end

-- Drop strip markers (from <ref>, <nowiki>...) that would otherwise show as garbage once escaped.
local function clean(s)
	if type(s) ~= "string" then
		return ""
	end
	local ok, out = pcall(mw.text.killMarkers, s)
	return trim(ok and out or s)
end

local function msg(lang, key, ...)
	local text = (i18n[lang] and i18n[lang][key]) or i18n.en[key] or key
	local params = { ... }
	return (text:gsub("%$(%d)", function(n)
		return params[tonumber(n)] or ""
	end))
end

local function isSupported(code)
	for _, lang in ipairs(config.languages) do
		if lang == code then
			return true
		end
	end
	return false
end

-- "pt-br" -> "pt", "arz" -> "ar" (through MediaWiki's fallback chain), else nil.
local function supportedLanguage(code)
	code = mw.ustring.lower(trim(code))
	if code == "" or not code:match("^[a-z][a-z0-9%-]*$") then
		return nil
	end
	if isSupported(code) then
		return code
	end
	local base = code:match("^([a-z]+)%-")
	if base and isSupported(base) then
		return base
	end
	local ok, chain = pcall(mw.language.getFallbacksFor, code)
	if ok and type(chain) == "table" then
		for _, fallback in ipairs(chain) do
			if fallback ~= "en" and isSupported(fallback) then
				return fallback
			end
		end
	end
	return nil
end

local readerLang -- cached for the rest of this #invoke

local function readerLanguage(frame)
	if readerLang then
		return readerLang
	end
	local ok, code = pcall(function()
		return frame:preprocess("{{int:lang}}")
	end)
	local lang = ok and supportedLanguage(code)
	if not lang then
		local okContent, content = pcall(function()
			return mw.language.getContentLanguage():getCode()
		end)
		lang = okContent and supportedLanguage(content)
	end
	readerLang = lang or "en"
	return readerLang
end

local function direction(lang)
	return config.rtl[lang] and "rtl" or "ltr"
end

local dataCache

-- The generated taxonomy, or false when the page is missing or broken.
local function loadData()
	if dataCache == nil then
		local ok, data = pcall(mw.loadData, config.dataPage)
		dataCache = (ok and type(data) == "table") and data or false
	end
	return dataCache
end

local function dataTable(name)
	local data = loadData()
	local value = data and data[name]
	return type(value) == "table" and value or {}
end

-- Normalisation: the same steps as normalise_key() in the bot's bot/luadata.py.
local function normalise(s)
	local ok, out = pcall(function()
		local text = mw.ustring.toNFC(s) or s
		text = mw.ustring.lower(text)
		text = text:gsub("\226\128\153", "'"):gsub("\226\128\152", "'"):gsub("\202\188", "'")
		text = mw.ustring.gsub(text, "[%s_%-]+", " ")
		return mw.text.trim(text)
	end)
	return ok and out or ""
end

local markPattern

-- Combining marks to drop when folding (Latin accents, Arabic harakat, Hebrew points...).
local function combiningMarks()
	if not markPattern then
		local c = mw.ustring.char
		local ranges = {
			{ 0x0300, 0x036F }, { 0x0483, 0x0487 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
			{ 0x064B, 0x065F }, { 0x0670, 0x0670 }, { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 },
			{ 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED }, { 0x1AB0, 0x1ABD }, { 0x1DC0, 0x1DFF },
			{ 0x20D0, 0x20DC }, { 0xFE20, 0xFE2F },
		}
		local parts = {}
		for _, range in ipairs(ranges) do
			parts[#parts + 1] = c(range[1]) .. "-" .. c(range[2])
		end
		markPattern = "[" .. table.concat(parts) .. "]"
	end
	return markPattern
end

local function fold(s)
	local ok, out = pcall(function()
		local text = mw.ustring.toNFKD(s) or s
		text = mw.ustring.gsub(text, combiningMarks(), "")
		return mw.ustring.toNFC(text) or text
	end)
	return ok and out or s
end

-- Arabic letters people type interchangeably, and the tatweel (same table as bot/luadata.py).
local ARABIC_FOLD = {
	{ "ى", "ي" }, { "ة", "ه" }, { "ی", "ي" }, { "ک", "ك" }, { "ٱ", "ا" }, { "ـ", "" },
}

-- The forgiving form: like loose_key() in bot/luadata.py.
local function loose(s)
	local ok, out = pcall(function()
		local text = mw.ustring.toNFKD(s) or s
		text = mw.ustring.lower(text)
		text = mw.ustring.gsub(text, combiningMarks(), "")
		text = text:gsub("%p", " ") -- ASCII punctuation and symbols
		text = mw.ustring.gsub(text, "%p", " ") -- other punctuation
		for _, pair in ipairs(ARABIC_FOLD) do
			text = text:gsub(pair[1], pair[2])
		end
		text = mw.ustring.gsub(text, "%s+", " ")
		text = mw.text.trim(text)
		return mw.ustring.toNFC(text) or text
	end)
	return ok and out or ""
end

-- The lookup keys of a typed value, strictest first (same order as key_forms() in Python).
local function keyForms(value)
	local forms = {}
	local function add(key)
		if key ~= "" and key ~= forms[#forms] then
			forms[#forms + 1] = key
		end
	end
	add(normalise(value))
	add(normalise(fold(value)))
	add(loose(value))
	return forms
end

-- A value -> what a table says about it, trying each key form; then without "(qualifier)",
-- as the bot does: "Wikidata (beginner)" is Wikidata.
local function lookUp(tbl, value)
	if type(tbl) ~= "table" or type(value) ~= "string" then
		return nil
	end
	local candidates = { value }
	if value:find("(", 1, true) then
		candidates[2] = value:gsub("%b()", " ")
	end
	for _, candidate in ipairs(candidates) do
		for _, key in ipairs(keyForms(candidate)) do
			local found = tbl[key]
			if found ~= nil then
				return found
			end
		end
	end
	return nil
end

-- What someone typed -> an id in the given lookup table, or nil.
local function resolve(lookup, value)
	local id = lookUp(lookup, value)
	return type(id) == "string" and id or nil
end

local function labelOf(entry, lang)
	local labels = type(entry) == "table" and entry.labels
	if type(labels) ~= "table" then
		return nil
	end
	local label = labels[lang] or labels.en
	return (type(label) == "string" and label ~= "") and label or nil
end

-- Separators besides "," and ";": Arabic comma and semicolon, ideographic and full-width
-- commas and semicolons, bullets. Each becomes "\1" before splitting.
local SEPARATORS = { "،", "؛", "、", "，", "；", "•", "●", "▪", "‣", "◦" }
local OPENERS = { ["("] = true, ["["] = true, ["{"] = true }
local CLOSERS = { [")"] = "(", ["]"] = "[", ["}"] = "{" }

-- Byte positions inside matched bracket pairs: commas there do not split.
local function protectedPositions(line)
	local stack, protected = {}, {}
	for i = 1, #line do
		local ch = line:sub(i, i)
		if OPENERS[ch] then
			stack[#stack + 1] = { ch, i }
		elseif CLOSERS[ch] then
			for depth = #stack, 1, -1 do
				if stack[depth][1] == CLOSERS[ch] then
					for j = stack[depth][2], i do
						protected[j] = true
					end
					for k = #stack, depth, -1 do
						stack[k] = nil
					end
					break
				end
			end
		end
	end
	return protected
end

local function addItem(items, part)
	-- Drop wikitext list markers and leading dashes: "* budget", "- budget", "– budget".
	part = trim(part):gsub("^[%*#:%-]+", "")
	part = trim(part):gsub("^\226\128[\147\148]", "")
	part = trim(part)
	if part ~= "" then
		items[#items + 1] = part
	end
end

-- A list as participants type it -> trimmed items, the way the bot splits it
-- (bot/taxonomy.py split_list): commas, semicolons, newlines, <br>, bullets; commas inside
-- brackets do not split, so "Wikimedia tools (PAWS, Quarry, WDQS)" stays one item.
local function splitList(value)
	local items = {}
	local text = clean(value)
	if text == "" then
		return items
	end
	text = text:gsub("<%s*[bB][rR]%s*/?%s*>", "\n")
	text = text:gsub("%s\194\183%s", "\1"):gsub("%s\227\131\187%s", "\1") -- spaced · and ・
	for _, separator in ipairs(SEPARATORS) do
		text = text:gsub(separator, "\1")
	end
	for line in (text .. "\n"):gmatch("([^\n]*)\n") do
		local protected = protectedPositions(line)
		local start = 1
		for i = 1, #line do
			local ch = line:sub(i, i)
			if (ch == "," or ch == ";" or ch == "\1") and not protected[i] then
				addItem(items, line:sub(start, i - 1))
				start = i + 1
			end
		end
		addItem(items, line:sub(start))
	end
	return items
end

-- true, false, nil (empty) or "invalid".
local function yesNo(value)
	local word = normalise(clean(value))
	if word == "" then
		return nil
	end
	if YES[word] then
		return true
	end
	if NO[word] then
		return false
	end
	return "invalid"
end

-- Arguments --------------------------------------------------------------------------------------

local function copyArgs(source, into)
	local any = false
	if source then
		for key, value in pairs(source) do
			into[key] = value
			any = true
		end
	end
	return any
end

-- The template's arguments when called through a template, else the #invoke's own.
local function getArgs(frame, preferParent)
	local args = {}
	local parent = frame:getParent()
	if preferParent then
		if not (parent and copyArgs(parent.args, args)) then
			copyArgs(frame.args, args)
		end
	elseif not copyArgs(frame.args, args) and parent then
		copyArgs(parent.args, args)
	end
	return args
end

-- Parameter names matched loosely (case, spaces, underscores), aliases mapped to their name.
local function profileArgs(raw, problems)
	local known = {}
	for _, name in ipairs(PARAMS) do
		known[name] = true
	end
	local args, fromAlias = {}, {}
	for key, value in pairs(raw) do
		if type(key) == "number" then
			local text = clean(value)
			if text ~= "" then
				problems[#problems + 1] = { "p-param-positional", text }
			end
		else
			local name = normalise(tostring(key))
			local canonical = known[name] and name or PARAM_ALIASES[name]
			if canonical then
				local text = clean(value)
				if args[canonical] == nil or (fromAlias[canonical] and known[name]) then
					args[canonical] = text
					fromAlias[canonical] = not known[name]
				end
			else
				problems[#problems + 1] = { "p-param-unknown", tostring(key) }
			end
		end
	end
	for _, name in ipairs(PARAMS) do
		args[name] = args[name] or ""
	end
	return args
end

-- Profile card ------------------------------------------------------------------------------------

-- Whose profile a page is: User:X/... -> X, <directoryPrefix>X[/...] -> X.
local function pageOwner(title)
	if not title then
		return nil
	end
	if config.ownerNamespaces[title.namespace] then
		return title.rootText
	end
	local full = title.prefixedText or ""
	local prefix = config.directoryPrefix
	if full:sub(1, #prefix) == prefix then
		local name = full:sub(#prefix + 1):match("^([^/]+)")
		if name and trim(name) ~= "" then
			return trim(name)
		end
	end
	return nil
end

local function userLink(name, lang)
	local ok, title = pcall(mw.title.new, name, 2)
	if not ok or not title or title.namespace ~= 2 then
		return nil
	end
	local user = title.rootText
	return "[[User:" .. user .. "|" .. escape(user) .. "]] <span style=\"font-size:85%;\">([[User talk:"
		.. user .. "|" .. msg(lang, "talk") .. "]])</span>", user
end

local function unknownItem(value, lang)
	return "<span style=\"color:#72777d;\" title=\"" .. escape(msg(lang, "unknown-value")) .. "\">"
		.. escape(value) .. " (?)</span>"
end

-- Labels of several ids, for "did you mean one of these" messages (escaped later).
local function optionLabels(ids, entries, lang)
	local labels = {}
	for _, id in ipairs(ids) do
		labels[#labels + 1] = labelOf(entries[id], lang) or id
	end
	return table.concat(labels, ", ")
end

-- Skills typed by the participant -> display items, adding a problem for each unknown one.
local function skillItems(value, field, lang, problems, data)
	local items, seen = {}, {}
	local skills = dataTable("skills")
	for _, raw in ipairs(splitList(value)) do
		local id = resolve(dataTable("lookup"), raw)
		if id and skills[id] then
			if not seen[id] then
				seen[id] = true
				items[#items + 1] = escape(labelOf(skills[id], lang) or id)
			end
		else
			items[#items + 1] = unknownItem(raw, lang)
			local options = data and lookUp(dataTable("ambiguous"), raw)
			if type(options) == "table" then
				problems[#problems + 1] = {
					"p-skill-ambiguous", raw, field, optionLabels(options, skills, lang),
				}
			elseif data then
				problems[#problems + 1] = { "p-skill-unknown", raw, field }
			end
		end
	end
	return items
end

local function thematicItems(value, lang, problems, data)
	local items, seen = {}, {}
	local thematic = dataTable("thematic")
	for _, raw in ipairs(splitList(value)) do
		local id = resolve(dataTable("thematicLookup"), raw)
		if id and thematic[id] then
			if not seen[id] then
				seen[id] = true
				items[#items + 1] = escape(labelOf(thematic[id], lang) or id)
			end
		else
			items[#items + 1] = unknownItem(raw, lang)
			if data then
				problems[#problems + 1] = { "p-area-unknown", raw }
			end
		end
	end
	return items
end

-- "es", "es-3", "Spanish" -> a display name in the reader's language.
local function languageName(item, lang)
	local code = mw.ustring.lower(item)
	local base, level = code:match("^([a-z][a-z%-]*[a-z])%-([0-5n])$")
	if not base then
		base = code
	end
	local okKnown, known = pcall(mw.language.isKnownLanguageTag, base)
	if okKnown and known and base:match("^[a-z][a-z%-]*$") then
		local okName, name = pcall(mw.language.fetchLanguageName, base, lang)
		if okName and type(name) == "string" and name ~= "" then
			return escape(name) .. (level and (" (" .. escape(level) .. ")") or "")
		end
	end
	return escape(item)
end

local function countryName(value, lang)
	local code = resolve(dataTable("countryLookup"), value)
	if not code then
		return escape(value), nil
	end
	local names = dataTable("countryNames")[code]
	local name = type(names) == "table" and (names[lang] or names.en) or nil
	return escape(name or code), code
end

local function regionName(value, countryCode, lang, problems, data)
	local regions = dataTable("regions")
	if value ~= "" then
		local id = resolve(dataTable("regionLookup"), value)
		if id and regions[id] then
			return escape(labelOf(regions[id], lang) or id)
		end
		local options = data and lookUp(dataTable("regionAmbiguous"), value)
		if type(options) == "table" then
			problems[#problems + 1] = {
				"p-region-ambiguous", value, optionLabels(options, regions, lang),
			}
		elseif data then
			problems[#problems + 1] = { "p-region-unknown", value }
		end
		return unknownItem(value, lang)
	end
	local id = countryCode and dataTable("countries")[countryCode]
	if id and regions[id] then
		return escape(labelOf(regions[id], lang) or id)
	end
	return ""
end

local function capacityValue(value, problems)
	if value == "" then
		return config.defaultCapacity
	end
	local number = value:match("^%d+$") and tonumber(value)
	if not number then
		problems[#problems + 1] = { "p-capacity-nan", value, tostring(config.maxCapacity) }
		return config.defaultCapacity
	end
	if number < 1 or number > config.maxCapacity then
		problems[#problems + 1] = { "p-capacity-range", value, tostring(config.maxCapacity) }
		return math.max(1, math.min(number, config.maxCapacity))
	end
	return number
end

local function formatItems(value, lang, problems)
	local items, seen = {}, {}
	local given = splitList(value)
	if #given == 0 then
		given = config.formats
	end
	for _, raw in ipairs(given) do
		local id = FORMAT_WORDS[normalise(raw)] or FORMAT_WORDS[normalise(fold(raw))]
		if id then
			if not seen[id] then
				seen[id] = true
				items[#items + 1] = msg(lang, "format-" .. id)
			end
		else
			problems[#problems + 1] = { "p-format-unknown", raw }
			items[#items + 1] = unknownItem(raw, lang)
		end
	end
	return items
end

local function row(label, value)
	return "<tr><th scope=\"row\" style=\"text-align:start;vertical-align:top;font-weight:bold;"
		.. "padding:0.15em 1em 0.15em 0;\">" .. label .. "</th><td style=\"padding:0.15em 0;\">"
		.. value .. "</td></tr>"
end

local function joinItems(items, lang)
	if #items == 0 then
		return msg(lang, "none")
	end
	return table.concat(items, " · ")
end

-- Free text (bio): escaped, line breaks kept.
local function multiline(text)
	local lines = {}
	for line in (text .. "\n"):gmatch("([^\n]*)\n") do
		lines[#lines + 1] = escape(trim(line))
	end
	return table.concat(lines, "<br />")
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

local function isPreview(frame)
	local ok, revid = pcall(function()
		return frame:preprocess("{{REVISIONID}}")
	end)
	return ok and trim(revid) == ""
end

local function categories(title, args, sortKey, hasProblems)
	if yesNo(args.nocat) == true then
		return ""
	end
	if title and config.noCategoryNamespaces[title.namespace] then
		return ""
	end
	local key = sortKey and ("|" .. sortKey) or ""
	local out = "[[Category:" .. config.profileCategory .. key .. "]]"
	if hasProblems then
		out = out .. "[[Category:" .. config.problemCategory .. key .. "]]"
	end
	return out
end

-- Check the arguments, collect problems and build the card's rows.
local function buildCard(frame, args, lang, title, problems)
	local data = loadData()
	if not data then
		problems[#problems + 1] = { "p-data-missing" }
	end
	local rows = {}
	local function add(key, value)
		if value ~= "" then
			rows[#rows + 1] = row(msg(lang, key), value)
		end
	end

	local heading, userName
	local user = args.user ~= "" and args.user or pageOwner(title)
	if user and user ~= "" then
		heading, userName = userLink(user, lang)
		if not heading then
			problems[#problems + 1] = { "p-user-invalid", user }
			heading = escape(user)
		end
	else
		problems[#problems + 1] = { "p-user-missing" }
		heading = msg(lang, "none")
	end

	local consent = yesNo(args.consent)
	if consent == nil then
		problems[#problems + 1] = { "p-consent-missing" }
	elseif consent == "invalid" then
		problems[#problems + 1] = { "p-consent-invalid", args.consent }
	end

	local share = skillItems(args.share, "share", lang, problems, data)
	local learn = skillItems(args.learn, "learn", lang, problems, data)
	if #share == 0 and #learn == 0 then
		problems[#problems + 1] = { "p-skills-missing" }
	end
	rows[#rows + 1] = row(msg(lang, "share"), joinItems(share, lang))
	rows[#rows + 1] = row(msg(lang, "learn"), joinItems(learn, lang))
	add("areas", table.concat(thematicItems(args.areas, lang, problems, data), " · "))

	local languages = {}
	for _, item in ipairs(splitList(args.languages)) do
		languages[#languages + 1] = languageName(item, lang)
	end
	if #languages == 0 then
		problems[#problems + 1] = { "p-languages-missing" }
	end
	rows[#rows + 1] = row(msg(lang, "languages"), joinItems(languages, lang))

	local country, countryCode = "", nil
	if args.country ~= "" then
		country, countryCode = countryName(args.country, lang)
	end
	add("region", regionName(args.region, countryCode, lang, problems, data))
	add("country", country)
	add("affiliation", escape(args.affiliation))
	add("capacity", tostring(capacityValue(args.capacity, problems)))
	add("formats", joinItems(formatItems(args.formats, lang, problems), lang))

	local notify = yesNo(args.notify)
	if notify == "invalid" then
		problems[#problems + 1] = { "p-notify-invalid", args.notify }
	end
	add("notify", msg(lang, notify == false and "no" or "yes"))
	if args.lang ~= "" then
		add("lang", languageName(args.lang, lang))
	end
	add("bio", multiline(args.bio))

	local parts = {
		"<div style=\"font-size:85%;color:#54595d;\">", msg(lang, "card-heading"), "</div>",
		"<div style=\"font-size:120%;font-weight:bold;margin:0.1em 0 0.4em;\">", heading, "</div>",
	}
	if consent ~= true then
		parts[#parts + 1] = "<div style=\"font-style:italic;margin-bottom:0.4em;\">"
			.. msg(lang, "not-listed") .. "</div>"
	end
	parts[#parts + 1] = "<table style=\"border-collapse:collapse;background:transparent;\">"
		.. table.concat(rows) .. "</table>"
	-- Only a validated user name may become a category sort key.
	return table.concat(parts), userName
end

local function renderProfile(frame)
	local lang = readerLanguage(frame)
	local okTitle, title = pcall(mw.title.getCurrentTitle)
	title = okTitle and title or nil
	local problems = {}
	local args = profileArgs(getArgs(frame, true), problems)
	local card, sortKey = buildCard(frame, args, lang, title, problems)
	local out = {
		"<div class=\"letsconnect-profile\" lang=\"", lang, "\" dir=\"", direction(lang), "\">",
	}
	local preview = isPreview(frame)
	if preview and #problems > 0 then
		out[#out + 1] = problemBox(problems, lang)
	end
	out[#out + 1] = "<div style=\"" .. config.boxStyle .. "\">" .. card .. "</div></div>"
	if not preview then
		out[#out + 1] = categories(title, args, sortKey, #problems > 0)
	end
	return table.concat(out)
end

local function profileFallback(frame, err)
	local lang = "en"
	pcall(function()
		lang = readerLanguage(frame)
	end)
	local out = "<div class=\"letsconnect-profile\" style=\"" .. config.problemStyle .. "\">"
		.. msg(lang, "error-card")
	if isPreview(frame) then
		out = out .. " <small>(" .. escape(tostring(err)) .. ")</small>"
	end
	out = out .. "</div>"
	local okTitle, title = pcall(mw.title.getCurrentTitle)
	if not (okTitle and title and config.noCategoryNamespaces[title.namespace]) then
		out = out .. "[[Category:" .. config.problemCategory .. "]]"
	end
	return out
end

function p.profile(frame)
	local ok, result = pcall(renderProfile, frame)
	if ok then
		return result
	end
	local okFallback, fallback = pcall(profileFallback, frame, result)
	return okFallback and fallback or ""
end

-- Labels ------------------------------------------------------------------------------------------

-- {{X|value|lang=xx}}: the label of an entry of the given table in the reader's language.
local function labelFor(frame, tableName, lookupName)
	local args = getArgs(frame, false)
	local value = clean(args[1])
	if value == "" then
		return ""
	end
	local lang = supportedLanguage(args.lang) or readerLanguage(frame)
	local entries = dataTable(tableName)
	local id = entries[value] and value or resolve(dataTable(lookupName), value)
	local entry = id and entries[id]
	if entry then
		return escape(labelOf(entry, lang) or id)
	end
	return escape(value)
end

local function safeLabel(tableName, lookupName)
	return function(frame)
		local ok, result = pcall(labelFor, frame, tableName, lookupName)
		if ok then
			return result
		end
		local okArg, raw = pcall(function()
			return escape(clean(frame.args[1]))
		end)
		return okArg and raw or ""
	end
end

p.skill = safeLabel("skills", "lookup")
p.region = safeLabel("regions", "regionLookup")

-- Skill areas first (funding, ...), then thematic areas (education, ...).
function p.area(frame)
	local ok, result = pcall(function()
		local args = getArgs(frame, false)
		local value = clean(args[1])
		if value == "" then
			return ""
		end
		local lang = supportedLanguage(args.lang) or readerLanguage(frame)
		for _, names in ipairs({ { "areas", "areaLookup" }, { "thematic", "thematicLookup" } }) do
			local entries = dataTable(names[1])
			local id = entries[value] and value or resolve(dataTable(names[2]), value)
			if id and entries[id] then
				return escape(labelOf(entries[id], lang) or id)
			end
		end
		return escape(value)
	end)
	return ok and result or ""
end

-- Lists for documentation pages ---------------------------------------------------------------

local function tableStart(headers)
	local cells = {}
	for _, header in ipairs(headers) do
		cells[#cells + 1] = "<th>" .. header .. "</th>"
	end
	return "<table class=\"wikitable sortable\"><tr>" .. table.concat(cells) .. "</tr>"
end

local function tableRow(cells)
	return "<tr><td>" .. table.concat(cells, "</td><td>") .. "</td></tr>"
end

local function escapedList(list, separator)
	local out = {}
	if type(list) == "table" then
		for _, item in ipairs(list) do
			out[#out + 1] = escape(item)
		end
	end
	return table.concat(out, separator or ", ")
end

local function skillList(lang)
	local rows = {}
	local areas, skills = dataTable("areas"), dataTable("skills")
	for _, areaId in ipairs(dataTable("areaOrder")) do
		local area = areas[areaId]
		local areaLabel = escape(labelOf(area, lang) or areaId)
		for _, skillId in ipairs(type(area) == "table" and area.skills or {}) do
			local skill = skills[skillId]
			rows[#rows + 1] = tableRow({
				areaLabel,
				escape(labelOf(skill, lang) or skillId),
				"<code>" .. escape(skillId) .. "</code>",
				escapedList(type(skill) == "table" and skill.aliases),
			})
		end
	end
	return { msg(lang, "list-area"), msg(lang, "list-skill"), msg(lang, "list-id"),
		msg(lang, "list-aliases") }, rows
end

local function regionList(lang)
	local rows = {}
	local regions, names = dataTable("regions"), dataTable("countryNames")
	for _, regionId in ipairs(dataTable("regionOrder")) do
		local region = regions[regionId]
		local countries = {}
		for _, code in ipairs(type(region) == "table" and region.countries or {}) do
			local n = names[code]
			local name = type(n) == "table" and (n[lang] or n.en) or nil
			countries[#countries + 1] = escape(name and (name .. " (" .. code .. ")") or code)
		end
		rows[#rows + 1] = tableRow({
			escape(labelOf(region, lang) or regionId),
			"<code>" .. escape(regionId) .. "</code>",
			table.concat(countries, ", "),
		})
	end
	return { msg(lang, "list-region"), msg(lang, "list-id"), msg(lang, "list-countries") }, rows
end

local function thematicList(lang)
	local rows = {}
	local thematic = dataTable("thematic")
	for _, id in ipairs(dataTable("thematicOrder")) do
		local entry = thematic[id]
		rows[#rows + 1] = tableRow({
			escape(labelOf(entry, lang) or id),
			"<code>" .. escape(id) .. "</code>",
			escapedList(type(entry) == "table" and entry.aliases),
		})
	end
	return { msg(lang, "list-thematic"), msg(lang, "list-id"), msg(lang, "list-aliases") }, rows
end

-- {{#invoke:Let's Connect|list|skills}} (or regions, areas): the valid values, for doc pages.
function p.list(frame)
	local ok, result = pcall(function()
		local args = getArgs(frame, false)
		local lang = supportedLanguage(args.lang) or readerLanguage(frame)
		local kind = normalise(clean(args[1]))
		local builders = { skills = skillList, regions = regionList, areas = thematicList }
		local builder = builders[kind] or skillList
		local headers, rows = builder(lang)
		if #rows == 0 then
			return "<p><em>" .. msg(lang, "list-empty") .. "</em></p>"
		end
		return "<div lang=\"" .. lang .. "\" dir=\"" .. direction(lang) .. "\">"
			.. tableStart(headers) .. table.concat(rows) .. "</table></div>"
	end)
	return ok and result or ""
end

-- Messages and markers ------------------------------------------------------------------------

-- {{#invoke:Let's Connect|message|key|$1|$2}}: one interface message in the reader's language.
function p.message(frame)
	local ok, result = pcall(function()
		local args = getArgs(frame, false)
		local key = trim(args[1])
		if i18n.en[key] == nil then
			return ""
		end
		local lang = supportedLanguage(args.lang) or readerLanguage(frame)
		local params = {}
		local i = 2
		while args[i] ~= nil do
			params[#params + 1] = escape(clean(args[i]))
			i = i + 1
		end
		return msg(lang, key, unpack(params))
	end)
	return ok and result or ""
end

local function anchor(kind, section)
	local safe = clean(section):gsub("[^%w%-%.]", "_")
	return "letsconnect-" .. kind .. "-" .. safe
end

-- {{#invoke:Let's Connect|marker|start|NAME}} / |end|NAME: the bot's section markers.
function p.marker(frame)
	local ok, result = pcall(function()
		local args = getArgs(frame, false)
		local kind = trim(args[1]) == "end" and "end" or "start"
		local id = anchor(kind, args[2] or "")
		if kind == "end" then
			return "<div class=\"letsconnect-end\" id=\"" .. id .. "\"></div>"
		end
		local lang = readerLanguage(frame)
		return "<div class=\"letsconnect-start noprint\" id=\"" .. id .. "\" lang=\"" .. lang
			.. "\" dir=\"" .. direction(lang) .. "\" style=\"font-size:85%;font-style:italic;"
			.. "color:#54595d;margin:0.2em 0;\">" .. msg(lang, "start-note") .. "</div>"
	end)
	return ok and result or ""
end

-- For tests and other modules: the pure helpers, so they can be checked without a wiki page.
p._normalise = normalise
p._fold = fold
p._resolve = resolve
p._loose = loose
p._keyForms = keyForms
p._splitList = splitList
p._yesNo = yesNo

return p
