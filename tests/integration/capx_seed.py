"""Run inside the real CapX backend (``scripts/capx-server run``): the capacities, the
reference lists and the profiles of tests/integration/test_capx.py, through Django's ORM.

The capacities are an excerpt of CapX's tree as of October 2025 (their codes, names and
parents); every user has an e-mail address, which must never reach the wiki.
"""

from orgs.models import Organization, OrganizationName
from skills.models import Skill
from users.models import CustomUser, Language, LanguageProficiency, Territory

TREE = [  # code, parent
    (50, None), (124, 50), (139, 124), (106, None), (109, 106), (118, 109),
    (10, None), (11, 10), (12, 11), (65, None), (86, 65), (68, 65), (36, None), (47, 36),
]
for code, parent in TREE:
    Skill.objects.update_or_create(
        id=code, defaults={"skill_wikidata_item": f"Q{900000 + code}",
                           "skill_type_id": parent})

languages = {}
for code, name in [("pt", "Portuguese"), ("es", "Spanish"), ("fr", "French"),
                   ("de", "German")]:
    languages[code], _ = Language.objects.get_or_create(
        language_code=code, defaults={"language_name": name})
brazil, _ = Territory.objects.get_or_create(territory_name="Brazil")
atlantis, _ = Territory.objects.get_or_create(territory_name="Atlantis")
wmb, _ = Organization.objects.get_or_create(acronym="WMB")
OrganizationName.objects.get_or_create(organization=wmb, language_code="en",
                                       defaults={"name": "Wikimedia Brasil"})

PEOPLE = {
    # name: (available, wanted, [(language, level)], territories, affiliations)
    "Capx Ana": ([139], [12, 118], [("pt", "n"), ("es", "2")], [brazil], [wmb]),
    "Capx Wiki": ([47, 118], [12], [("de", "4")], [atlantis], [wmb]),
    "Capx Stranger": ([86], [139], [("fr", "n")], [brazil], []),
}
for name, (available, wanted, spoken, territories, affiliations) in PEOPLE.items():
    user, _ = CustomUser.objects.get_or_create(
        username=name,
        defaults={"email": name.lower().replace(" ", ".") + "@capx-secret.example"})
    profile = user.profile
    profile.about = "private words " + name
    profile.contact = {"email": "contact." + name.lower().replace(" ", ".")
                       + "@capx-secret.example"}
    profile.save()
    profile.skills_known.set(available)
    profile.skills_available.set(available)
    profile.skills_wanted.set(wanted)
    profile.territory.set(territories)
    profile.affiliation.set(affiliations)
    for code, level in spoken:
        LanguageProficiency.objects.update_or_create(
            profile=profile, language=languages[code], defaults={"proficiency": level})
print("seeded", CustomUser.objects.count(), "users", Skill.objects.count(), "capacities")
