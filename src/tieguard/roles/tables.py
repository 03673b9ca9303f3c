"""The word tables of the rules: folded words and phrases → seniority or function.

``_`` joins the words of a phrase. A word is listed under one seniority and at most one
function (``_table`` refuses a word under two labels of one table). Compound heads and
modifiers analyse DE/NL compounds; see :mod:`tieguard.roles.rules`.
"""

from __future__ import annotations

__all__ = [
    "PREFIX_EXCLUDED", "WEAK_FUNCTION_WORDS",
    "ASSISTANT", "DEPUTY", "EXEC", "HEAD_LENGTHS", "IC_BEFORE_MANAGER", "MOD_LENGTHS", "STOP",
    "COMPOUND_HEADS", "COMPOUND_MODIFIERS", "CONTEXT_WORDS", "FUNCTION_WORDS", "NON_ROLE_WORDS",
    "SENIORITY_WORDS", "words",
]


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
    """Word → label; a word listed under two labels of one table is a bug (ValueError)."""
    table: dict[str, str] = {}
    for label, words in spec.items():
        for word in words.split():
            key = word.replace("_", " ")
            if table.get(key, label) != label:
                raise ValueError(f"{key!r} is listed under both {table[key]!r} and {label!r}")
            table[key] = label
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
    "senior": "leader  senior sr snr principal lead expert experte experto esperto staff_engineer "
    "hoofdmedewerker oberingenieur fachexperte spezialist senior_specialist "
    "key_account_manager kam account_manager product_manager project_manager "
    "program_manager programme_manager category_manager projectmanager projektmanager "
    "productmanager produktmanager projektleiter projectleider chef_de_projet "
    "chef_de_produit jefe_de_proyecto capo_progetto responsabile_di_progetto "
    "accountmanager solution_architect area_manager partner_manager channel_partner_manager",
    "manager": "chef_de_groupe jefe_de_turno coordinatore  manager managerin teamleiter teamleiterin teamleider teamleader team_lead "
    "team_leader gruppenleiter gruppenleiterin supervisor superviseur responsable gerente "
    "encargado encargada responsabile meister meisterin ploegleider chef_d_equipe "
    "chef_de_equipe capo_turno capo_squadra jefe_de_equipo coordinateur coordinatrice "
    "manageress supervisora supervisore chef_d_atelier schichtleiter lagerleiter",
    "head": "subdirector subdirectora sous_directeur sous_directrice vicedirettore vicedirecteur  head hoofd leitung leiter leiterin leider leidster jefe jefa chef cheffe capo "
    "abteilungsleiter abteilungsleiterin afdelingshoofd afdelingsleider hoofd_afdeling "
    "head_of chef_de_service jefe_de_departamento capo_ufficio capo_reparto "
    "responsable_de_departement",
    "director": "gerente_de_planta  director directeur directora direktor direktorin directrice direttore direttrice "
    "dirigente prokurist prokuristin bereichsleiter bereichsleiterin "
    "hauptabteilungsleiter divisiedirecteur senior_director associate_director "
    "general_manager manager_directeur werkleiter betriebsleiter bedrijfsleider "
    "plant_manager site_manager country_manager vestigingsdirecteur "
    "kaufmannischer_leiter technischer_leiter directeur_commercial daf dsi drh "
    "operationeel_directeur",
    "vp": "vp svp evp avp vice_president vicepresident vice_presidente vicepresidente "
    "vizeprasident vize_prasident vice_presidentin senior_vice_president "
    "executive_vice_president vice_presidente_esecutivo vicepresidenta vice_presidenta",
    "c_level": "directoire membre_du_directoire amministratore_unico  ceo cfo coo cto cio cpo cmo cso cco chro cdo ciso cro cxo clo cao "
    "md gf pdg dg geschaftsfuhrer geschaftsfuhrerin geschaeftsfuehrer geschaeftsfuehrerin "
    "managing_director algemeen_directeur algemene_directie directeur_general "
    "directrice_generale director_general directora_general direttore_generale "
    "directeur_generaal general_director president presidente presidentin "
    "amministratore_delegato consejero_delegado administrateur_delegue gerente_general "
    "vorstand vorstandsvorsitzender vorstandsmitglied bestuurder statutair_directeur "
    "chief_executive chief_executive_officer executive_director vorstands "
    "raad_van_bestuur "
    "hoofddirecteur directeur_generale",
    "owner": "owner co_owner coowner founder cofounder co_founder eigenaar eigenares "
    "mede_eigenaar mede_oprichter inhaber inhaberin proprietaire proprietario propietario "
    "propietaria titolare fondateur fondatrice cofondateur fundador fundadora cofundador "
    "fondatore fondatrice cofondatore oprichter medeoprichter grunder grunderin "
    "mitgrunder mitgrunderin partner managing_partner senior_partner equity_partner "
    "dga gesellschafter gesellschafterin geschaftsfuhrender_gesellschafter zaakvoerder "
    "gerant gerante socio socia associe associee unternehmer unternehmerin ondernemer "
    "imprenditore imprenditrice empresario empresaria entrepreneur zelfstandig_ondernemer "
    "selbststandig selbstandig freelancer zzp zzper self_employed grootaandeelhouder",
    "board": "collegio_sindacale  board_member board_of_directors supervisory_board aufsichtsrat "
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
    "accounting accountant accounts_payable accounts_receivable controller controlling controleur_de_gestion controleuse_de_gestion buchhaltung "
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
    "metrology metrologie controleur controleuse inspector inspecteur inspektor ispettore inspector_de_calidad "
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
    "venditrice account key_accounts key_account kam business_development bizdev bdm "
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
    "managing_partner hoofddirecteur directie direction "
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
    # endings real DE/NL titles use, whatever the modifier
    "leitung": ("head", ""), "inhaber": ("owner", ""), "inhaberin": ("owner", ""),
    "geschaftsfuhrer": ("c_level", "general_management"),
    "geschaftsfuhrerin": ("c_level", "general_management"),
    "geschaftsfuhrung": ("c_level", "general_management"),
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
    **{w: ("", "marketing") for w in _w("marketing kommunikations communicatie marken merk")},
    **{w: ("", "legal") for w in _w("rechts juridisch vertrags contract compliance")},
    **{w: ("director", "") for w in _w("bereichs hauptabteilungs divisie")},
    **{w: ("head", "") for w in _w("abteilungs afdelings")},
    **{w: ("manager", "") for w in _w("team gruppen groeps")},
    **{w: ("manager", "production") for w in _w("schicht ploeg")},
    "lager": ("manager", "supply_chain"),
    **{w: ("", "general_management") for w in _w("geschafts bedrijfs vestigings filiaal niederlassungs standort")},
}

