"""Seniority and function rules over folded tokens: words, phrases, DE/NL compounds.

All tables are plain dictionaries built once at import; :func:`apply_rules` does a few
dictionary look-ups per token, so the rules path stays at a few microseconds per
distinct title. Words are given folded (lower case, no accents), as
:func:`tieguard.roles.normalise.fold` produces them.
"""

from __future__ import annotations

from ..labels import seniority_rank

__all__ = ["NON_ROLE_WORDS", "RuleHits", "apply_rules", "FUNCTION_WORDS", "SENIORITY_WORDS", "words"]


def words(text: str) -> list[str]:
    """The whitespace-separated words of a table literal."""
    return text.split()


_w = words

#: Words of headlines that state no role ("Open to work", "Retired", "Op zoek naar ...").
NON_ROLE_WORDS = frozenset(_w(
    "retired retiree retraite retraitee gepensioneerd pensionado pensionato pensionata "
    "jubilado jubilada ruhestand rentner rentnerin looking seeking zoek suche recherche "
    "busqueda cerca opportunities opportunity werkzoekend werkzoekende arbeitssuchend "
    "jobsuchend open unemployed sabbatical")
)


def _table(spec: dict[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for label, words in spec.items():
        for word in words.split():
            table[word.replace("_", " ")] = label
    return table


#: Single folded words and multi-word phrases (``_`` joins the words) → seniority.
SENIORITY_WORDS: dict[str, str] = _table({
    "intern": "intern internship trainee stagiair stagiaire stagiar praktikant praktikantin "
    "werkstudent werkstudentin stagista tirocinante becario becaria apprentice apprenti "
    "apprentie alternant alternante auszubildender auszubildende azubi leerling "
    "working_student student studentin estudiante volontario volontaire graduate_trainee "
    "afstudeerder afstudeerstagiair tesista praktikum practicas practicante en_practicas "
    "apprendista duale_studentin dualer_student dual_student",
    "individual": "junior jr assistant assistent assistentin assistente asistente assistante "
    "associate medewerker medewerkster mitarbeiter mitarbeiterin sachbearbeiter "
    "sachbearbeiterin employee employe employee impiegato impiegata empleado empleada "
    "addetto addetta agent agente executive_assistant account_executive collaborateur "
    "collaboratrice officer clerk representative business_partner hr_business_partner",
    "senior": "senior sr snr principal lead expert experte experto esperto staff_engineer "
    "hoofdmedewerker oberingenieur fachexperte spezialist senior_specialist "
    "key_account_manager kam account_manager product_manager project_manager "
    "program_manager programme_manager category_manager projectmanager projektmanager "
    "productmanager produktmanager projektleiter projectleider chef_de_projet "
    "chef_de_produit jefe_de_proyecto capo_progetto responsabile_di_progetto "
    "accountmanager solution_architect area_manager partner_manager channel_partner_manager",
    "manager": "manager managerin teamleiter teamleiterin teamleider teamleader team_lead "
    "team_leader gruppenleiter gruppenleiterin supervisor superviseur responsable gerente "
    "encargado encargada responsabile meister meisterin ploegleider chef_d_equipe "
    "chef_de_equipe capo_turno capo_squadra jefe_de_equipo coordinateur coordinatrice "
    "manageress supervisora supervisore chef_d_atelier schichtleiter lagerleiter",
    "head": "head hoofd leitung leiter leiterin leider leidster jefe jefa chef cheffe capo "
    "abteilungsleiter abteilungsleiterin afdelingshoofd afdelingsleider hoofd_afdeling "
    "head_of chef_de_service jefe_de_departamento capo_ufficio capo_reparto "
    "responsable_de_departement",
    "director": "director directeur directora direktor direktorin directrice direttore direttrice "
    "dirigente prokurist prokuristin bereichsleiter bereichsleiterin "
    "hauptabteilungsleiter divisiedirecteur senior_director associate_director "
    "general_manager manager_directeur werkleiter betriebsleiter bedrijfsleider "
    "plant_manager site_manager country_manager vestigingsdirecteur "
    "kaufmannischer_leiter technischer_leiter directeur_commercial daf dsi drh "
    "operationeel_directeur",
    "vp": "vp svp evp avp vice_president vicepresident vice_presidente vicepresidente "
    "vizeprasident vize_prasident vice_presidentin senior_vice_president "
    "executive_vice_president vice_presidente_esecutivo vicepresidenta vice_presidenta",
    "c_level": "ceo cfo coo cto cio cpo cmo cso cco chro cdo ciso cro cxo clo cao "
    "md gf pdg dg geschaftsfuhrer geschaftsfuhrerin geschaeftsfuehrer geschaeftsfuehrerin "
    "managing_director algemeen_directeur algemene_directie directeur_general "
    "directrice_generale director_general directora_general direttore_generale "
    "directeur_generaal general_director president presidente presidentin "
    "amministratore_delegato consejero_delegado administrateur_delegue gerente_general "
    "vorstand vorstandsvorsitzender vorstandsmitglied bestuurder statutair_directeur "
    "chief_executive chief_executive_officer executive_director ad vorstands "
    "raad_van_bestuur "
    "hoofddirecteur chief directeur_generale",
    "owner": "owner co_owner coowner founder cofounder co_founder eigenaar eigenares "
    "mede_eigenaar mede_oprichter inhaber inhaberin proprietaire proprietario propietario "
    "propietaria titolare fondateur fondatrice cofondateur fundador fundadora cofundador "
    "fondatore fondatrice cofondatore oprichter medeoprichter grunder grunderin "
    "mitgrunder mitgrunderin partner managing_partner senior_partner equity_partner "
    "dga gesellschafter gesellschafterin geschaftsfuhrender_gesellschafter zaakvoerder "
    "gerant gerante socio socia associe associee unternehmer unternehmerin ondernemer "
    "imprenditore imprenditrice empresario empresaria entrepreneur zelfstandig_ondernemer "
    "selbststandig selbstandig freelancer zzp zzper self_employed grootaandeelhouder",
    "board": "board_member board_of_directors supervisory_board aufsichtsrat "
    "aufsichtsratsmitglied aufsichtsrats aufsichtsratsvorsitzender conseil_d_administration "
    "conseil_de_surveillance consejo_de_administracion consiglio_di_amministrazione beirat beiratsmitglied commissaris "
    "raad_van_commissarissen raad_van_toezicht toezichthouder non_executive_director "
    "non_executive ned chairman chairwoman chairperson chair_of_the_board bestuurslid "
    "voorzitter consigliere consigliere_di_amministrazione consejero consejera "
    "membre_du_conseil administrateur_independant verwaltungsrat",
})

#: Single folded words and phrases → function.
FUNCTION_WORDS: dict[str, str] = _table({
    "purchasing": "purchasing purchase purchaser procurement buyer buyers buying sourcing "
    "einkauf einkaufer einkauferin beschaffung inkoop inkoper inkoopster inkopers achat "
    "achats acheteur acheteuse compras compra comprador compradora acquisti acquisto "
    "approvvigionamenti approvvigionamento cpo commodity commodities category "
    "strategic_sourcing vendor_management supplier_management einkaufs category_manager "
    "chief_procurement_officer buyer_manager aankoop aankoper",
    "supply_chain": "supply_chain scm logistics logistic logistik logistiek logistique "
    "logistica logistico warehouse warehousing lager magazijn entrepot almacen magazzino "
    "planner planning disponent disposition dispatcher expediteur spedition shipping "
    "versand inventory materialwirtschaft supply demand_planner customs zoll douane "
    "transport approvisionnement aprovisionamiento distribution distributie "
    "distribucion supply_planner fulfilment fulfillment suministro suministros "
    "cadena_de_suministro approvisionnements catena_di_fornitura",
    "finance": "finance financial finanz finanzen financien financieel financiele financier "
    "financiere financiero financiera finanzas finanza finanziario finanziaria "
    "accounting accountant accounts controller controlling controleur buchhaltung "
    "buchhalter buchhalterin boekhouder boekhouding comptable comptabilite contable "
    "contabilidad contabile contabilita treasury treasurer tesorero tesoriere tresorier "
    "tresorerie tax steuer steuern fiscal fiscalist fiscaliste audit auditor auditeur "
    "cfo kaufmannischer kaufmannische credit payable receivable crediteuren debiteuren "
    "kreditoren debitoren revisor wirtschaftsprufer bookkeeper billing facturation "
    "fp&a daf finanzbuchhalter bilanzbuchhalter amministrazione_finanza chief_financial_officer "
    "financial_controller administratie_financien",
    "engineering": "engineer engineers engineering ingenieur ingenieurin ingeniero ingeniera "
    "ingegnere ingenieria ingegneria technik techniek technique tecnica r&d rd research "
    "forschung entwicklung ontwikkeling desarrollo_de_producto konstrukteur "
    "konstrukteurin constructeur cad mechanical mechanic mechatronik mechatronica "
    "elektrotechnik electrical electronics elektronik technical technisch technische "
    "technischer technicien technician techniker technikerin tecnico "
    "werktuigbouwkundige werktuigbouw konstruktion construction_engineer design_engineer "
    "application_engineer applicatie engineeringmanager cto_engineering hardware "
    "ingenieurs ingenieure projectingenieur bureau_d_etudes ufficio_tecnico oficina_tecnica",
    "production": "production produktion productie produccion produzione manufacturing "
    "fertigung fabricage fabrication fabricacion fabbricazione plant werk fabriek usine "
    "fabrica stabilimento operations operation operaciones operazioni maintenance "
    "instandhaltung onderhoud mantenimiento manutenzione shift schicht operator bediener "
    "maschinenbediener montage assembly lean betrieb bedrijfsvoering atelier werkstatt "
    "werkplaats produzione industrial industrie industriel produktions operationeel_directeur "
    "plant_manager site_manager werkleiter betriebsleiter coo turno turnos",
    "quality": "quality qualitat kwaliteit qualite calidad qualita qa qc qm qhse hse ehs "
    "qs qualitatssicherung qualitatsmanagement kwaliteitsborging kwaliteitszorg "
    "controle_qualite supplier_quality sqe iso safety veiligheid arbeitssicherheit "
    "metrology metrologie inspector inspecteur inspektor ispettore inspector_de_calidad "
    "quality_assurance quality_control haccp gmp validation validatie",
    "it": "it ict software developer developers entwickler entwicklerin ontwikkelaar "
    "developpeur developpeuse desarrollador desarrolladora sviluppatore sviluppatrice "
    "programmer programmeur programmierer programador programadora programmatore data "
    "cloud devops sysadmin system_administrator systemadministrator network netwerk "
    "netzwerk reseau rete informatique informatica informatik informatiker informaticien "
    "dsi cio ciso security cyber cybersecurity erp sap database helpdesk servicedesk "
    "service_desk web frontend backend fullstack full_stack infrastructure infrastructuur "
    "infrastruktur applicatiebeheerder systeembeheerder netwerkbeheerder it_manager "
    "tecnologia technology tech digitalisierung digitalisering sistemi sistemas systemes "
    "systems systeme chief_information_officer chief_technology_officer cdo "
    "software_engineer data_scientist data_engineer scrum scrum_master agile",
    "sales": "sales vertrieb vertriebs verkauf verkaufs verkoop verkoper verkoopster "
    "vente ventes vendeur vendeuse commercial commerciale commerciaal commercieel "
    "commerciele comercial comerciales ventas vendedor vendedora vendite venditore "
    "venditrice account accounts key_account kam business_development bizdev bdm "
    "inside_sales aussendienst innendienst buitendienst binnendienst area_manager export "
    "customer_success presales pre_sales handelsvertreter vertegenwoordiger "
    "rappresentante representante agent_commercial accountmanager relatiebeheerder "
    "charge_d_affaires account_executive account_manager key_account_manager cco "
    "chief_commercial_officer chief_sales_officer cso sales_engineer kundenberater "
    "kundenbetreuer verkaufer verkauferin vertriebler accountant_manager commerce "
    "business_developer new_business auftragsabwicklung",
    "marketing": "marketing marketeer marketer brand merk marke marque marca communication "
    "communications communicatie kommunikation comunicacion comunicazione pr "
    "public_relations content seo sea social_media product_marketing cmo growth "
    "product_manager produktmanager productmanager chef_de_produit "
    "chief_marketing_officer events evenementen pers press presse",
    "hr": "hr human_resources personal personalreferent "
    "personalreferentin personalwesen personeel personeelszaken p&o ressources_humaines "
    "rh drh recursos_humanos rrhh risorse_umane recruiter recruitment recruiting "
    "talent people payroll learning_and_development l&d werving reclutamento selezione "
    "hrbp chro human_resource human_capital personalabteilung personalentwicklung "
    "chief_people_officer hrm",
    "legal": "legal lawyer attorney counsel general_counsel jurist juriste juristin "
    "juridisch juridique juridico giuridico rechtsanwalt rechtsanwaltin anwalt anwaltin "
    "advocaat avocat avocate abogado abogada avvocato avvocata notaris notar notaire "
    "notario notaio legal_counsel bedrijfsjurist syndikus syndikusrechtsanwalt "
    "compliance paralegal datenschutz privacy dpo patent patents octrooi clo "
    "chief_legal_officer contract_manager contracts law recht",
    "general_management": "geschaftsfuhrender ceo md gf pdg dg geschaftsfuhrer geschaftsfuhrerin "
    "geschaeftsfuehrer geschaeftsfuehrerin managing_director general_manager "
    "algemeen_directeur directeur_general directrice_generale director_general "
    "directora_general direttore_generale directeur_generaal general_director "
    "amministratore_delegato consejero_delegado administrateur_delegue gerente_general "
    "country_manager vorstand vorstandsvorsitzender bestuurder statutair_directeur "
    "chief_executive chief_executive_officer executive_director strategy strategie "
    "estrategia strategia chief_of_staff business_unit president presidente dga "
    "managing_partner hoofddirecteur ad directie direction "
    "geschaftsleitung geschaftsfuhrung direzione direccion",
    "admin": "secretary secretaresse sekretar sekretarin secretaire secretaria segretaria "
    "segretario office_manager receptionist receptioniste receptie empfang rezeption "
    "administratief administratieve administratie administration administratif "
    "administrative administrativo administrativa amministrativo amministrativa "
    "back_office backoffice executive_assistant personal_assistant directieassistent "
    "directiesecretaresse managementassistent managementassistente assistente_di_direzione "
    "assistante_de_direction asistente_de_direccion assistentin_der_geschaftsfuhrung "
    "assistent_der_geschaftsfuhrung clerk sachbearbeiter "
    "data_entry facility facilities facilitair assistant_to",
})

#: DE/NL compound heads (suffixes) → (seniority or '', function or '').
COMPOUND_HEADS: dict[str, tuple[str, str]] = {
    "leiter": ("head", ""), "leiterin": ("head", ""), "leider": ("head", ""),
    "manager": ("manager", ""), "managerin": ("manager", ""), "chef": ("head", ""),
    "direktor": ("director", ""), "direktorin": ("director", ""), "directeur": ("director", ""),
    "hoofd": ("head", ""), "medewerker": ("individual", ""), "medewerkster": ("individual", ""),
    "mitarbeiter": ("individual", ""), "mitarbeiterin": ("individual", ""),
    "sachbearbeiter": ("individual", ""), "sachbearbeiterin": ("individual", ""),
    "referent": ("individual", ""), "referentin": ("individual", ""),
    "assistent": ("individual", "admin"), "assistentin": ("individual", "admin"),
    "ingenieur": ("individual", "engineering"), "ingenieurin": ("individual", "engineering"),
    "techniker": ("individual", "engineering"), "technikerin": ("individual", "engineering"),
    "entwickler": ("individual", "it"), "entwicklerin": ("individual", "it"),
    "ontwikkelaar": ("individual", "it"), "beheerder": ("individual", ""),
    "spezialist": ("senior", ""), "spezialistin": ("senior", ""), "specialist": ("individual", ""),
    "berater": ("individual", ""), "beraterin": ("individual", ""), "adviseur": ("individual", ""),
    "planer": ("individual", "supply_chain"), "planner": ("individual", "supply_chain"),
    "koordinator": ("individual", ""), "coordinator": ("individual", ""),
    "einkaufer": ("individual", "purchasing"), "einkauferin": ("individual", "purchasing"),
    "inkoper": ("individual", "purchasing"), "verkoper": ("individual", "sales"),
    "verkaufer": ("individual", "sales"), "verkauferin": ("individual", "sales"),
    "controller": ("individual", "finance"), "buchhalter": ("individual", "finance"),
    "buchhalterin": ("individual", "finance"), "meister": ("manager", "production"),
    "beauftragter": ("individual", ""), "beauftragte": ("individual", ""),
    "kaufmann": ("individual", ""), "kauffrau": ("individual", ""),
    "teamleiter": ("manager", ""), "teamleider": ("manager", ""),
    "secretaresse": ("individual", "admin"), "sekretarin": ("individual", "admin"),
    "vorstand": ("c_level", "general_management"), "analist": ("individual", ""),
    "analyst": ("individual", ""), "consultant": ("individual", ""),
}

#: DE/NL compound modifiers (prefixes) → (seniority or '', function or '').
COMPOUND_MODIFIERS: dict[str, tuple[str, str]] = {
    **{w: ("", "purchasing") for w in _w("einkauf einkaufs inkoop beschaffung beschaffungs aankoop")},
    **{w: ("", "sales") for w in _w("vertrieb vertriebs verkauf verkaufs verkoop export exports sales account keyaccount accountmanagement vertriebsinnendienst innendienst aussendienst buitendienst binnendienst")},
    **{w: ("", "finance") for w in _w("finanz finanzen finance financieel financiele finance controlling buchhaltungs kredit debitoren kreditoren treasury steuer belasting")},
    **{w: ("", "hr") for w in _w("personal personals personeels personeel hr recruiting")},
    **{w: ("", "quality") for w in _w("qualitat qualitats kwaliteit kwaliteits qualitatssicherungs qs qm")},
    **{w: ("", "production") for w in _w("produktion produktions productie fertigung fertigungs montage werk werks betrieb betriebs fabrieks fabriek instandhaltungs onderhouds")},
    **{w: ("", "supply_chain") for w in _w("logistik logistiek magazijn versand transport supplychain material materialwirtschafts disposition")},
    **{w: ("", "engineering") for w in _w("entwicklung entwicklungs konstruktion konstruktions technik techniek technisch technische forschungs ontwikkel projekt project")},
    **{w: ("", "it") for w in _w("it ict software system systeem netzwerk netwerk daten data applicatie informatik")},
    **{w: ("", "marketing") for w in _w("marketing produkt product kommunikations communicatie marken merk")},
    **{w: ("", "legal") for w in _w("rechts juridisch vertrags contract compliance")},
    **{w: ("director", "") for w in _w("bereichs hauptabteilungs divisie")},
    **{w: ("head", "") for w in _w("abteilungs afdelings")},
    **{w: ("manager", "") for w in _w("team gruppen groeps")},
    **{w: ("manager", "production") for w in _w("schicht ploeg")},
    "lager": ("manager", "supply_chain"),
    **{w: ("", "general_management") for w in _w("geschafts bedrijfs vestigings filiaal niederlassungs standort")},
}

_HEAD_LENGTHS = sorted({len(h) for h in COMPOUND_HEADS}, reverse=True)
_MOD_LENGTHS = sorted({len(m) for m in COMPOUND_MODIFIERS}, reverse=True)
_ASSISTANT = frozenset(_w(
    "assistant assistent assistentin assistente asistente assistante secretary "
    "secretaresse sekretarin secretaire secretaria segretaria")
)
_DEPUTY = frozenset(_w(
    "deputy stellvertretender stellvertretende stv adjunct adjoint adjointe adjunto "
    "adjunta vice vicedirecteur vicedirettore plaatsvervangend sous")
)
_IC_BEFORE_MANAGER = frozenset(_w("account key project projekt product produkt program programme category"))
_EXEC = frozenset(_w("ceo cfo coo cto cio md gf pdg dg presidente direttore directora amministratore gerente directeur director direktor directie board president vorstand geschaftsfuhrung geschaftsfuhrer directeur direction direzione direccion management"))
_STOP = frozenset(_w("with from into voor van het bij und der die des fur pour avec dans chez para como della delle degli presso"))
#: Regions, markets and tenure words of headlines (``Key Account Manager DACH``, ``Interim CFO``,
#: ``Sales Director Automotive``): they say where or how, never which function or level.
CONTEXT_WORDS = frozenset(_w(
    "emea dach benelux nordics nordic europe european europa global worldwide international "
    "internacional internazionale apac asia americas latam amerique iberia nederland deutschland "
    "germany france espana italia italy spain netherlands belgium belgie schweiz austria "
    "northern southern eastern western central region regional interim "
    "automotive industry pharma chemicals retail "
    "energy aerospace")
)
_MODIFIERS = _ASSISTANT | _DEPUTY | frozenset(_w("junior jr vice vp manager"))


class RuleHits:
    """What the rules found in one normalised title."""

    __slots__ = ("evidence", "functions", "seniority", "strong_function", "unmatched")

    def __init__(self) -> None:
        self.seniority = "unknown"
        self.functions: list[str] = []
        self.evidence: list[str] = []
        self.strong_function = False
        #: content words (4+ letters) that no rule explained: the title says more than its level
        self.unmatched: list[str] = []


def _split_compound(token: str) -> tuple[str, str] | None:
    """(seniority, function) of a DE/NL compound such as ``einkaufsleiter``, else None."""
    for k in _HEAD_LENGTHS:
        if len(token) <= k + 1:
            continue
        head = COMPOUND_HEADS.get(token[-k:])
        if head is None:
            continue
        rest = token[:-k]
        mod = COMPOUND_MODIFIERS.get(rest) or COMPOUND_MODIFIERS.get(rest.rstrip("s-"))
        if mod is None:
            func = FUNCTION_WORDS.get(rest) or FUNCTION_WORDS.get(rest.rstrip("s"))
            mod = ("", func) if func else None
        if mod is None:
            return None
        seniority = head[0]
        if mod[0] and head[0] in ("head", "manager"):
            seniority = mod[0]
        return seniority, mod[1] or head[1]
    return None


def _hoofd_compound(token: str) -> tuple[str, str] | None:
    """NL ``hoofd-`` compounds: ``hoofdinkoper`` → (head, purchasing)."""
    if not token.startswith("hoofd"):
        return None
    rest = token[5:]
    func = FUNCTION_WORDS.get(rest) or (_split_compound(rest) or ("", ""))[1]
    return ("head", func) if func else None


def _prefix_function(token: str) -> str:
    for k in _MOD_LENGTHS:
        if len(token) > k + 3:
            mod = COMPOUND_MODIFIERS.get(token[:k])
            if mod and mod[1]:
                return mod[1]
    return ""


def _better(current: str, candidate: str) -> str:
    return candidate if seniority_rank(candidate) > seniority_rank(current) or (
        candidate == "owner" and current == "c_level"
    ) else current


_WORDS: dict[str, tuple[str | None, str | None]] = {
    w: (SENIORITY_WORDS.get(w), FUNCTION_WORDS.get(w)) for w in {*SENIORITY_WORDS, *FUNCTION_WORDS}
}
_PHRASE_FIRST = frozenset(w.split()[0] for w in _WORDS if " " in w)
#: word → (seniority, function, evidence, starts a phrase, unexplained content word)
_Token = tuple[str | None, str | None, tuple[str, ...], bool, bool]
_TOKEN_CACHE: dict[str, _Token] = {}
_TOKEN_CACHE_MAX = 200_000
_NONE: tuple[str | None, str | None] = (None, None)


def _token(word: str) -> _Token:
    """Everything the scan needs about one word, memoised (titles repeat words)."""
    found = _TOKEN_CACHE.get(word)
    if found is not None:
        return found
    sen, func = _WORDS.get(word, _NONE)
    evidence: list[str] = []
    if sen is None and func is None and len(word) > 6:
        split = _split_compound(word) or _hoofd_compound(word)
        if split:
            sen, func = split[0] or None, split[1] or None
            evidence.append(f"compound:{word}")
        else:
            func = _prefix_function(word) or None
    if sen:
        evidence.append(f"seniority:{word}={sen}")
    if func:
        evidence.append(f"function:{word}={func}")
    content = sen is None and func is None and len(word) > 3 and word not in _STOP and word not in CONTEXT_WORDS
    result = (sen, func, tuple(evidence), word in _PHRASE_FIRST, content)
    if len(_TOKEN_CACHE) < _TOKEN_CACHE_MAX:
        _TOKEN_CACHE[word] = result
    return result


def _phrase(words: list[str], i: int) -> tuple[int, str, tuple[str | None, str | None]] | None:
    """The longest table phrase (3 or 2 words) starting at ``words[i]``: (size, phrase, labels)."""
    n = len(words)
    if i + 2 < n:
        phrase = f"{words[i]} {words[i + 1]} {words[i + 2]}"
        hit = _WORDS.get(phrase)
        if hit is not None:
            return 3, phrase, hit
    phrase = f"{words[i]} {words[i + 1]}"
    hit = _WORDS.get(phrase)
    return (2, phrase, hit) if hit is not None else None


def apply_rules(words: list[str]) -> RuleHits:
    """Seniority (highest found) and functions (in order found) of a token list.

    One left-to-right scan: the longest phrase at each position, else the word (or its
    compound analysis). Words inside a phrase still count for the label kind the phrase
    does not give (``chief procurement officer``: function from the phrase, level from ``chief``).
    """
    hits = RuleHits()
    found: list[tuple[int, str]] = []
    n = len(words)
    i = 0
    while i < n:
        word = words[i]
        sen, func, evidence, phrase_first, content = _TOKEN_CACHE.get(word) or _token(word)
        if phrase_first and i + 1 < n:
            match = _phrase(words, i)
            if match is not None:
                size, phrase, (sen, func) = match
                _record(hits, found, i, phrase, sen, func)
                for j in range(i, i + size):
                    inner_sen, inner_func = _WORDS.get(words[j], _NONE)
                    inner_sen, inner_func = (None if sen else inner_sen), (None if func else inner_func)
                    if inner_sen or inner_func:
                        _record(hits, found, j, words[j], inner_sen, inner_func)
                i += size
                continue
        if evidence:
            hits.evidence += evidence
            if sen:
                found.append((i, sen))
            if func:
                hits.strong_function = True
                if func not in hits.functions:
                    hits.functions.append(func)
        elif content:
            hits.unmatched.append(word)
        i += 1
    if found:
        if len(found) == 1 and _MODIFIERS.isdisjoint(words):
            hits.seniority = found[0][1]
        else:
            _resolve_seniority(hits, words, found)
    return hits


def _record(
    hits: RuleHits, seniorities: list[tuple[int, str]], pos: int, word: str,
    sen: str | None, func: str | None,
) -> None:
    if sen:
        seniorities.append((pos, sen))
        hits.evidence.append(f"seniority:{word}={sen}")
    if func:
        if func not in hits.functions:
            hits.functions.append(func)
        hits.strong_function = True
        hits.evidence.append(f"function:{word}={func}")


def _resolve_seniority(hits: RuleHits, words: list[str], found: list[tuple[int, str]]) -> None:
    """Highest level found, with modifier rules (senior/junior, deputy, assistant to)."""
    if not found:
        return
    levels = {s for _, s in found}
    words_set = set(words)
    if words_set & _ASSISTANT and (words_set & _EXEC or "to" in words_set) and not (
        levels & {"vp", "head"}
    ):
        hits.seniority = "individual"
        if "admin" not in hits.functions:
            hits.functions.insert(0, "admin")
        hits.evidence.append("rule:assistant-to-executive=admin")
        return
    best = "unknown"
    for pos, level in found:
        if level in ("senior", "individual") and pos + 1 < len(words) and words[pos + 1] in ("vice", "vp"):
            continue
        best = _better(best, level)
    if "intern" in levels and seniority_rank(best) <= seniority_rank("senior"):
        best = "intern"
    if "junior" in words_set or "jr" in words_set:
        best = "individual" if seniority_rank(best) <= seniority_rank("manager") else best
    if words_set & _DEPUTY and best in ("head", "director", "c_level"):
        best = {"head": "manager", "director": "head", "c_level": "vp"}[best]
        hits.evidence.append("rule:deputy=one-level-down")
    if best == "manager" and any(
        words[i - 1] in _IC_BEFORE_MANAGER for i, w in enumerate(words) if i and w == "manager"
    ):
        best = "senior"
    hits.seniority = best
