"""Job titles in the local language with their true seniority, function and buying roles.

``ROLES`` is the ground truth per role; ``TITLES`` gives the surface forms per
language (``en`` is the fallback and is also used in many non-English markets).
The flat table from :func:`title_table` is what ``truth/titles.csv`` holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .countries import LANGS

# role -> (seniority, function, buying roles, weight in a buying committee)
ROLES: dict[str, tuple[str, str, tuple[str, ...], float]] = {
    "ceo": ("c_level", "general_management", ("decision_maker",), 1.0),
    "managing_director": ("c_level", "general_management", ("decision_maker", "economic_buyer"), 2.0),
    "owner": ("owner", "general_management", ("decision_maker", "economic_buyer"), 1.0),
    "board": ("board", "general_management", (), 0.3),
    "cfo": ("c_level", "finance", ("economic_buyer", "decision_maker"), 1.0),
    "controller": ("manager", "finance", ("economic_buyer",), 1.0),
    "purchasing_director": ("director", "purchasing", ("decision_maker", "procurement"), 1.5),
    "head_purchasing": ("head", "purchasing", ("procurement", "economic_buyer"), 2.5),
    "purchasing_manager": ("manager", "purchasing", ("procurement",), 3.0),
    "senior_buyer": ("senior", "purchasing", ("procurement",), 2.0),
    "buyer": ("individual", "purchasing", ("procurement",), 3.0),
    "purchasing_intern": ("intern", "purchasing", ("user",), 0.3),
    "cto": ("c_level", "engineering", ("decision_maker", "technical_evaluator"), 0.8),
    "technical_director": ("director", "engineering", ("technical_evaluator", "decision_maker"), 1.5),
    "engineering_manager": ("manager", "engineering", ("technical_evaluator",), 2.0),
    "engineer": ("individual", "engineering", ("technical_evaluator", "user"), 2.5),
    "plant_manager": ("director", "production", ("decision_maker", "user"), 1.5),
    "production_manager": ("manager", "production", ("user", "technical_evaluator"), 2.0),
    "maintenance_manager": ("manager", "production", ("user", "technical_evaluator"), 2.0),
    "quality_manager": ("manager", "quality", ("technical_evaluator",), 1.5),
    "supply_chain_manager": ("manager", "supply_chain", ("procurement",), 1.5),
    "logistics_manager": ("manager", "supply_chain", ("user",), 1.0),
    "it_manager": ("manager", "it", ("technical_evaluator",), 0.7),
    "coo": ("c_level", "general_management", ("decision_maker",), 0.6),
    "vp_operations": ("vp", "production", ("decision_maker", "economic_buyer"), 0.6),
    "assistant": ("individual", "admin", ("gatekeeper",), 1.2),
    # noise roles (never in a buying committee)
    "recruiter": ("individual", "hr", (), 0.0),
    "hr_manager": ("manager", "hr", (), 0.0),
    "sales_rep": ("individual", "sales", (), 0.0),
    "key_account_manager": ("senior", "sales", (), 0.0),
    "sales_director": ("director", "sales", (), 0.0),
    "marketing_manager": ("manager", "marketing", (), 0.0),
    "software_developer": ("individual", "it", (), 0.0),
    "consultant": ("individual", "other", (), 0.0),
    "lawyer": ("individual", "legal", (), 0.0),
    "accountant": ("individual", "finance", (), 0.0),
    "project_manager": ("manager", "other", (), 0.0),
    "teacher": ("individual", "other", (), 0.0),
    "nurse": ("individual", "other", (), 0.0),
    "student": ("intern", "other", (), 0.0),
    "self_employed": ("owner", "other", (), 0.0),
    "inside_sales": ("individual", "sales", (), 0.0),
    "field_sales": ("individual", "sales", (), 0.0),
    "sales_management": ("head", "sales", (), 0.0),
    "service_engineer": ("individual", "engineering", (), 0.0),
}

T = dict[str, tuple[str, ...]]
TITLES: dict[str, T] = {
    "en": {
        "ceo": ("CEO", "Chief Executive Officer", "President & CEO"),
        "managing_director": ("Managing Director", "General Manager", "Director General"),
        "owner": ("Owner", "Founder & Owner", "Co-Founder", "Managing Partner"),
        "board": ("Board Member", "Non-Executive Director", "Member of the Supervisory Board"),
        "cfo": ("CFO", "Chief Financial Officer", "Finance Director"),
        "controller": ("Financial Controller", "Finance Manager", "Controller"),
        "purchasing_director": ("Purchasing Director", "Director of Procurement", "Chief Procurement Officer"),
        "head_purchasing": ("Head of Procurement", "Head of Purchasing", "Head of Strategic Sourcing"),
        "purchasing_manager": ("Purchasing Manager", "Procurement Manager", "Category Manager"),
        "senior_buyer": ("Senior Buyer", "Senior Purchaser", "Lead Buyer"),
        "buyer": ("Buyer", "Purchaser", "Procurement Specialist", "Strategic Buyer"),
        "purchasing_intern": ("Procurement Intern", "Purchasing Trainee"),
        "cto": ("CTO", "Chief Technology Officer"),
        "technical_director": ("Technical Director", "Director of Engineering", "Engineering Director"),
        "engineering_manager": ("Engineering Manager", "R&D Manager", "Engineering Team Leader"),
        "engineer": ("Process Engineer", "Mechanical Engineer", "Project Engineer", "Design Engineer"),
        "plant_manager": ("Plant Manager", "Site Director", "Factory Manager"),
        "production_manager": ("Production Manager", "Manufacturing Manager", "Operations Manager"),
        "maintenance_manager": ("Maintenance Manager", "Maintenance Team Leader", "Maintenance Supervisor"),
        "quality_manager": ("Quality Manager", "QA Manager", "Quality Assurance Manager"),
        "supply_chain_manager": ("Supply Chain Manager", "Materials Manager"),
        "logistics_manager": ("Logistics Manager", "Warehouse Manager"),
        "it_manager": ("IT Manager", "IT Infrastructure Manager"),
        "coo": ("COO", "Chief Operating Officer"),
        "vp_operations": ("VP Operations", "Vice President Manufacturing"),
        "assistant": ("Executive Assistant", "Office Manager", "Management Assistant"),
        "recruiter": ("Recruiter", "Talent Acquisition Specialist", "Senior Recruitment Consultant"),
        "hr_manager": ("HR Manager", "HR Business Partner"),
        "sales_rep": ("Sales Representative", "Sales Engineer", "Account Manager"),
        "key_account_manager": ("Key Account Manager", "Senior Account Manager"),
        "sales_director": ("Sales Director", "Director of Sales"),
        "marketing_manager": ("Marketing Manager", "Product Marketing Manager"),
        "software_developer": ("Software Developer", "Software Engineer", "Data Analyst"),
        "consultant": ("Consultant", "Business Consultant"),
        "lawyer": ("Lawyer", "Legal Counsel"),
        "accountant": ("Accountant", "Bookkeeper"),
        "project_manager": ("Project Manager", "Programme Manager"),
        "teacher": ("Teacher", "Lecturer"),
        "nurse": ("Nurse", "Physiotherapist"),
        "student": ("Student", "MSc Student"),
        "self_employed": ("Self-employed", "Freelancer"),
        "inside_sales": ("Inside Sales Representative", "Sales Support Specialist"),
        "field_sales": ("Field Sales Engineer", "Technical Sales Representative", "Area Sales Representative"),
        "sales_management": ("Head of Sales", "Head of Sales EMEA"),
        "service_engineer": ("Service Engineer", "Customer Support Engineer"),
    },
    "nl": {
        "managing_director": ("Algemeen directeur", "Directeur", "Directeur-eigenaar"),
        "owner": ("Eigenaar", "DGA", "Oprichter"),
        "board": ("Lid Raad van Commissarissen", "Commissaris"),
        "cfo": ("Financieel directeur",),
        "controller": ("Controller", "Financial controller"),
        "purchasing_director": ("Directeur inkoop",),
        "head_purchasing": ("Hoofd inkoop", "Hoofd inkoop & logistiek"),
        "purchasing_manager": ("Inkoopmanager", "Teamleider inkoop"),
        "senior_buyer": ("Senior inkoper",),
        "buyer": ("Inkoper", "Strategisch inkoper", "Medewerker inkoop"),
        "purchasing_intern": ("Stagiair inkoop",),
        "technical_director": ("Technisch directeur",),
        "engineering_manager": ("Manager engineering", "Teamleider engineering"),
        "engineer": ("Werktuigbouwkundig ingenieur", "Procesingenieur", "Projectingenieur"),
        "plant_manager": ("Vestigingsmanager", "Fabrieksdirecteur"),
        "production_manager": ("Productiemanager", "Hoofd productie"),
        "maintenance_manager": ("Manager onderhoud", "Hoofd technische dienst"),
        "quality_manager": ("Kwaliteitsmanager", "Manager kwaliteit"),
        "supply_chain_manager": ("Supply chain manager",),
        "logistics_manager": ("Logistiek manager",),
        "assistant": ("Directiesecretaresse", "Managementassistent"),
        "recruiter": ("Recruiter", "Intercedent"),
        "sales_rep": ("Accountmanager", "Verkoopadviseur"),
        "teacher": ("Leraar", "Docent"),
        "nurse": ("Verpleegkundige", "Fysiotherapeut"),
        "student": ("Student",),
        "self_employed": ("Zelfstandig ondernemer", "ZZP'er"),
        "inside_sales": ("Binnendienst medewerker", "Commercieel medewerker binnendienst"),
        "field_sales": ("Accountmanager buitendienst", "Rayonmanager"),
        "service_engineer": ("Servicemonteur", "Servicetechnicus"),
    },
    "de": {
        "ceo": ("Vorstandsvorsitzender", "CEO"),
        "managing_director": ("Geschäftsführer", "Geschäftsführerin"),
        "owner": ("Inhaber", "Geschäftsführender Gesellschafter", "Gründer"),
        "board": ("Mitglied des Aufsichtsrats", "Aufsichtsratsvorsitzender"),
        "cfo": ("Finanzvorstand", "CFO"),
        "controller": ("Controller", "Leiter Controlling"),
        "purchasing_director": ("Bereichsleiter Einkauf", "Direktor Einkauf"),
        "head_purchasing": ("Einkaufsleiter", "Leiter Einkauf", "Leiterin Einkauf"),
        "purchasing_manager": ("Teamleiter Einkauf", "Einkaufsmanager"),
        "senior_buyer": ("Senior Einkäufer", "Strategischer Einkäufer"),
        "buyer": ("Einkäufer", "Einkäuferin", "Sachbearbeiter Einkauf", "Operativer Einkäufer"),
        "purchasing_intern": ("Praktikant Einkauf", "Werkstudent Einkauf"),
        "cto": ("Technischer Geschäftsführer",),
        "technical_director": ("Technischer Leiter", "Leiter Technik"),
        "engineering_manager": ("Leiter Konstruktion", "Teamleiter Entwicklung"),
        "engineer": ("Konstrukteur", "Verfahrensingenieur", "Projektingenieur", "Entwicklungsingenieur"),
        "plant_manager": ("Werkleiter", "Standortleiter"),
        "production_manager": ("Produktionsleiter", "Fertigungsleiter"),
        "maintenance_manager": ("Leiter Instandhaltung", "Instandhaltungsleiter"),
        "quality_manager": ("Qualitätsmanager", "Leiter Qualitätssicherung"),
        "supply_chain_manager": ("Leiter Supply Chain", "Materialwirtschaft Leiter"),
        "logistics_manager": ("Logistikleiter",),
        "it_manager": ("IT-Leiter",),
        "assistant": ("Assistentin der Geschäftsführung", "Sekretärin"),
        "recruiter": ("Personalberater", "Recruiterin"),
        "hr_manager": ("Personalleiter",),
        "sales_rep": ("Vertriebsingenieur", "Außendienstmitarbeiter", "Vertriebsmitarbeiter"),
        "key_account_manager": ("Key Account Manager",),
        "sales_director": ("Vertriebsdirektor",),
        "teacher": ("Lehrer", "Lehrerin"),
        "nurse": ("Krankenschwester", "Physiotherapeut"),
        "student": ("Student", "Studentin"),
        "self_employed": ("Selbstständig",),
        "inside_sales": ("Vertriebsinnendienst", "Mitarbeiter Innendienst"),
        "field_sales": ("Gebietsverkaufsleiter", "Außendienst Vertrieb"),
        "sales_management": ("Vertriebsleiter DACH", "Leiter Vertrieb"),
        "service_engineer": ("Servicetechniker", "Kundendiensttechniker"),
    },
    "fr": {
        "ceo": ("Président-directeur général", "PDG"),
        "managing_director": ("Directeur général", "Directrice générale", "Gérant"),
        "owner": ("Fondateur", "Gérant associé"),
        "board": ("Membre du conseil de surveillance", "Administrateur"),
        "cfo": ("Directeur administratif et financier", "DAF"),
        "controller": ("Contrôleur de gestion", "Responsable financier"),
        "purchasing_director": ("Directeur des achats", "Directrice des achats"),
        "head_purchasing": ("Responsable achats", "Chef du service achats"),
        "purchasing_manager": ("Responsable des achats",),
        "senior_buyer": ("Acheteur senior",),
        "buyer": ("Acheteur", "Acheteuse", "Acheteur industriel"),
        "purchasing_intern": ("Stagiaire achats",),
        "technical_director": ("Directeur technique",),
        "engineering_manager": ("Responsable bureau d'études",),
        "engineer": ("Ingénieur méthodes", "Ingénieur procédés", "Ingénieur d'études"),
        "plant_manager": ("Directeur d'usine", "Directeur de site"),
        "production_manager": ("Responsable de production", "Chef de fabrication"),
        "maintenance_manager": ("Responsable maintenance",),
        "quality_manager": ("Responsable qualité",),
        "supply_chain_manager": ("Responsable supply chain",),
        "logistics_manager": ("Responsable logistique",),
        "assistant": ("Assistante de direction",),
        "recruiter": ("Chargée de recrutement", "Consultant en recrutement"),
        "sales_rep": ("Technico-commercial", "Ingénieur commercial"),
        "teacher": ("Professeur des écoles", "Enseignant"),
        "nurse": ("Infirmière",),
        "student": ("Étudiant",),
        "inside_sales": ("Assistante commerciale", "Technico-commercial sédentaire"),
        "field_sales": ("Responsable de secteur", "Ingénieur commercial"),
        "service_engineer": ("Technicien SAV",),
    },
    "es": {
        "managing_director": ("Director general", "Directora general", "Gerente"),
        "owner": ("Propietario", "Socio fundador"),
        "board": ("Consejero", "Miembro del consejo de administración"),
        "cfo": ("Director financiero", "Directora financiera"),
        "controller": ("Controller financiero", "Responsable de administración"),
        "purchasing_director": ("Director de compras",),
        "head_purchasing": ("Jefe de compras", "Jefa de compras", "Responsable de compras"),
        "purchasing_manager": ("Responsable de aprovisionamiento",),
        "senior_buyer": ("Comprador senior",),
        "buyer": ("Comprador", "Compradora", "Técnico de compras"),
        "technical_director": ("Director técnico",),
        "engineering_manager": ("Jefe de ingeniería", "Responsable de oficina técnica"),
        "engineer": ("Ingeniero de procesos", "Ingeniero mecánico", "Ingeniero de proyectos"),
        "plant_manager": ("Director de planta", "Jefe de planta"),
        "production_manager": ("Jefe de producción", "Responsable de producción"),
        "maintenance_manager": ("Jefe de mantenimiento", "Responsable de mantenimiento"),
        "quality_manager": ("Responsable de calidad", "Jefe de calidad"),
        "supply_chain_manager": ("Responsable de cadena de suministro",),
        "logistics_manager": ("Jefe de logística",),
        "assistant": ("Asistente de dirección", "Secretaria de dirección"),
        "recruiter": ("Técnico de selección", "Consultora de selección"),
        "sales_rep": ("Comercial", "Técnico comercial"),
        "teacher": ("Profesor", "Maestra"),
        "student": ("Estudiante",),
        "field_sales": ("Delegado comercial",),
    },
    "it": {
        "ceo": ("Amministratore delegato",),
        "managing_director": ("Direttore generale", "Amministratore unico"),
        "owner": ("Titolare", "Socio fondatore"),
        "board": ("Consigliere di amministrazione", "Membro del collegio sindacale"),
        "cfo": ("Direttore finanziario", "Direttore amministrativo"),
        "controller": ("Controller", "Responsabile amministrazione"),
        "purchasing_director": ("Direttore acquisti",),
        "head_purchasing": ("Responsabile acquisti", "Responsabile ufficio acquisti"),
        "purchasing_manager": ("Purchasing manager", "Capo ufficio acquisti"),
        "senior_buyer": ("Buyer senior",),
        "buyer": ("Buyer", "Addetto acquisti", "Addetta ufficio acquisti"),
        "technical_director": ("Direttore tecnico",),
        "engineering_manager": ("Responsabile ufficio tecnico",),
        "engineer": ("Ingegnere di processo", "Progettista meccanico", "Ingegnere meccanico"),
        "plant_manager": ("Direttore di stabilimento",),
        "production_manager": ("Responsabile di produzione", "Capo reparto produzione"),
        "maintenance_manager": ("Responsabile manutenzione",),
        "quality_manager": ("Responsabile qualità",),
        "supply_chain_manager": ("Responsabile supply chain",),
        "logistics_manager": ("Responsabile logistica",),
        "assistant": ("Assistente di direzione", "Segretaria di direzione"),
        "recruiter": ("Selezionatrice del personale",),
        "sales_rep": ("Agente di commercio", "Tecnico commerciale"),
        "teacher": ("Insegnante",),
        "student": ("Studente",),
        "field_sales": ("Area manager",),
    },
    "sv": {
        "managing_director": ("VD", "Verkställande direktör"),
        "cfo": ("Ekonomichef",),
        "head_purchasing": ("Inköpschef",),
        "buyer": ("Inköpare",),
        "technical_director": ("Teknisk chef",),
        "production_manager": ("Produktionschef",),
        "maintenance_manager": ("Underhållschef",),
        "quality_manager": ("Kvalitetschef",),
        "engineer": ("Konstruktör", "Processingenjör"),
        "plant_manager": ("Fabrikschef",),
        "sales_rep": ("Säljare",),
    },
    "pl": {
        "managing_director": ("Prezes Zarządu", "Dyrektor Generalny"),
        "cfo": ("Dyrektor Finansowy",),
        "head_purchasing": ("Kierownik Działu Zakupów", "Dyrektor Zakupów"),
        "buyer": ("Specjalista ds. zakupów", "Kupiec"),
        "technical_director": ("Dyrektor Techniczny",),
        "production_manager": ("Kierownik Produkcji",),
        "maintenance_manager": ("Kierownik Utrzymania Ruchu",),
        "quality_manager": ("Kierownik Działu Jakości",),
        "engineer": ("Inżynier procesu", "Konstruktor"),
        "plant_manager": ("Dyrektor Zakładu",),
        "sales_rep": ("Przedstawiciel handlowy",),
    },
}

ROLE_KEYS: tuple[str, ...] = tuple(ROLES)
COMMITTEE_ROLES: tuple[str, ...] = tuple(k for k, v in ROLES.items() if v[3] > 0)
ENGLISH_SHARE = {"nl": 0.25, "de": 0.15, "fr": 0.1, "es": 0.1, "it": 0.15, "sv": 0.5, "pl": 0.4, "en": 1.0}


@dataclass
class TitleTable:
    """Flat title table: one row per (language, role, surface form)."""

    title: np.ndarray  # object
    lang: np.ndarray  # object
    role: np.ndarray  # int16 index into ROLE_KEYS
    ranges: dict[tuple[str, int], tuple[int, int]]  # (lang, role) -> rows

    def sample(self, rng: np.random.Generator, lang: np.ndarray, role: np.ndarray) -> np.ndarray:
        """One title row per (language code index into LANGS, role index); English sometimes."""
        lang_codes = np.array(LANGS, dtype=object)[lang]
        share = np.array([ENGLISH_SHARE[str(x)] for x in LANGS])[lang]
        use_en = rng.random(lang.size) < share
        lang_codes = np.where(use_en, "en", lang_codes)
        starts = np.empty(lang.size, dtype=np.int64)
        stops = np.empty(lang.size, dtype=np.int64)
        keys = np.char.add(lang_codes.astype(str), np.char.add("|", role.astype(str)))
        uniq, inverse = np.unique(keys, return_inverse=True)
        for j, key in enumerate(uniq.tolist()):
            code, r = key.split("|")
            lo, hi = self.ranges.get((code, int(r))) or self.ranges[("en", int(r))]
            starts[inverse == j], stops[inverse == j] = lo, hi
        return (starts + (rng.random(lang.size) * (stops - starts)).astype(np.int64)).astype(np.int32)


def title_table() -> TitleTable:
    """Every title with its language and role, in a fixed order."""
    titles: list[str] = []
    langs: list[str] = []
    roles: list[int] = []
    ranges: dict[tuple[str, int], tuple[int, int]] = {}
    for lang in ("en",) + tuple(x for x in LANGS if x != "en"):
        for r, key in enumerate(ROLE_KEYS):
            forms = TITLES[lang].get(key, ())
            if not forms:
                continue
            ranges[(lang, r)] = (len(titles), len(titles) + len(forms))
            titles.extend(forms)
            langs.extend([lang] * len(forms))
            roles.extend([r] * len(forms))
    return TitleTable(np.array(titles, dtype=object), np.array(langs, dtype=object),
                      np.array(roles, dtype=np.int16), ranges)


def role_index(key: str) -> int:
    return ROLE_KEYS.index(key)


def truth_of(role: int) -> tuple[str, str, str]:
    """(seniority, function, '|'-joined buying roles) of a role index."""
    seniority, function, buying, _ = ROLES[ROLE_KEYS[role]]
    return seniority, function, "|".join(buying)