#: Function words that occupational taxonomies use across several functions (ISCO has
#: technicians in engineering, health and media; ``verkoop`` staff in retail; inspectors
#: everywhere): their vote is soft, the model may overrule it. Other table words decide.
WEAK_FUNCTION_WORDS = frozenset(_w(
    "technik techniek technique tecnica technical technisch technische technischer technicien "
    "technician techniker technikerin tecnico mechanic mechanical mechatronik mechatronica "
    "electrical electronics elektronik elektrotechnik controleur controleuse inspector inspecteur "
    "inspektor ispettore operator operations operaciones operazioni operation verkoop verkoper "
    "verkoopster verkauf verkaufer verkauferin vendeur vendeuse vendedor vendedora venditore "
    "planning planner research data tecnologia technology tech sistemas systems systeme "
    "werk plant atelier shift schicht safety veiligheid administration administratie "
    "administratief administratieve administrativo administrativa amministrativo amministrativa "
    "comunicacion communication communications events")
)
#: compound modifiers too generic to give a function to a long word on their own
PREFIX_EXCLUDED = frozenset(_w("it ict werk werks betrieb betriebs produkt product project projekt system systeem data daten material team"))

HEAD_LENGTHS = sorted({len(h) for h in COMPOUND_HEADS}, reverse=True)
MOD_LENGTHS = sorted({len(m) for m in COMPOUND_MODIFIERS}, reverse=True)

ASSISTANT = frozenset(_w(
    "assistant assistent assistentin assistente asistente assistante secretary "
    "secretaresse sekretarin secretaire secretaria segretaria")
)
DEPUTY = frozenset(_w(
    "deputy stellvertretender stellvertretende stv adjunct adjoint adjointe adjunto "
    "adjunta vice vicedirecteur vicedirettore plaatsvervangend sous")
)
IC_BEFORE_MANAGER = frozenset(_w("account key project projekt product produkt program programme category"))
EXEC = frozenset(_w("ceo cfo coo cto cio md gf pdg dg presidente direttore directora amministratore gerente directeur director direktor directie board president vorstand geschaftsfuhrung geschaftsfuhrer directeur direction direzione direccion management"))
STOP = frozenset(_w("with from into voor van het bij und der die des fur pour avec dans chez para como della delle degli presso"))
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
