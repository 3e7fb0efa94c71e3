"""Events in text the rules were not written for (issue 4): triggers that were missing, an
actor named in the next sentence, statements that are no event, bans and charges that exist
already, company posts, and the registries. Each test runs real sentences through the real
tagger; none of them is a gold sentence."""

from tests.conftest_nlp import (
    events_of,
    tag_one,
    tagger_fixture,  # noqa: F401  (the session fixture)
    titles_of,
)


def _finds(tagger, cases: dict[str, tuple[str, str, bool]], published: str = "2021-05-21"):
    """Each text gives (at least) its event: (type, modality, is_news)."""
    for text, expected in cases.items():
        assert expected in events_of(tag_one(tagger, text, published=published)), text


def _roles(event) -> set[tuple[str, str]]:
    return {(r.entity_id, r.role) for r in event.roles}


def test_events_supervision_refraining_pledge_and_orders_to_banks(tagger):
    t = tag_one(tagger, "Singapore's central bank said on Monday it would bring stablecoin "
                        "issuers under its supervision next year.")
    assert events_of(t) == {("regulation", "planned", True)}
    assert t.events[0].rule_id == "regulation.supervision"
    assert ("sg-mas", "actor") in _roles(t.events[0])
    t = tag_one(tagger, "Japan will not finance new coal power plants overseas, Prime Minister "
                        "Fumio Kishida said on Tuesday.")
    assert events_of(t) == {("pledge", "happened", True)}  # the "not" is the pledge
    assert ("place:JP", "actor") in _roles(t.events[0])
    t = tag_one(tagger, "The Central Bank of Nigeria ordered banks to freeze accounts of crypto "
                        "exchanges on Friday.")
    assert events_of(t) == {("ban", "happened", True)}
    assert ("ng-cbn", "actor") in _roles(t.events[0])
    # a company refraining is no pledge
    t = tag_one(tagger, "Acme Corp will not build new plants in Ohio, its chief executive said.")
    assert t.events == []


def test_events_actor_named_in_the_next_sentences_attribution(tagger):
    t = tag_one(tagger, "A former vice mayor of Baotou has been expelled from the Communist "
                        "Party. Wang Lei, 58, was found to have taken bribes, the Inner Mongolia "
                        "Commission for Discipline Inspection said on Friday.")
    assert events_of(t) == {("expulsion", "happened", True)}
    assert {("cn-nm-cdi", "actor"), ("person:wang-lei", "target")} <= _roles(t.events[0])
    # a body speaking after an opening adverb speaks of other news
    t = tag_one(tagger, "Zhang Wei has been expelled from the Communist Party. Separately, the "
                        "NDRC said it would cut coal prices.")
    expulsion = next(e for e in t.events if e.type == "expulsion")
    assert not any(r.role == "actor" for r in expulsion.roles)


def test_events_generic_statements_candidates_and_pressure_are_not_done(tagger):
    t = tag_one(tagger, "Officials said suspicious transfers need to be carefully investigated "
                        "before any accounts are frozen.")
    assert t.events == []
    # a candidate holds no office; the aside between dashes does not act for him
    t = tag_one(tagger, "In Virginia, the Republican candidate, Tom Hale — whose brother, as "
                        "mayor, cut property taxes — pledged to cut carbon emissions by half.")
    assert t.events == []
    t = tag_one(tagger, "Lawmakers pressed the Securities and Exchange Commission to "
                        "investigate Coinbase.")
    assert events_of(t) == {("investigation", "hypothetical", True)}
    # a negation of another verb far before the trigger does not deny it
    t = tag_one(tagger, "He did not know that the governor saw the request to investigate "
                        "Coinbase by the Securities and Exchange Commission.")
    assert ("investigation", "denied", True) not in events_of(t)
    # a negation before a hypothetical cue negates the cue, not the trigger
    t = tag_one(tagger, "India's central bank did not say whether it would ban stablecoins.")
    assert events_of(t) == {("ban", "hypothetical", True)}
    t = tag_one(tagger, "India's central bank said it would not ban stablecoins.")
    assert events_of(t) == {("ban", "denied", True)}
    t = tag_one(tagger, "Lawmakers urged India's government not to ban crypto trading.")
    assert events_of(t) == {("ban", "hypothetical", True)}
    # (a call by analysts is no event: the labelling policy)
    t = tag_one(tagger, "Analysts urged India's government not to ban crypto trading.")
    assert t.events == []


def test_events_a_ban_or_charges_named_as_a_bare_noun_are_no_event(tagger):
    # the labelling policy: a bare noun naming one that exists is no event
    t = tag_one(tagger, "Miners in Sichuan kept operating under the 2021 mining ban, state "
                        "media said.")
    assert events_of(t) == set()
    # a court striking one down is news of its own (regulation), the ban recalled
    t = tag_one(tagger, "A Hong Kong court struck down the government's mask ban on Monday.")
    assert events_of(t) == {("ban", "happened", False), ("regulation", "happened", True)}
    t = tag_one(tagger, "Do Kwon was extradited to the United States on Monday. He faces up to "
                        "20 years in prison if convicted of all the charges against him.")
    # the extradition is the news; the charges it answers exist already; the prison term he
    # faces if convicted is a hypothetical sentence (as all five blind texts with "if
    # convicted" label it)
    assert events_of(t) == {("prosecution", "happened", True), ("sentence", "hypothetical", True)}
    # brought in now: news
    t = tag_one(tagger, "Kazakhstan's government imposed the ban on Monday.")
    assert events_of(t) == {("ban", "happened", True)}
    t = tag_one(tagger, "China's ban on crypto trading, announced on Friday, sent bitcoin "
                        "prices lower.")
    assert events_of(t) == {("ban", "happened", True)}
    t = tag_one(tagger, "Hong Kong's proposed ban on stablecoin interest drew criticism.")
    assert events_of(t) == {("ban", "planned", True)}


def test_events_company_posts_are_no_appointment(tagger):
    assert tag_one(tagger, "Jane Doe was named chief executive of Acme Corp on Monday.").events \
        == []
    assert tag_one(tagger, "Acme Corp named Jane Doe its chief executive on Monday.").events == []
    t = tag_one(tagger, "Jane Doe was named governor of the Reserve Bank of India on Monday.")
    assert events_of(t) == {("appointment", "happened", True)}
    # "Chad" is a place, but "Chad Wolf" a person
    t = tag_one(tagger, "Chad Wolf has been named acting secretary of Homeland Security.")
    assert ("person:chad-wolf", "target") in _roles(t.events[0])


def test_events_kosovo_acts(tagger):
    t = tag_one(tagger, "Kosovo banned crypto mining on Tuesday.")
    assert events_of(t) == {("ban", "happened", True)}
    assert ("place:XK", "actor") in _roles(t.events[0])


def test_events_one_measure_one_event_and_a_vow_to_act_is_the_act(tagger):
    # the measure's effective date, later in the text, is not an event of its own
    t = tag_one(tagger, "Chile's central bank banned crypto payments on Monday. The ban will "
                        "take effect on March 3.", published="2024-02-05")
    assert events_of(t) == {("ban", "happened", True)}
    # another body's rules coming into force are
    t = tag_one(tagger, "Parliament passed the act on Thursday. The Financial Conduct Authority "
                        "said its new rules would come into force in October.",
                published="2023-06-29")
    assert ("regulation", "planned", True) in events_of(t)
    t = tag_one(tagger, "The State Council vowed to crack down on bitcoin mining.")
    assert events_of(t) == {("crackdown", "planned", True)}


def test_events_calls_by_others_and_adjectives_of_place_make_no_event(tagger):
    assert tag_one(tagger, "Environmental groups called on Texas to ban new mining farms.")\
        .events == []
    t = tag_one(tagger, "The FATF called on countries to introduce the travel rule.")
    assert events_of(t) == {("regulation", "hypothetical", True)}
    assert tag_one(tagger, "Glint, a Texas-based exchange, pledged to overhaul its controls. "
                           "The company also said it would ban staff from trading.").events == []
    # a circumstance named by a noun, no report of the act
    assert tag_one(tagger, "Under China's mining ban, many operators moved to Texas.").events \
        == []


def test_events_bills_proposals_and_dates_of_other_clauses(tagger):
    t = tag_one(tagger, "Brazil's Senate approved a bill that would ban crypto mining.")
    assert events_of(t) == {("regulation", "happened", True), ("ban", "hypothetical", True)}
    t = tag_one(tagger, "The rules, first proposed by the European Commission in July 2021, "
                        "set up a new authority.", published="2024-04-25")
    assert events_of(t) == {("regulation", "happened", False)}
    # "in April", written in June: history the article recalls
    t = tag_one(tagger, "In April the Fed withdrew guidance on crypto activities.",
                published="2025-06-05")
    assert events_of(t) == {("regulation", "happened", False)}
    # the date of a clause about something else does not date the event
    t = tag_one(tagger, "Ghana's central bank has lifted a ban on crypto accounts, reversing a "
                        "March 2021 directive.", published="2023-12-27")
    assert ("regulation", "happened", True) in events_of(t)
    # "by the end of April" cancels nothing; "and stop approving" shares the "will"
    t = tag_one(tagger, "Yunnan will close all mining farms by the end of April and stop "
                        "approving new ones.", published="2021-02-26")
    assert events_of(t) == {("crackdown", "planned", True), ("ban", "planned", True)}


def test_events_a_place_owning_a_name_and_a_list_of_asked_acts(tagger):
    # the model reads "The European Union's Markets" as one organisation; the Union acts
    t = tag_one(tagger, "The European Union's Markets in Crypto-Assets regulation took full "
                        "effect on Monday.", published="2024-12-30")
    assert events_of(t) == {("regulation", "happened", True)}
    # a trigger in a list after a comma shares the clause's cue ("asks the court to")
    t = tag_one(tagger, "The SEC asks the court to order the return of ill-gotten gains, impose "
                        "civil penalties and bar the firm from trading.")
    assert ("penalty", "hypothetical", True) in events_of(t)
    assert ("penalty", "happened", True) not in events_of(t)


def test_events_who_acts_for_a_place_and_for_two_bodies(tagger):
    def actors(text):
        return {r.entity_id for e in tag_one(tagger, text).events for r in e.roles
                if r.role == "actor"}

    # the body the sentence is attributed to acts for the place it speaks for
    assert actors("Sichuan will close all mining farms by June, the Sichuan Development and "
                  "Reform Commission said on Friday.") == {"cn-sc-drc"}
    # two bodies joined by "and": the first leads
    assert actors("The Financial Services Commission and the Financial Supervisory Service "
                  "will inspect six banks.") == {"kr-fsc"}
    # "a European Union-wide ban" is an adjective, not the EU acting
    assert "place:EU" not in actors("Sweden's financial watchdog called for a European "
                                    "Union-wide ban on crypto mining.")


def test_events_an_owner_in_a_body_name_is_mentioned_but_does_not_act(tagger):
    t = tag_one(tagger, "Gao Jianhua is under investigation, the Communist Party's top "
                        "anti-graft body said on Saturday.")
    assert {"cn-ccdi", "cn-cpc"} <= {e.id for e in t.entities if e.kind == "agency"}
    assert {r.entity_id for e in t.events for r in e.roles if r.role == "actor"} == {"cn-ccdi"}


def test_events_new_topics_name_what_a_ban_targets(tagger):
    def targets(text):
        return {r.entity_id for e in tag_one(tagger, text).events for r in e.roles
                if r.role == "target"}

    assert targets("The FCA banned the sale of derivatives and exchange-traded notes that "
                   "reference cryptocurrencies.") == {"topic:crypto-derivatives"}
    assert targets("Ghana's central bank banned the use of cryptocurrencies to pay for goods.") \
        == {"topic:crypto-payments"}


def test_events_wire_phrasing_of_arrests_settlements_and_moratoria(tagger):
    t = tag_one(tagger, "Prosecutors in Jiangsu have approved the arrest of Chen Ming, a former "
                        "official of the provincial energy bureau, the Jiangsu Provincial People's "
                        "Procuratorate said on Friday.", published="2023-03-11")
    assert events_of(t) == {("prosecution", "happened", True)}  # not an approval
    assert ("cn-js-procuratorate", "actor") in _roles(t.events[0])
    t = tag_one(tagger, "Crypto lender Acme Lend will pay $5 million and disgorge fees under a "
                        "settlement approved by the Securities and Exchange Commission on Monday.",
                published="2023-03-14")
    assert {e.type for e in t.events} == {"penalty"}  # a settlement approved is no approval
    t = tag_one(tagger, "The Reserve Bank of India has imposed a two-year moratorium on new "
                        "licences for crypto exchanges, effective March 1.", published="2023-02-27")
    assert events_of(t) == {("ban", "happened", True)}  # a start date is no past date
    t = tag_one(tagger, "Governor Jane Doe of Ohio has signed into law a two-year moratorium on "
                        "new mining permits.", published="2023-02-27")
    assert {e.type for e in t.events} == {"ban"}  # the law is the ban


def test_events_orders_with_deadlines_and_speakers_of_passives(tagger):
    t = tag_one(tagger, "Power companies in Yunnan have been told to stop supplying electricity "
                        "to 12 cryptocurrency mining farms by Sunday, according to the Yunnan "
                        "Development and Reform Commission.", published="2021-06-20")
    assert events_of(t) == {("crackdown", "happened", True)}  # the order is given now
    t = tag_one(tagger, "The Central Bank of Nigeria said on Friday that all crypto-related "
                        "payments are illegal and must be banned.", published="2021-09-24")
    assert events_of(t) == {("ban", "happened", True)}
    assert ("ng-cbn", "actor") in _roles(t.events[0])  # who says so is not what is banned


def test_events_appositions_do_not_act(tagger):
    t = tag_one(tagger, "The Wuhan Intermediate People's Court found that the gang, operating "
                        "under the name Moon Wealth, promised returns of 2 percent a day.")
    assert not any(e.type == "pledge" for e in t.events)
    t = tag_one(tagger, "John Smith, a businessman running for governor of Chile's Biobio "
                        "region, promised on Tuesday to exempt miners from taxes.")
    assert t.events == []


def test_events_conditions_periods_of_conduct_and_settled_payments(tagger):
    t = tag_one(tagger, "If the IMF insisted, the government would consider banning crypto "
                        "trading, the Indian finance minister said.", published="2023-01-25")
    assert ("ban", "hypothetical", True) in events_of(t)
    t = tag_one(tagger, "The Central Bank of Ireland has fined crypto exchange Acme 2 million "
                        "euros for serving customers without a registration between March 2020 "
                        "and May 2022, the central bank said on Thursday.", published="2023-01-19")
    assert events_of(t) == {("penalty", "happened", True)}  # the breach's dates are not its own
    t = tag_one(tagger, "Crypto platform Acme paid C$2 million under a settlement approved by "
                        "the Ontario Securities Commission on Wednesday.", published="2022-06-30")
    assert events_of(t) == {("penalty", "happened", True)}  # no approval
    t = tag_one(tagger, "The Financial Conduct Authority has granted London-based Acme Custody a "
                        "licence to hold cryptocurrencies.", published="2022-06-30")
    assert events_of(t) == {("approval", "happened", True)}


def test_events_round4_phrasings_of_each_type(tagger):
    cases = {
        "Li Hua, former deputy mayor of Ordos, has been placed on file for review and "
        "investigation, the Ordos Municipal Commission for Discipline Inspection said.":
            ("investigation", "happened", True),
        "Police in Kerala took three men into custody on Monday for running a crypto Ponzi "
        "scheme.": ("prosecution", "happened", True),
        "A Russian national has been charged in Manhattan federal court with operating an "
        "unlicensed exchange, the Justice Department said.": ("prosecution", "happened", True),
        "FINMA ordered Alpenblock AG to surrender 2.3 million Swiss francs in profits.":
            ("penalty", "happened", True),
        "The Estonian Financial Intelligence Unit revoked the licence of Kaldera Exchange on "
        "Tuesday.": ("penalty", "happened", True),
        "The Wyoming Stable Token Commission on Thursday named Laura Brennan as its first "
        "executive director.": ("appointment", "happened", True),
        "The Ordos Municipal Development and Reform Commission carried out a joint operation "
        "against virtual currency mining.": ("crackdown", "happened", True),
        "The State Administration of Foreign Exchange issued guidance on cross-border crypto "
        "payments on Friday.": ("regulation", "happened", True),
    }
    _finds(tagger, cases)


def test_events_measure_in_a_passive_sentence_is_the_main_body_s(tagger):
    t = tag_one(tagger, "Crypto firms in Singapore will be barred from offering staking to "
                        "retail customers from mid-2024. The Monetary Authority of Singapore "
                        "said the rules protect investors.")
    ban = next(e for e in t.events if e.type == "ban")
    assert ("sg-mas", "actor") in _roles(ban)
    # no body named at all: no ban
    t = tag_one(tagger, "Crypto firms will be barred from offering staking, analysts expect.")
    assert "ban" not in {e.type for e in t.events}


def test_events_since_a_past_year_is_history_since_this_spring_is_news(tagger):
    t = tag_one(tagger, "Police have arrested more than 2,300 suspects since a nationwide "
                        "campaign began in April, the Ministry of Public Security said.",
                published="2024-09-20")
    assert ("prosecution", "happened", True) in events_of(t)
    t = tag_one(tagger, "Nepal's central bank has banned crypto trading since 2017.",
                published="2024-09-20")
    assert events_of(t) == {("ban", "happened", False)}


def test_events_round5_wire_copy(tagger):
    # a dateline is not the first sentence's subject
    t = tag_one(tagger, "NEW YORK (AP) — The founder of a collapsed cryptocurrency hedge fund was "
                        "sentenced Wednesday to eight years in prison. U.S. District Judge Harriet "
                        "Kwon also ordered him to forfeit $96 million.")
    assert {("sentence", "happened", True), ("penalty", "happened", True)} <= events_of(t)
    penalty = next(e for e in t.events if e.type == "penalty")
    assert ("person:harriet-kwon", "actor") in _roles(penalty)  # a judge acts
    cases = {
        "WASHINGTON (Reuters) - The U.S. Senate on Wednesday voted 52-44 to confirm Garrett "
        "Haldane as chairman of the Securities and Exchange Commission.":
            ("appointment", "happened", True),
        "Britain's finance ministry on Monday named Rohan Mehta, head of the London Stock "
        "Exchange's UK business, as the next chief executive of the Financial Conduct "
        "Authority.": ("appointment", "happened", True),
        "TOKYO, March 8 (Reuters) - Japan's Financial Services Agency on Thursday ordered two "
        "cryptocurrency exchanges, Kanshin Bit and Sakuragi Exchange, to suspend operations for "
        "one month.": ("penalty", "happened", True),
        "SEOUL, May 25 (Yonhap) -- The main opposition Democratic Party on Thursday expelled "
        "first-term lawmaker Jung Min-seok over his undisclosed crypto holdings.":
            ("expulsion", "happened", True),
    }
    _finds(tagger, cases)


def test_events_company_titles_are_kept_but_are_no_officials(tagger):
    t = tag_one(tagger, "The SEC sued Halcyon Finance on Monday, a day after its founder, Dana "
                        "Whitfield, denied wrongdoing. \"Investors were misled,\" said Gwendolyn "
                        "Ashby, director of the SEC's Division of Enforcement.")
    titled = {m.entity_id: m for m in t.mentions if m.title}
    assert titled["person:dana-whitfield"].rule_id.endswith(":private")
    assert not titled["person:gwendolyn-ashby"].rule_id.endswith(":private")
    sued = next(e for e in t.events if e.type == "prosecution")
    assert ("person:dana-whitfield", "official") not in _roles(sued)


def test_events_round5_official_english_and_vows(tagger):
    cases = {
        'The PBOC said it would "resolutely clamp down" on illegal financial activities '
        "involving virtual currencies.": ("crackdown", "planned", True),
        "Fang Lihua, a spokeswoman for the National Development and Reform Commission, said "
        "the agency would work with other departments to screen and rectify mining projects.":
            ("crackdown", "planned", True),
        "The Reserve Bank of India on Thursday barred entities it regulates from providing "
        "services to businesses dealing in virtual currencies.": ("ban", "happened", True),
        "ALBANY, N.Y. — Gov. Ellen Marchetti on Tuesday signed legislation imposing a two-year "
        "moratorium on new permits for crypto mining plants.": ("ban", "happened", True),
        "The Australian Securities and Investments Commission has commenced civil penalty "
        "proceedings in the Federal Court against crypto exchange operator Wattle Digital.":
            ("prosecution", "happened", True),
    }
    _finds(tagger, cases)
    # a vow dated last month is a plan reported then: background, and no pledge of its own
    t = tag_one(tagger, "China's Financial Stability and Development Committee vowed last month "
                        "to crack down on bitcoin mining and trading.", published="2021-06-20")
    assert events_of(t) == {("crackdown", "planned", False)}


def test_events_round5_one_measure_one_event(tagger):
    # rules banning something are the ban; a later "the ban" is the same one
    t = tag_one(tagger, "The FCA has today published final rules banning the sale of crypto "
                        "derivatives to retail consumers. The FCA estimates that consumers could "
                        "save around £53m from the ban in a year.")
    assert events_of(t) == {("ban", "happened", True)}
    # approving a measure is the measure
    t = tag_one(tagger, "Sweden's parliament on Wednesday approved scrapping a tax break on "
                        "electricity used by data centres.")
    assert events_of(t) == {("regulation", "happened", True)}
    # a call for a ban is no ban; people being promised returns is no authority's pledge
    t = tag_one(tagger, "The Bank of Russia on Tuesday reiterated its call for a ban on using "
                        "cryptocurrencies for payments.")
    assert ("ban", "happened", True) not in events_of(t)
    t = tag_one(tagger, "Investors were promised guaranteed returns, the Serious Fraud Office "
                        "said.")
    assert "pledge" not in {e.type for e in t.events}


def test_events_round5_relative_clause_is_history(tagger):
    t = tag_one(tagger, "Governor Johnson Asiama, who was appointed by President John Mahama "
                        "earlier this year, told reporters the bank would issue rules.",
                published="2025-06-12")
    assert ("appointment", "happened", False) in events_of(t)
    assert ("appointment", "happened", True) not in events_of(t)


def test_events_round6_phrasings(tagger):
    cases = {
        "Luo Jianhua, former director of the Xinyu Municipal Development and Reform Commission, "
        "has been expelled from the Party. His case has been handed over to the Xinyu Municipal "
        "People's Procuratorate for review and prosecution.": ("prosecution", "happened", True),
        "An inspection conducted by the Monetary Authority of Singapore in 2022 found that "
        "Tembusu Digital had failed to file suspicious transaction reports.":
            ("investigation", "happened", False),
        "The Hong Kong Monetary Authority reminds members of the public to stay alert to "
        "fraudulent websites.": ("warning", "happened", True),
        "Hong Kong's Securities and Futures Commission said on Thursday it had granted licences "
        "to two more virtual asset trading platforms.": ("approval", "happened", True),
        "Inner Mongolia will clear out all cryptocurrency mining projects by the end of April, "
        "the regional Development and Reform Commission said.": ("crackdown", "planned", True),
        "The Manitoba government has ordered an 18-month pause on new cryptocurrency mining "
        "operations connecting to the grid.": ("ban", "happened", True),
        "The People's Bank of China has no plans to relax its prohibition on cryptocurrency "
        "trading, a spokesman said.": ("regulation", "denied", True),
    }
    _finds(tagger, cases, published="2024-05-10")
    # what a proposal "would require" is the proposal, not a second measure
    t = tag_one(tagger, "FinCEN on Thursday proposed treating crypto mixing as a primary money "
                        "laundering concern, a step that would require banks to keep records.")
    assert events_of(t) == {("regulation", "happened", True)}


def test_events_round6_modality_and_news(tagger):
    # publishing a draft is the proposal made; a bill to ban is the ban
    t = tag_one(tagger, "HM Treasury has today published draft legislation that will bring "
                        "crypto exchanges within the regulatory perimeter.")
    assert ("regulation", "happened", True) in events_of(t)
    t = tag_one(tagger, "Justice Minister Park Sang-ki said his ministry was preparing a bill to "
                        "ban trading on crypto exchanges.")
    assert "regulation" not in {e.type for e in t.events}
    cases = {
        # habitual warnings are history; a recommendation is hypothetical; no proposal denies
        "The Reserve Bank of India has repeatedly warned that private cryptocurrencies pose a "
        "threat to financial stability.": ("warning", "happened", False),
        "The European Systemic Risk Board recommended banning such schemes.":
            ("ban", "hypothetical", True),
        "India's government has no proposal at present to ban cryptocurrencies, a minister said.":
            ("ban", "denied", True),
        # a participle after a comma is a clause of its own, not part of the call before it
        "The Financial Action Task Force on Tuesday called on countries to implement its "
        "standards, warning that gaps in supervision help criminals.":
            ("warning", "happened", True),
        # a start date is not when the ban was decided
        "Russia's government has banned cryptocurrency mining in 10 regions from Jan. 1 until "
        "March 2031.": ("ban", "happened", True),
        # "high-pressure" is no pressure on someone to act
        "Police would maintain a high-pressure posture against money laundering through "
        "crypto, the Ministry of Public Security said.": ("crackdown", "planned", True),
    }
    _finds(tagger, cases, published="2024-12-10")


def test_events_round7(tagger):
    cases = {
        "The Financial Sector Conduct Authority has approved 59 licence applications, "
        "Commissioner Thabo Mokoena said. He warned consumers to deal only with authorised "
        "providers.": ("warning", "happened", True),  # "he": the official named before
        "Police in Baotou seized 2,136 mining machines in a campaign against power theft by "
        "crypto miners in Inner Mongolia.": ("crackdown", "happened", True),
        "Britain's Financial Conduct Authority said it was investigating.":
            ("investigation", "happened", True),  # a body acting on someone unnamed
        "The Federal Court has ordered Bluegum Digital to pay a A$10 million penalty, the "
        "Australian Securities and Investments Commission said.": ("penalty", "happened", True),
        "New York's Senate passed the measure on Friday. The measure, approved 36-27 in the "
        "closing hours of the session, now heads to the governor.":
            ("regulation", "happened", True),
    }
    _finds(tagger, cases, published="2024-06-10")
    t = tag_one(tagger, "The measure, approved 36-27 by the New York Senate, now heads to the "
                        "governor.")
    assert "approval" not in {e.type for e in t.events}  # a law passed is no approval
    t = tag_one(tagger, "Cases need to be carefully investigated, a director of India's "
                        "Enforcement Directorate said.")
    assert t.events == []


def test_events_round8(tagger):
    cases = {
        "China's top economic planner said on Friday it will launch a campaign against "
        "cryptocurrency mining, barring new projects.": ("ban", "planned", True),
        "Enterprises are strictly forbidden from providing electricity to mining projects, the "
        "Sichuan Provincial Development and Reform Commission said.": ("ban", "happened", True),
        "Kazakhstan's Financial Monitoring Agency said it had opened criminal investigations "
        "into four companies running unregistered mining farms.":
            ("investigation", "happened", True),
        "Iranian police have seized about 7,000 mining machines in raids on illegal farms, the "
        "Ministry of Energy said.": ("crackdown", "happened", True),
        "New York's Department of Financial Services has ordered Meridian Trust Co to stop "
        "minting new units of its stablecoin.": ("penalty", "happened", True),
        "Brandt said the Federal Reserve would rewrite guidance that discouraged banks from "
        "serving digital asset firms.": ("regulation", "planned", True),
    }
    _finds(tagger, cases, published="2024-06-10")
    # ordering utilities to stop supplying miners is the crackdown, not also a ban
    t = tag_one(tagger, "Sichuan authorities have ordered power companies to stop supplying "
                        "electricity to 26 crypto mining projects.")
    assert events_of(t) == {("crackdown", "happened", True)}
    # a vow dated by "in 2021" dates the plan; what an order "follows" is history
    t = tag_one(tagger, "Hebei was among the provinces that vowed in 2021 to root out "
                        "cryptocurrency mining in industrial parks.", published="2024-06-10")
    assert events_of(t) == {("crackdown", "planned", False)}
    t = tag_one(tagger, "The order follows a ban on initial coin offerings announced by the "
                        "People's Bank of China.", published="2017-09-20")
    assert ("ban", "happened", False) in events_of(t)


def test_events_round9(tagger):
    _finds(tagger, {
        "The Economic and Financial Crimes Commission on Monday arraigned Tidewave Exchange and "
        "two of its executives before the Federal High Court in Abuja.":
            ("prosecution", "happened", True),
        "The Securities and Exchange Commission today charged Larkspur Digital Inc., a New "
        "York-based crypto lending platform, with defrauding investors.":
            ("prosecution", "happened", True),
        "Shenzhen's market regulator ordered 12 companies to remove advertisements for "
        "blockchain investment products. The move is part of a campaign launched in June.":
            ("crackdown", "happened", True),
        "The Qinghai Provincial Development and Reform Commission raised electricity prices "
        "for enterprises found mining cryptocurrencies to punitive levels.":
            ("regulation", "happened", True),
        "Britain's Financial Conduct Authority has added 221 crypto firms to its public "
        "warning list.": ("warning", "happened", True),
        "Ethiopia's state power utility Ethiopian Electric Power has stopped signing new "
        "electricity supply agreements with cryptocurrency miners, the Ministry of Water and "
        "Energy said.": ("ban", "happened", True),
        "European Union negotiators reached a provisional deal on Thursday on a package of "
        "anti-money laundering rules, the Council of the EU said.":
            ("regulation", "happened", True),
    }, published="2024-03-20")
    # market conditions are no measure
    t = tag_one(tagger, "Crypto miners are moving machines out of Kazakhstan as higher "
                        "electricity prices bite.")
    assert t.events == []
    # talk of a ban is none; loosening a ban is no ban
    t = tag_one(tagger, "'A ban is not on the table,' US Treasury Secretary Margaret Ellison "
                        "said.")
    assert "ban" not in {e.type for e in t.events}
    t = tag_one(tagger, "The People's Bank of China has no plans to loosen its ban on "
                        "cryptocurrency trading.")
    assert events_of(t) == {("regulation", "denied", True)}


def test_events_round10(tagger):
    _finds(tagger, {
        "China's central bank said on Monday that initial coin offerings were illegal and "
        "ordered a halt to all fundraising through token sales.": ("ban", "happened", True),
        "The People's Bank of China said it would step up inspections of ICO platforms.":
            ("crackdown", "planned", True),
        "Hong Kong's Securities and Futures Commission has given conditional approval to the "
        "city's first spot bitcoin exchange-traded funds.": ("approval", "happened", True),
        "Dubai's Virtual Assets Regulatory Authority said it was also looking into the conduct "
        "of several other entities.": ("investigation", "happened", True),
        "Pakistan's finance ministry on Friday named Bilal Sheraz chief executive of the newly "
        "created Pakistan Crypto Council.": ("appointment", "happened", True),
        "The European Parliament on Thursday gave its final approval to the Markets in "
        "Crypto-Assets regulation.": ("regulation", "happened", True),
        "Thailand's Securities and Exchange Commission filed criminal complaints against the "
        "operators of two platforms.": ("prosecution", "happened", True),
    }, published="2024-04-20")
    # "step up efforts to curb scams" is no crackdown of its own
    t = tag_one(tagger, "Thailand will block access to five unlicensed exchanges, the "
                        "Securities and Exchange Commission said, as authorities step up "
                        "efforts to curb online scams.")
    assert events_of(t) == {("crackdown", "planned", True)}


def test_events_round11_one_verdict_one_probe_and_company_posts(tagger):
    # a fine joined to a jail term is the court's sentence, not a penalty of its own
    t = tag_one(tagger, "The Yancheng Intermediate People's Court said Chen Bo was jailed for "
                        "11 years and fined 6 million yuan for running a pyramid scheme.")
    assert {e.type for e in t.events} == {"sentence"}
    # a raid as part of a probe is the probe's step, not a crackdown
    t = tag_one(tagger, "Inspectors from the Financial Supervisory Service raided two exchanges "
                        "as part of a probe into alleged tax evasion.")
    assert "crackdown" not in {e.type for e in t.events}
    t = tag_one(tagger, "Inspectors from the Financial Supervisory Service raided two exchanges "
                        "on Tuesday.")
    assert "crackdown" in {e.type for e in t.events}
    # a post at a company named with its city is still a company post
    t = tag_one(tagger, "The commission said Sun Lixin, former general manager of the "
                        "Zhangjiakou power supply company, had been expelled from the Party.")
    titled = {m.entity_id: m for m in t.mentions if m.title}
    assert titled["person:sun-lixin"].rule_id.endswith(":private")


def test_events_round12_requirements_and_the_watchdog(tagger):
    # a rule that requires firms to be authorised approves nobody
    t = tag_one(tagger, "The draft rules will require firms selling crypto in the UK to be "
                        "authorised by the Financial Conduct Authority.")
    assert "approval" not in {e.type for e in t.events}
    # "the watchdog" is the regulator named before it
    t = tag_one(tagger, "Britain's Financial Conduct Authority issued 450 alerts on Tuesday. "
                        "The watchdog said it planned to step up action against firms using "
                        "influencers.")
    crackdown = next(e for e in t.events if e.type == "crackdown")
    assert (crackdown.modality, ("gb-fca", "actor") in _roles(crackdown)) == ("planned", True)


def test_events_round13_proposals_appointments_and_organs(tagger):
    # a ban proposed is a regulation that happened (the labelling policy)
    t = tag_one(tagger, "Russia's central bank on Thursday proposed banning the use and mining "
                        "of cryptocurrencies.")
    assert events_of(t) == {("regulation", "happened", True)}
    # the post is what follows "as"; what the person was before it is not the post
    t = tag_one(tagger, "Venezuela's government on Wednesday appointed economist Carolina Ruiz "
                        "as the new head of the national crypto regulator Sunacrip.")
    assert ("appointment", "happened", True) in events_of(t)
    # "a veteran of the foreign exchange regulator" describes a person, not a firm
    t = tag_one(tagger, "China's State Council has appointed Tian Xiaoming, a veteran of the "
                        "foreign exchange regulator, as a deputy governor of the People's Bank of "
                        "China.")
    appointed = next(e for e in t.events if e.type == "appointment")
    assert ("person:tian-xiaoming", "target") in _roles(appointed)
    # a body's own board acts for the body
    t = tag_one(tagger, "The International Monetary Fund's Executive Board on Friday approved a "
                        "$1.4 billion arrangement for El Salvador.")
    approved = next(e for e in t.events if e.type == "approval")
    assert ("intl-imf", "actor") in _roles(approved)


def test_events_round13_offices_conditions_and_raids(tagger):
    _finds(tagger, {
        "Kang Min-seok took office as governor of the Bank of Korea on Monday.":
            ("appointment", "happened", True),
        "Daulet Serikbayev has been relieved of his post as chairman of the National Bank of "
        "Kazakhstan, the presidential press office said.": ("expulsion", "happened", True),
        "A court in Makhachkala has sentenced a former police major to five years in a penal "
        "colony.": ("sentence", "happened", True),
        "Russian police carried out raids in Irkutsk and Bratsk on illegal mining farms, "
        "seizing 300 machines.": ("crackdown", "happened", True),
        # a plan on a condition is hypothetical; a proposal published is a regulation done
        "Norway's government said it would consider a ban if the register showed mining was "
        "spreading.": ("ban", "hypothetical", True),
        "The FCA published proposals on Tuesday to lift its ban on retail access to crypto "
        "exchange-traded notes.": ("regulation", "happened", True),
    }, published="2024-06-20")


def test_events_round14_denials_and_proposals_with_words_between(tagger):
    _finds(tagger, {
        "India has no plans at present to ban cryptocurrency trading, the minister said.":
            ("ban", "denied", True),
        "Norway's government on Wednesday proposed a temporary nationwide ban on new data "
        "centres used for mining.": ("regulation", "happened", True),
    })
    t = tag_one(tagger, "Norway's government on Wednesday proposed a temporary nationwide ban "
                        "on new data centres used for mining.")
    assert "ban" not in {e.type for e in t.events}


def test_events_round14_power_cuts_and_bars(tagger):
    _finds(tagger, {
        "Authorities in Sichuan have cut power to 26 suspected cryptocurrency mining sites, "
        "the provincial energy regulator said.": ("crackdown", "happened", True),
        "Venezuela will disconnect all cryptocurrency mining farms from the national "
        "electricity grid, the government announced.": ("crackdown", "planned", True),
        "Xinjiang has barred data centres in its industrial parks from hosting cryptocurrency "
        "mining machines.": ("ban", "happened", True),
    })


def test_events_round15_a_crackdown_named_as_a_bare_noun_is_no_event(tagger):
    for text in ("Miners began arriving in Ethiopia after China's 2021 crackdown.",
                 "Bitcoin miners fleeing China's clampdown are lining up to plug into the Texas "
                 "grid.",
                 "The company ran farms in Sichuan until the crackdown in the spring of 2021."):
        assert events_of(tag_one(tagger, text)) == set(), text
    _finds(tagger, {
        "Prosecutors would further intensify the crackdown on the use of cryptocurrencies to "
        "launder money, the Supreme People's Procuratorate said.": ("crackdown", "planned", True),
        "Beijing launched a crackdown on bitcoin mining on Friday.":
            ("crackdown", "happened", True),
    })


def test_events_round15_approvals_capacities_and_orders_to_named_firms(tagger):
    _finds(tagger, {
        "The China Securities Regulatory Commission has no plans to approve exchange-traded "
        "funds tracking bitcoin, a spokesperson said.": ("approval", "denied", True),
        "A former IT contractor who laundered bitcoin for a crime group was jailed for six "
        "years at Southwark Crown Court on Friday.": ("sentence", "happened", True),
        "Germany's financial regulator BaFin has ordered Frankfurt-based Kryptal GmbH to "
        "immediately stop its crypto custody business.": ("penalty", "happened", True),
    })
    # a capacity is no act; an order to a state utility is a measure, not a penalty
    t = tag_one(tagger, "The commission said Luo abused his power to approve electricity "
                        "quotas for mining firms.")
    assert "approval" not in {e.type for e in t.events}
    t = tag_one(tagger, "Quebec's government on Friday ordered Hydro-Québec to suspend new "
                        "power connections for crypto miners.")
    assert "penalty" not in {e.type for e in t.events}


def test_events_round16_proposals_votes_resolutions_and_blocks(tagger):
    _finds(tagger, {
        "The Bank of England proposed on Monday to cap the amount of stablecoins individuals "
        "can hold.": ("regulation", "happened", True),
        "El Salvador's Congress voted late on Wednesday to make acceptance of bitcoin "
        "voluntary.": ("regulation", "happened", True),
        "Vietnam's government has issued a resolution launching a five-year pilot programme "
        "for crypto trading platforms.": ("regulation", "happened", True),
        "The Securities and Exchange Commission will restrict access to five digital asset "
        "platforms operating without a licence.": ("crackdown", "planned", True),
        "China's central bank said on Thursday it would keep up its crackdown on crypto "
        "trading.": ("crackdown", "planned", True),
    }, published="2025-08-07")


def test_events_review_of_rounds_11_to_16(tagger):
    # a body whose name ends in "Authority" is no capacity ("power to", "authority to")
    _finds(tagger, {
        "The government has asked the Financial Conduct Authority to ban crypto derivatives "
        "for retail investors.": ("ban", "hypothetical", True),
        "The cabinet named Zhang Wei head of the energy regulator, as Ant Group Co. faces new "
        "scrutiny.": ("appointment", "happened", True),
    })
    # a firm hired to advise is no appointee
    t = tag_one(tagger, "The finance ministry appointed Morgan Stanley to advise on the sale of "
                        "its stake in the lender.")
    assert "appointment" not in {e.type for e in t.events}
    assert not [m for m in t.mentions if m.entity_id.startswith("person:")]


def test_events_round18_dismissals_cases_licences_and_proposals(tagger):
    _finds(tagger, {
        "Chairman of the Cabinet of Ministers Asylbek Tokonov has dismissed Deputy Minister "
        "of Agriculture Bolot Kadyrov.": ("expulsion", "happened", True),
        "The State Committee for National Security has opened a criminal case against two "
        "managers of the regional power company.": ("investigation", "happened", True),
        "Four men were charged in the magistrates' court on Monday over the thefts.":
            ("prosecution", "happened", True),
        "The Monetary Authority of Singapore has granted digital payment token licences to "
        "three more firms.": ("approval", "happened", True),
        "New York's Department of Environmental Conservation on Friday denied a permit "
        "renewal for the gas plant.": ("approval", "denied", True),
        "The Bank of Russia has proposed allowing qualified investors to buy bitcoin.":
            ("regulation", "happened", True),
        "Xinjiang has proposed electricity surcharges for enterprises found mining virtual "
        "currency.": ("regulation", "happened", True),
        "The Senate Agriculture Committee voted 12-8 on Thursday to advance the crypto market "
        "bill.": ("regulation", "happened", True),
        "The International Monetary Fund raised objections, cautioning Pakistani officials "
        "that discounted power could deepen losses.": ("warning", "happened", True),
    }, published="2025-06-20")
    # a post left for another job is no discipline
    t = tag_one(tagger, "By the same decree, Nurlan Abenov has been relieved of his post as "
                        "chairman of the agency in connection with his transfer to another "
                        "job.", published="2025-06-20")
    assert "expulsion" not in {e.type for e in t.events}
    # room to act is no act
    t = tag_one(tagger, "Cooling inflation will give the Federal Reserve room to cut interest "
                        "rates later this year, analysts said.", published="2025-06-20")
    assert t.events == []


def test_events_round18_what_a_bill_would_do_and_when_things_happened(tagger):
    t = tag_one(tagger, "The Senate passed the stablecoin bill on Tuesday. The bill would "
                        "require issuers to hold reserves in cash. It would also ban interest "
                        "payments to holders.", published="2025-06-20")
    assert events_of(t) == {("regulation", "happened", True), ("ban", "hypothetical", True)}
    # "in April this year", "earlier this year": before the news, so history
    _finds(tagger, {
        "Gao Ming was placed under disciplinary review and supervisory investigation in April "
        "this year.": ("investigation", "happened", False),
        "Authorities in Sichuan ordered mining farms to shut down earlier this year.":
            ("crackdown", "happened", False),
        # the ban had held since 2014; lifting it is the news
        "Bolivia's central bank has lifted a ban on crypto payments through banks that had "
        "been in place since 2014.": ("regulation", "happened", True),
    }, published="2021-10-29")
    # keeping up a crackdown is the crackdown planned, not a pledge besides
    t = tag_one(tagger, "The Central Commission for Discipline Inspection vowed to keep up its "
                        "crackdown on officials who shield illegal mining.",
                        published="2025-06-20")
    assert events_of(t) == {("crackdown", "planned", True)}
    # one ring broken up is a case, many are a crackdown
    t = tag_one(tagger, "Police in Shaoxing have broken up an underground banking ring that "
                        "used stablecoins.", published="2025-06-20")
    assert "crackdown" not in {e.type for e in t.events}
    _finds(tagger, {"Police in Zhejiang have broken up three underground banking rings that "
                    "used stablecoins.": ("crackdown", "happened", True)}, published="2025-06-20")


def test_events_round19_warnings_given_orders_to_all_and_steps_of_a_bill(tagger):
    _finds(tagger, {
        "The Agency calls on citizens to be vigilant and not to use the services of "
        "unlicensed exchanges, the Financial Monitoring Agency said.":
            ("warning", "happened", True),
        "The European Securities and Markets Authority reminded firms that the transitional "
        "period ends in July.": ("warning", "happened", True),
        "The Central Commission for Discipline Inspection exposed eight cases on Monday, "
        "warning Party members that violations will be punished.":
            ("warning", "happened", True),
        # an order to all of a kind is a general prohibition
        "Iran's Ministry of Energy has ordered all cryptocurrency mining farms, including "
        "licensed ones, to halt operations from June 1.": ("ban", "happened", True),
        "Criminal proceedings have been brought by the Financial Conduct Authority against "
        "Oliver Brandt.": ("prosecution", "happened", True),
        "The Monetary Authority of Singapore has issued a prohibition order against Lim Wei "
        "Jie.": ("penalty", "happened", True),
        "The Hong Kong Police Force has commenced an investigation into the platform.":
            ("investigation", "happened", True),
        "The province has set a goal of eliminating all virtual currency mining by the end of "
        "2022, the Zhejiang Provincial Development and Reform Commission said.":
            ("pledge", "happened", True),
        "The Central Bank of Iran instructed exchanges to connect to a rial gateway, under new "
        "regulations announced on Saturday.": ("regulation", "happened", True),
        "Vietnam's Deputy Prime Minister Bui Thanh Long has signed a decision approving the "
        "revised National Power Development Plan.": ("approval", "happened", True),
        # what a measure already made will do happened: it was made
        "Russia's government said mining will be prohibited in ten regions from Jan. 1 "
        "under a resolution published on Monday.": ("ban", "happened", True),
    }, published="2024-11-25")
    t = tag_one(tagger, "Kyrgyzstan's government has ordered all cryptocurrency mining farms to "
                        "be disconnected from the power grid until March 15.",
                published="2024-12-12")
    assert events_of(t) == {("ban", "happened", True)}
    # a bill's next step after it was reported is no event of its own
    t = tag_one(tagger, "Australia's Treasury on Wednesday released draft legislation for "
                        "crypto exchanges. The government intends to introduce the bill into "
                        "Parliament before the end of the year.", published="2025-09-24")
    assert events_of(t) == {("regulation", "happened", True)}
    # no tabled law in "sent to law enforcement"; markets' bets and unverified drafts are no
    # events
    for text in ("Materials on the remaining cases have been sent to law enforcement agencies "
                 "by the regional government.",
                 "Traders also priced in a 70% chance that the Federal Reserve will cut "
                 "interest rates this month.",
                 "Traders passed around screenshots of what purported to be a draft decree "
                 "imposing a levy on stablecoins."):
        assert tag_one(tagger, text, published="2024-12-05").events == [], text


def test_events_round19_dates_that_begin_or_compare(tagger):
    # "since March" this year: going on until now, so news; "below 2005 levels": a baseline
    _finds(tagger, {
        "Tavanir said its inspectors, backed by police, had disconnected 4,200 illegal mining "
        "sites and seized 38,000 devices since March.": ("crackdown", "happened", True),
        "Australia will cut greenhouse gas emissions by 62% to 70% below 2005 levels by 2035, "
        "the government said.": ("pledge", "happened", True),
        "The Monetary Authority of Singapore has issued prohibition orders against two former "
        "directors of Vauld, a crypto lender that froze withdrawals in 2022.":
            ("penalty", "happened", True),
    }, published="2024-05-21")


def test_events_round20_suits_orders_rates_and_dates_in_names(tagger):
    _finds(tagger, {
        # what a suit asks for is hypothetical
        "The Securities and Exchange Commission sued Hollis Digital on Monday. The SEC is "
        "seeking disgorgement and civil penalties.": ("penalty", "hypothetical", True),
        "The Tokyo District Court on Wednesday ordered Kaminari Exchange, a defunct exchange "
        "operator, and its former president to pay 1.2 billion yen in compensation.":
            ("penalty", "happened", True),
        "The State Bank of Pakistan decided to reduce the policy rate by 100 basis points.":
            ("regulation", "happened", True),
        # a proposal published is a regulation that happened
        "Britain's Financial Conduct Authority on Monday published proposed rules for "
        "stablecoin issuers.": ("regulation", "happened", True),
        # a year in a law's name is no date of the arrest
        "The Directorate of Enforcement has arrested businessman Srinivas Kandula under the "
        "Prevention of Money Laundering Act, 2002.": ("prosecution", "happened", True),
        # a date the decree takes effect on is not when the ban was made
        "Belarus has prohibited individuals from trading cryptocurrencies outside licensed "
        "exchanges under a decree that takes effect on January 1.":
            ("ban", "happened", True),
        # "in the first half of the year" is no history
        "China's Ministry of Public Security said police had cracked 380 underground banking "
        "cases in the first half of the year and arrested 2,100 suspects.":
            ("prosecution", "happened", True),
        "Beijing banned cryptocurrency trading and mining in 2021, the People's Bank of China "
        "said.": ("ban", "happened", False),
    }, published="2023-12-18")
    # a negation in a relative clause before the trigger does not deny it
    t = tag_one(tagger, "A Tacoma man who sold stakes in mining rigs that did not exist was "
                        "sentenced on Tuesday to 78 months in prison, prosecutors said.",
                published="2025-06-11")
    assert events_of(t) == {("sentence", "happened", True)}
    # what a provider is, is no approval
    t = tag_one(tagger, "Investors should check whether their provider is authorised, the "
                        "European Securities and Markets Authority said.",
                published="2025-06-11")
    assert "approval" not in {e.type for e in t.events}


def test_events_round21_bills_reversals_lists_and_states(tagger):
    _finds(tagger, {
        "The State Duma on Wednesday approved in a first reading a bill that would introduce "
        "fines for illegal mining.": ("regulation", "happened", True),
        # (the year names the directive, not the reversal)
        "The Central Bank of Nigeria reversed a 2021 directive barring banks from servicing "
        "crypto firms.": ("regulation", "happened", True),
        "Paraguay's Chamber of Deputies on Wednesday voted down a bill that sought to impose a "
        "moratorium on cryptocurrency mining.": ("ban", "denied", True),
        "Turkey's Capital Markets Board added the scheme's website to its list of unauthorised "
        "platforms on Monday.": ("warning", "happened", True),
        "The Economic and Financial Crimes Commission had declared Chinedu Okafor wanted in "
        "January.": ("prosecution", "happened", False),
        "Thailand's Securities and Exchange Commission has filed a criminal complaint with the "
        "Department of Special Investigation (DSI) against three former executives.":
            ("prosecution", "happened", True),
        "Kyrgyzstan's State Committee for National Security said it had dismantled 38 illegal "
        "mining farms since January.": ("crackdown", "happened", True),
        "Local officials found to have shielded mining would be held strictly accountable, the "
        "Inner Mongolia Development and Reform Commission said.":
            ("warning", "happened", True),
        "Britain's Financial Conduct Authority set out proposals on Thursday for regulating "
        "crypto trading platforms.": ("regulation", "happened", True),
    }, published="2025-06-12")
    for text, absent in (
            # a measure on a person is a penalty; a ban stated as law in force is no new one
            ("The ruling also prohibits the violator from working in securities firms for five "
             "years, the Capital Market Authority said.", "ban"),
            ("The Central Bank of Egypt warned that trading cryptocurrencies without a licence "
             "is prohibited under the banking law.", "ban"),
            # an app's promise is no pledge; an entity's status is no approval
            ("The People's Court sentenced Tran Minh Duc over an investment app that promised "
             "returns of 1 per cent a day.", "pledge"),
            ("According to the Financial Sector Conduct Authority, Zentrix is not authorised to "
             "render financial services.", "approval"),
            # pressure on an industry is no call to act
            ("Inner Mongolia shut down 47 mining sites as China keeps up pressure on an "
             "industry it outlawed in 2021.", "ban hypothetical")):
        found = {f"{e.type} {e.modality}" for e in tag_one(tagger, text,
                                                           published="2025-06-12").events}
        assert not any(f.startswith(absent) for f in found), text


def test_events_review_of_rounds_18_to_21(tagger):
    """Sentences a reviewer wrote against rounds 18 to 21's rules: each was mishandled by
    one of them before it was narrowed."""
    no_event = {
        "Chancellor Rachel Reeves set out plans to cut public spending by 5 billion pounds.",
        "The Bank of Japan said it would continue its bond-buying operations.",
        "Pakistan's Supreme Court dismissed the prosecutor's appeal against the acquittal of "
        "former minister Ali Khan.",
        "Binance appointed Richard Teng as chief executive after Changpeng Zhao pleaded guilty "
        "in a settlement with the Justice Department.",
        "The International Monetary Fund backed the measure on Tuesday.",
        "The Senate Banking Committee voted 13-11 to advance the nomination of Paul Atkins to "
        "lead the SEC.",
        "A Moscow court ordered all three defendants to be held in custody.",
        "Binance denied operating without a licence in India.",
    }
    for text in no_event:
        assert tag_one(tagger, text, published="2025-06-12").events == [], text
    _finds(tagger, {
        # "retirement benefits" are no reason for a post left
        "Li Jianguo has been expelled from the Communist Party of China and his retirement "
        "benefits have been revoked, the CCDI said.": ("expulsion", "happened", True),
        # what a relative clause dates is not the fine
        "The SEC fined the exchange $4.3 million on Monday over violations that occurred "
        "earlier this year.": ("penalty", "happened", True),
        "Sam Bankman-Fried appealed to the Second Circuit after he was sentenced to 25 years.":
            ("sentence", "happened", True),
        # a ban on one person is a penalty
        "The FCA banned him from working in financial services.":
            ("penalty", "happened", True),
        "The Financial Conduct Authority, tasked with policing the sector, banned the sale of "
        "crypto derivatives to retail consumers.": ("ban", "happened", True),
        "Kazakhstan's government reversed course and banned crypto mining.":
            ("ban", "happened", True),
    }, published="2025-06-12")
    # ", a decision announced on Monday" dates the ban
    t = tag_one(tagger, "Kazakhstan's energy ministry banned crypto mining in three regions, a "
                        "decision announced on Monday.", published="2025-06-12")
    assert [e.date for e in t.events] == ["2025-06-09"]
    # the second draft regulation is the one published
    t = tag_one(tagger, "The Bank of Russia published a draft regulation on Monday. The draft "
                        "regulation is open for public comment until July 15.",
                published="2025-06-12")
    assert len(t.events) == 1


def test_events_round22_rates_vows_probes_and_indictments(tagger):
    _finds(tagger, {
        "The Federal Reserve lowered its benchmark overnight interest rate by a quarter of a "
        "percentage point on Wednesday.": ("regulation", "happened", True),
        # a vow quoted with an adverb is the act vowed, not a pledge besides
        "The People's Bank of China vowed to \"resolutely crack down\" on crypto speculation.":
            ("crackdown", "planned", True),
        "The indictment against Yaron Shalev, 46, was filed in the Tel Aviv District Court by "
        "Israeli prosecutors.": ("prosecution", "happened", True),
        "Any enterprise still mining after the deadline will be handed over to the public "
        "security organs, the Ordos Development and Reform Commission said.":
            ("warning", "happened", True),
        "Kazakhstan's energy ministry will propose capping the power allocated to miners.":
            ("regulation", "planned", True),
        "The Arkansas Senate approved the bill on Tuesday. The law would also allow the state "
        "to ban mining near military bases.": ("ban", "hypothetical", True),
    }, published="2025-09-17")
    t = tag_one(tagger, "The People's Bank of China vowed to \"resolutely crack down\" on crypto "
                        "speculation.", published="2025-09-17")
    assert "pledge" not in {e.type for e in t.events}
    # searches in a probe are the probe's steps, not a crackdown
    t = tag_one(tagger, "The Enforcement Directorate carried out searches at 14 locations in a "
                        "money laundering probe against a crypto trading app.",
                published="2025-09-17")
    assert {e.type for e in t.events} == {"investigation"}
    # "the first state to" is no history
    _finds(tagger, {"New York's legislature became the first state legislature to pass a "
                    "moratorium on new fossil-fuel mining plants on Tuesday.":
                    ("ban", "happened", True)}, published="2022-11-23")


def test_events_round23_verdicts_searches_checks_and_advice(tagger):
    _finds(tagger, {
        # a dateline before an unnamed person; a term without "for"
        "KUCHING: A 41-year-old technician was jailed 14 months by the Sessions Court for "
        "tapping power lines to run mining rigs.": ("sentence", "happened", True),
        # "sentencing him to": the court's verdict
        "The Intermediate People's Court of Liangshan pronounced its verdict in the case of "
        "Feng Guolin, former deputy head of Xichang, sentencing him to nine years in prison.":
            ("sentence", "happened", True),
        "The Enforcement Directorate on Monday conducted searches at nine locations in Pune "
        "in connection with a crypto Ponzi scheme.": ("investigation", "happened", True),
        "The State-owned Assets Supervision and Administration Commission ordered provincial "
        "state enterprises to carry out a thorough self-inspection for cryptocurrency mining.":
            ("crackdown", "happened", True),
        "The Energy Ministry said it had cut off 65 illegal mining farms this year.":
            ("crackdown", "happened", True),
        "The Securities and Exchange Commission advised investors holding tokens on the "
        "blocked platforms to move them elsewhere.": ("warning", "happened", True),
        "The Central Bank of Iran issued a directive on Monday. Under a cabinet decision "
        "adopted in 2019, miners must obtain a licence.": ("regulation", "happened", False),
        "Police also booked six others without detention.": ("investigation", "happened", True),
        "The Central Bank of Oman has issued a new Virtual Asset Module as part of its "
        "rulebook.": ("regulation", "happened", True),
        "The State Bank of Vietnam said it expected to issue the first licences in the second "
        "half of next year.": ("approval", "planned", True),
    }, published="2025-10-20")
    # the notice is what carries the clean-up, not a regulation besides
    t = tag_one(tagger, "The Guizhou Provincial Development and Reform Commission has issued a "
                        "notice launching a province-wide clean-up of virtual currency mining.",
                published="2025-10-20")
    assert {e.type for e in t.events} == {"crackdown"}
    # the notice that speaks for its body warns
    _finds(tagger, {"The Guizhou Provincial Development and Reform Commission issued a notice "
                    "on Monday. Party members who provide cover for mining will be dealt with "
                    "strictly, the notice warned.": ("warning", "happened", True)},
           published="2025-10-20")


def test_events_round23_laws_in_force_proposals_and_bodies_named_again(tagger):
    # a named law taking effect, recalled after "after" or by its date
    t = tag_one(tagger, "The Financial Services Commission warned investors on Monday. "
                        "Complaints rose after the Virtual Asset User Protection Act took effect "
                        "in July.", published="2025-10-20")
    assert ("regulation", "happened", False) in events_of(t)
    t = tag_one(tagger, "The European Banking Authority published guidelines on Monday. MiCA "
                        "became fully applicable on 30 December 2024.", published="2025-10-20")
    assert ("regulation", "happened", False) in events_of(t)
    # a proposal is a regulation that happened, whatever year its regime aims at
    _finds(tagger, {"The Financial Conduct Authority has proposed allowing retail investors to "
                    "buy crypto exchange-traded notes, as Britain aims to finish its regime in "
                    "2027.": ("regulation", "happened", True)}, published="2025-10-20")
    # what the proposals would do is the proposal
    t = tag_one(tagger, "The Monetary Authority of Singapore published a consultation paper on "
                        "Monday. The proposals would require issuers to hold reserves. MAS also "
                        "proposes to prohibit issuers from paying interest.",
                published="2025-10-20")
    assert events_of(t) == {("regulation", "happened", True)}
    # a draft plan is a regulation; what it would close is the plan
    t = tag_one(tagger, "Xinjiang has published a draft plan that would close all cryptocurrency "
                        "mining projects by June.", published="2025-10-20")
    assert events_of(t) == {("regulation", "happened", True)}
    # measures announced to crack down are the crackdown, made
    _finds(tagger, {"The Qinghai Development and Reform Commission on Tuesday announced six "
                    "measures to crack down on virtual currency mining.":
                    ("crackdown", "happened", True)}, published="2025-10-20")
    # bodies named again by a common noun act
    _finds(tagger, {"The People's Bank of China and the Cyberspace Administration of China "
                    "issued a joint notice on Friday. The two agencies said they would "
                    "resolutely crack down on illegal trading.": ("crackdown", "planned", True)},
           published="2025-10-20")
    # a list of verbs shares its "will"; a past verb after ", and" is a clause of its own
    _finds(tagger, {"The People's Bank of China said the departments will set up a mechanism, "
                    "strengthen monitoring, and resolutely crack down on illegal trading.":
                    ("crackdown", "planned", True),
                    "The Hong Kong Monetary Authority said it expected to grant licences early "
                    "next year, and cautioned the public against fake tokens.":
                    ("warning", "happened", True)}, published="2025-10-20")


def test_events_round23_what_is_no_event(tagger):
    for text in (
        # a rumour's claim
        "Bitcoin rose 4% after posts on social media claimed Beijing was preparing to lift its "
        "ban on trading.",
        # a condition a rule sets
        "Only stablecoins backed by currencies approved by the central bank may be issued.",
        # the miners' own act in a relative clause
        "The Senate passed a bill aimed at cutting payments to miners that shut down during "
        "grid emergencies.",
    ):
        assert not {e.type for e in tag_one(tagger, text, published="2025-10-20").events} - {
            "regulation"}, text
    # "since the start of the year": going on until now, news
    t = tag_one(tagger, "The State Committee for National Security said on Monday it had closed "
                        "nine illegal mining farms since the start of the year and seized 2,000 "
                        "devices.", published="2022-09-28")
    assert ("crackdown", "happened", False) not in events_of(t)
    # the one appointed, named before "whom"
    t = tag_one(tagger, "The vote was the first under Chairman Leo Marquardt, whom the governor "
                        "appointed to lead the commission in March.", published="2025-10-20")
    appointment = next(e for e in t.events if e.type == "appointment")
    assert ("person:leo-marquardt", "target") in _roles(appointment)


def test_events_round24_authorities_by_common_noun_laws_named_inside_and_settlements(tagger):
    _finds(tagger, {
        # an authority the registry cannot name, opening the clause
        "Police in Bashkortostan have dismantled more than 30 illegal farms since January.":
            ("crackdown", "happened", True),
        "Regulators in three states urged investors to be wary of promised returns.":
            ("warning", "happened", True),
        # the body inside "a law the X passed" acts; the main clause's "will" is not its cue
        "Under a law the National Assembly passed in March, exchanges will have to register.":
            ("regulation", "happened", False),
        "That will depend on the legislation the European Commission proposed in June.":
            ("regulation", "happened", False),
        # a settlement announced is made
        "The Department of Financial Services said the exchange will pay $4 million to settle "
        "claims that it failed to monitor transactions.": ("penalty", "happened", True),
        "The Financial Supervisory Service ordered Orbita Capital Ltd and three of its directors "
        "to immediately stop selling the tokens.": ("penalty", "happened", True),
        "The Ministry of Energy stressed that any workshop using subsidised power for mining "
        "will be disconnected and fined.": ("warning", "happened", True),
        "The Bank of Canada published proposals for regulating stablecoins on Monday.":
            ("regulation", "happened", True),
        "The Shaanxi Provincial Development and Reform Commission issued the Implementation Plan "
        "for Carbon Peaking on Wednesday.": ("regulation", "happened", True),
        "Kazakhstan's Ministry of Energy would tighten power quotas for cryptocurrency miners "
        "next year.":
            ("regulation", "planned", True),
        "The Bank of Russia said it would keep monetary conditions tight for a prolonged period.":
            ("pledge", "happened", True),
        "The Ministry of Energy said 40 farms had been disconnected this month.":
            ("crackdown", "happened", True),
        "Japan's Financial Services Agency plans to submit a bill to bring tokens under the "
        "Financial Instruments and Exchange Act and to ban insider trading in them.":
            ("ban", "planned", True),
    }, published="2025-10-20")
    # a court approving an arrest is the prosecution, not a sanction
    t = tag_one(tagger, "The Anti-Corruption Agency detained two grid officials. A court has "
                        "sanctioned their arrest for two months.", published="2025-10-20")
    assert "penalty" not in {e.type for e in t.events}
    # a tax in force is no act; a regime's years are not the act's
    t = tag_one(tagger, "India levies a 30% tax on crypto gains.", published="2025-10-20")
    assert not t.events
    # a clause that only mentions a body does not let a campaign's aim act
    t = tag_one(tagger, "Lu oversaw power dispatch until 2022, a period in which the energy "
                        "regulator joined a nationwide campaign to root out mining.",
                published="2025-10-20")
    assert ("crackdown", "planned", True) not in events_of(t)


def test_events_round25_lists_searches_plans_and_cases_sent_to_court(tagger):
    _finds(tagger, {
        "The Monetary Authority of Singapore has added Velto Exchange, a trading platform "
        "incorporated in the Seychelles, to its Investor Alert List.":
            ("warning", "happened", True),
        "Officers of the Investigation Bureau searched 11 locations linked to the exchange on "
        "Monday.": ("investigation", "happened", True),
        "The State Council on Tuesday released an action plan for cutting coal use.":
            ("regulation", "happened", True),
        "The Cyberspace Administration of China said it would continue the clean-up into next "
        "year.": ("crackdown", "planned", True),
        "The Financial Monitoring Agency said inspections of mining sites will continue through "
        "the winter.": ("crackdown", "planned", True),
        "The Office of Foreign Assets Control designated Minsk-based exchange Gorlan and two of "
        "its operators on Tuesday.": ("penalty", "happened", True),
        "The Federal Reserve Board announced an enforcement action against Prairie State "
        "Bancorp on Tuesday.": ("penalty", "happened", True),
        "The Federal Reserve issued a supervisory letter on Tuesday on stablecoin activities.":
            ("regulation", "happened", True),
        "The Financial Crimes Enforcement Network has assessed a $25 million civil money "
        "penalty against Orin Vale.": ("penalty", "happened", True),
        "Prosecutors in Tatarstan have sent to court the criminal case against Ruslan Gatin.":
            ("prosecution", "happened", True),
        "The lawsuit follows an investigation that the Securities and Exchange Commission "
        "opened in 2022.": ("investigation", "happened", False),
        "The National Development and Reform Commission said it would step up efforts to phase "
        "out existing mining projects.": ("crackdown", "planned", True),
        # a notice posted makes what it says happen
        "In a notice posted on its website, the People's Bank of China said token issuance "
        "will be strictly prohibited.": ("ban", "happened", True),
        # an order with a deadline is given now
        "The Yunnan Energy Bureau issued an urgent notice ordering power companies to stop "
        "supplying electricity to 14 mining projects by Sunday.":
            ("crackdown", "happened", True),
        # a number as the passive subject
        "The commission disciplined 41 people. Of those, six were expelled from the Party.":
            ("expulsion", "happened", True),
    }, published="2025-10-20")
    # what markets expect is no event
    t = tag_one(tagger, "Analysts raised their estimate of the chances that the SEC will approve "
                        "a spot solana fund by January.", published="2025-10-20")
    assert not t.events
    # the law reported before, taking effect, is the same measure
    t = tag_one(tagger, "Taiwan's Legislative Yuan on Wednesday passed amendments to the Money "
                        "Laundering Control Act. The FSC said offshore exchanges could no longer "
                        "solicit users once the law takes effect.", published="2025-10-20")
    assert [e.type for e in t.events].count("regulation") == 1
    # a law is neither who acts nor who is acted on
    t = tag_one(tagger, "The Enforcement Directorate conducted searches at eight locations under "
                        "the Prevention of Money Laundering Act.", published="2025-10-20")
    assert all(not r.entity_id.endswith("-act") for e in t.events for r in e.roles)


def test_events_round26_verbs_of_their_own_counted_subjects_and_discipline(tagger):
    _finds(tagger, {
        # a past verb after "and" does not share "would"; "will be X-ed and Y-ed" does
        "The National Development and Reform Commission said it would step up its crackdown on "
        "mining and warned that state firms hosting miners would be punished.":
            ("warning", "happened", True),
        # "no plans for" denies
        "Sweden's government has no plans for a nationwide ban on cryptocurrency mining, the "
        "energy minister said.": ("ban", "denied", True),
        "A court in Shaanxi province on Thursday sentenced a former county energy official to "
        "six years in prison.": ("sentence", "happened", True),
        "The Guizhou Provincial Commission for Discipline Inspection punished 52 people. Eleven "
        "of them were expelled from the Party.": ("expulsion", "happened", True),
        "Police raided a warehouse in Karaj. Three people were arrested and handed over to the "
        "judiciary.": ("prosecution", "happened", True),
        "The Changji Commission for Discipline Inspection gave Ma Lin, deputy director of the "
        "county development and reform commission, a serious intra-Party warning.":
            ("expulsion", "happened", True),
        "The Guizhou Provincial Commission for Discipline Inspection said it would maintain "
        "\"high pressure\" in the coming year.":
            ("crackdown", "planned", True),
        "The Securities and Exchange Commission said it would take \"decisive action\" against "
        "unregistered platforms.": ("crackdown", "planned", True),
        "Malaysia's Energy Commission will set up a committee to tackle electricity theft by "
        "miners.":
            ("crackdown", "planned", True),
        "The Securities Commission Malaysia had placed Koinara on its Investor Alert List in "
        "2021.":
            ("warning", "happened", False),
        "The Securities and Exchange Commission would like to advise investors to withdraw "
        "their assets before the deadline.": ("warning", "happened", True),
        "Mining operations in the Zhundong zone have been ordered to halt immediately, the "
        "Xinjiang Development and Reform Commission said.": ("crackdown", "happened", True),
        "El Salvador's Legislative Assembly voted in 2021 to make bitcoin legal tender.":
            ("regulation", "happened", False),
        "The recommendations follow a public consultation launched in May 2023 by the "
        "International Organization of Securities Commissions.":
            ("regulation", "happened", False),
        "The European Union's three financial watchdogs on Thursday warned consumers that "
        "crypto assets are risky.": ("warning", "happened", True),
    }, published="2025-10-20")
    # a named law passed after another regulation is no next step of it
    t = tag_one(tagger, "Vietnam's government has issued a resolution launching a pilot crypto "
                        "market. The National Assembly passed the Law on Digital Technology "
                        "Industry in June.", published="2025-09-10")
    assert ("regulation", "happened", False) in events_of(t)


def test_events_round27_headlines_lists_cases_opened_and_threats(tagger):
    # a headline line is a sentence of its own; so is a list item
    t = tag_one(tagger, "Hubei orders hydropower stations to stop supplying crypto miners\nThe "
                        "Hubei Provincial Development and Reform Commission has issued an urgent "
                        "notice ordering power companies to stop supplying electricity to mining "
                        "projects.", published="2025-10-20")
    assert all(not e.evidence.startswith("Hubei orders") for e in t.events)
    t = tag_one(tagger, "The commission notified three cases:\n1. Liu Zhiqiang, a deputy "
                        "director of the Xining Development and Reform Commission, was expelled "
                        "from the Party.\n2. Ma Bo received a serious intra-Party warning.",
                published="2025-10-20")
    assert ("expulsion", "happened", True) in events_of(t)
    assert all(not e.evidence.startswith("The commission notified") for e in t.events)
    _finds(tagger, {
        "The Financial Monitoring Agency shut down 20 farms. Criminal cases have been opened "
        "against 12 people.": ("investigation", "happened", True),
        "The Anti-Corruption Agency detained Daniyar Omarov on Thursday. A pre-trial "
        "investigation is under way.": ("investigation", "happened", True),
        "Georgia's Interior Ministry arrested three people. If convicted, the suspects face up "
        "to seven years in prison.": ("sentence", "hypothetical", True),
        "The Financial Conduct Authority has today warned consumers not to deal with Quorvex "
        "Markets.": ("warning", "happened", True),
        "The European Securities and Markets Authority warned firms on Tuesday. MiCA, which the "
        "European Parliament adopted in April 2023, applies in full from 30 December.":
            ("regulation", "happened", False),
        "The Ontario Securities Commission has approved a settlement with Brightmoor Exchange.":
            ("penalty", "happened", True),
    }, published="2025-10-20")
    # a threat to anyone is the warning, not a planned investigation
    t = tag_one(tagger, "The Xining Commission for Discipline Inspection warned that anyone who "
                        "uses power to mine will be investigated and dealt with severely.",
                published="2025-10-20")
    assert "investigation" not in {e.type for e in t.events}
    # what a draft law would do to offenders is its content
    t = tag_one(tagger, "Operators running unlicensed businesses could face up to five years in "
                        "prison under the draft, the Financial Supervisory Commission said.",
                published="2025-10-20")
    assert "sentence" not in {e.type for e in t.events}


def test_events_review_of_rounds_23_to_27(tagger):
    """Sentences a colleague wrote against rounds 23 to 27's rules: each was read wrongly."""
    # a hard-wrapped first line is no headline
    for text, expected in {
        "Federal prosecutors in Manhattan charged\nDaniel Whitcombe, the founder of Veritas "
        "Mining, with wire fraud on Monday.": ("prosecution", "happened", True),
        "Coinpath Ltd was fined $3 million by the Securities and Exchange\nCommission on Monday "
        "for failing to register as a broker.": ("penalty", "happened", True),
        # the SEC's claim in a relative clause is no rumour
        "The SEC, which has long claimed that most tokens are securities, sued the exchange on "
        "Monday.": ("prosecution", "happened", True),
        # "had the company not collapsed": both acts share "would have"
        "The SEC would have sued the exchange and fined its founders had the company not "
        "collapsed first, a former official said.": ("penalty", "hypothetical", True),
        "Lawmakers said the SEC should have investigated the crypto lender and warned investors "
        "long before it collapsed.": ("warning", "hypothetical", True),
        "In an order issued on Monday, the judge said Daniel Whitcombe will be sentenced on "
        "March 3.": ("sentence", "planned", True),
        "Three exchanges approved by the Financial Services Agency on Monday can start trading "
        "stablecoins from November.": ("approval", "happened", True),
    }.items():
        assert expected in events_of(tag_one(tagger, text, published="2025-10-20")), text
    for text, wrong in {
        "Industry groups lobbying regulators warned on Monday that the proposed ban would drive "
        "miners underground.": "warning",
        "Lawyers for the prosecutors' main witness warned that their client would not testify "
        "without protection.": "warning",
        "Police said two local banks had warned customers about the fake investment app weeks "
        "before it collapsed.": "warning",
        "Former regulators warned on Monday that the bill would weaken investor protections.":
            "warning",
        "Finance Minister Anil Mehra laid out his spending priorities before the budget debate "
        "on Monday.": "regulation",
        "The IMF advised the government to scrap bitcoin's status as legal tender.": "warning",
        "The judge advised the SEC and Coinpath to settle the case before trial.": "warning",
        "The court said any funds recovered from the exchange will be held in trust for "
        "creditors.": "warning",
        "The Financial Services Agency designated three exchanges as systemically important, "
        "subjecting them to stricter capital rules.": "penalty",
        "The SEC took enforcement action against crypto lender Harborline on Tuesday, ordering "
        "it to pay $2 million.": "crackdown",
        "The interior minister ordered police to hunt down the hackers who stole $50 million "
        "from the crypto exchange.": "crackdown",
        "The regulator asked banks to submit data on crypto exposures and act on any red "
        "flags.": "regulation",
        "A federal judge approved the settlement of a class action brought by investors against "
        "Coinpath, ending a three-year lawsuit.": "penalty",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    # a wish is no approval given (a plan at most)
    t = tag_one(tagger, "The regulator would like to approve more stablecoin issuers, but the law "
                        "caps the number at five, its chairman said.", published="2025-10-20")
    assert ("approval", "happened", True) not in events_of(t)
    # "the Bill" alone is the bill reported: its next step is no event
    t = tag_one(tagger, "The Treasury published draft legislation on Monday to bring cryptoasset "
                        "firms under FCA regulation. The Government intends to introduce the "
                        "Bill into Parliament in the spring.", published="2025-10-20")
    assert events_of(t) == {("regulation", "happened", True)}


def test_events_round28_documents_speak_standing_bans_and_suspicion_notices(tagger):
    _finds(tagger, {
        # the notice speaks for the body that issued it
        "The Guangxi Development and Reform Commission issued an urgent notice on Friday. "
        "Localities that fail to finish the clean-up on time will be held accountable, the "
        "notice warned.": ("warning", "happened", True),
        # a standing ban is recalled, not news
        "The Bank of Ghana lifted its ban on crypto accounts on Friday. Banks remain prohibited "
        "from trading crypto on their own account, the circular said.":
            ("ban", "happened", False),
        "The organisers have been served a notice of suspicion of electricity theft.":
            ("prosecution", "happened", True),
        "The investigation into Kestrel Global Ltd is continuing, the Federal Criminal Police "
        "Office said.": ("investigation", "happened", True),
        "Beijing's Haidian district government has ordered shopping malls, hotels and office "
        "buildings not to host any events promoting virtual currencies.":
            ("ban", "happened", True),
        "The Ministry of Finance said the changes will be introduced to Parliament in an "
        "amendment bill later this year.": ("regulation", "planned", True),
    }, published="2025-10-20")


def test_events_round29_lifts_counts_lessons_hotlines_and_campaigns_launched(tagger):
    _finds(tagger, {
        # an adverbial between the verb and what it lifts; a suspension is lifted too
        "The Central Bank of Nigeria lifted in March a ban on banks serving crypto exchanges.":
            ("regulation", "happened", False),
        "Iran's Ministry of Energy said on Monday that it had let licensed miners reconnect to "
        "the grid, lifting a three-month suspension imposed in July.":
            ("regulation", "happened", True),
        "The Economic and Financial Crimes Commission has filed 12 counts of money laundering "
        "against exchange Nairabit.": ("prosecution", "happened", True),
        "The Monetary Authority of Singapore made licensing mandatory in April for all token "
        "custodians.": ("regulation", "happened", False),
        # who settles resolves the body's investigation; "the company" is the one named before
        "Kestrel Exchange pleaded guilty and agreed to pay $90 million to resolve the Justice "
        "Department's investigation.": ("penalty", "happened", True),
        "Kestrel Global Ltd collapsed in June. Federal prosecutors on Monday charged the company "
        "with wire fraud.": ("prosecution", "happened", True),
        "The Financial Crimes Enforcement Network announced settlements totalling $40 million "
        "with Kestrel Exchange.": ("penalty", "happened", True),
        "The People's Bank of China said the public should stay alert to the risks of "
        "speculation in virtual currencies.": ("warning", "happened", True),
        "The Qinghai Provincial Commission for Discipline Inspection said cadres must draw "
        "lessons from the four cases.": ("warning", "happened", True),
        "The Shaanxi Development and Reform Commission has set up a hotline for the public to "
        "report suspected mining.": ("crackdown", "happened", True),
        "The National Development and Reform Commission has removed steel smelting from its list "
        "of restricted industries.": ("regulation", "happened", True),
        "The Inner Mongolia Development and Reform Commission said it aimed to cut energy "
        "intensity by 3% this year.": ("pledge", "happened", True),
        "The Tehran grid operator has disconnected more than 300 illegal mining farms, the "
        "Ministry of Energy said.": ("crackdown", "happened", True),
        # a law that is the subject acts for itself; its date after two months is still news
        "A law legalising crypto payments took effect in March.": ("regulation", "happened", False),
        # "would work with X to check whether": a plan, not a condition
        "The National Development and Reform Commission said it would work with the tax "
        "bureau to check whether state firms were hosting mining machines.":
            ("investigation", "planned", True),
        # the whole "after" clause is history, a verb of its own after "and" too
        "The case comes four months after the Central Bank of Nigeria lifted its directive and "
        "issued new guidelines for banks.": ("regulation", "happened", False),
        "The PBOC and nine other government bodies declared all crypto transactions illegal in "
        "September 2021.": ("ban", "happened", False),
    }, published="2025-10-20")
    # the opening phrase's date is the earlier notice's, not the act's
    _finds(tagger, {
        "To implement the notice issued by the National Development and Reform Commission in "
        "September, the Anhui Provincial Development and Reform Commission has issued a notice "
        "on screening mining projects.": ("regulation", "happened", True),
    }, published="2021-11-24")
    t = tag_one(tagger, "The case follows a crackdown that Hebei launched in 2021 to weed out "
                        "illegal mining.", published="2025-10-20")
    assert ("crackdown", "happened", False) in events_of(t)
    assert ("crackdown", "planned", False) not in events_of(t)
    t = tag_one(tagger, "El Salvador's Legislative Assembly voted on Wednesday to make bitcoin "
                        "voluntary, amending the country's landmark 2021 law.",
                published="2025-10-20")
    assert events_of(t) == {("regulation", "happened", True)}
    for text, wrong in {
        "The Sichuan Provincial Development and Reform Commission told local governments to "
        "investigate and shut down mining operations.": "investigation",
        "The Inner Mongolia Commission for Discipline Inspection said Wang Hai shielded several "
        "farms from a regional clean-up campaign.": "crackdown",
        "Prosecutors in Seoul arrested the founder of a token issuer after the Seoul Central "
        "District Court approved a warrant.": "approval",
        "The National Assembly passed a reform of the crypto law on Tuesday. The reform, approved "
        "by 60 votes to 10, also scraps a tax.": "approval",
        "\"Users may lose their money if these platforms suddenly shut down,\" the Financial "
        "Services Commission said.": "crackdown",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_entities_round29_initials_and_portfolio_ministers(tagger):
    # the initials of a body named before; the ministry a portfolio minister belongs to
    t = tag_one(tagger, "South Korea's Financial Intelligence Unit blocked ten sites. \"Users "
                        "may lose their money,\" the FIU said, urging investors to withdraw "
                        "funds.", published="2025-10-20")
    assert [m.surface for m in t.mentions if m.entity_id == "kr-kofiu"][-1] == "FIU"
    assert ("warning", "happened", True) in events_of(t)
    t = tag_one(tagger, "Russia's government banned mining in ten regions. Deputy Energy "
                        "Minister Oleg Ryzhkov said the list could grow.", published="2025-10-20")
    assert "ru-minenergo" in {m.entity_id for m in t.mentions}


def test_events_round30_spokespeople_passives_calls_and_submissions(tagger):
    _finds(tagger, {
        # a spokesperson speaks for the body the text is about; a group of lawmakers acts
        "The Yunnan Provincial Energy Bureau denied the reports on Monday. The spokesperson "
        "warned that any plant found selling power to miners would lose its grid connection.":
            ("warning", "happened", True),
        "A group of lawmakers introduced a bill in Brazil's Chamber of Deputies on Tuesday to "
        "tax crypto mining.": ("regulation", "happened", True),
        "Argentina's Energy Secretariat on Thursday published a resolution excluding mining "
        "from subsidised tariffs.": ("regulation", "happened", True),
        "AUSTRAC imposed new conditions on crypto ATM operators on Monday.":
            ("regulation", "happened", True),
        # the quote's "if" is not the warning's
        "AUSTRAC imposed new conditions on crypto ATM operators. \"If a stranger asks you to "
        "deposit cash into a crypto ATM, it is a scam,\" AUSTRAC chief executive Brendan Thomas "
        "warned.": ("warning", "happened", True),
        "The Bank of Russia will submit proposals for a crypto trading framework to the "
        "government by the end of the year.": ("regulation", "planned", True),
        "The European Commission on Thursday proposed giving ESMA direct supervision of the "
        "largest crypto firms.": ("regulation", "happened", True),
        "The Agency for Regulation and Development of the Financial Market also opened 58 "
        "criminal cases against organisers of pyramid schemes.":
            ("investigation", "happened", True),
        "The State-owned Assets Supervision and Administration Commission has barred central "
        "state-owned enterprises from taking part in crypto mining.": ("ban", "happened", True),
        "The Ministry of Public Security will work with the foreign exchange regulator to keep "
        "up pressure on underground banks this year.": ("crackdown", "planned", True),
        # a passive inside the pattern: the body the text is about orders and warns
        "The Ya'an Development and Reform Commission issued a notice on Saturday. The 26 mining "
        "projects identified in the first batch have been ordered to close.":
            ("crackdown", "happened", True),
        "The Ya'an Development and Reform Commission issued a notice on Saturday. Power stations "
        "that keep supplying miners after the deadline will be severely dealt with.":
            ("warning", "happened", True),
    }, published="2025-10-20")
    _finds(tagger, {
        # "shortly after" is history; a push for a ban is a call, not a ban
        "The Xinjiang Development and Reform Commission ordered farms to close in June 2021, "
        "shortly after the State Council's Financial Stability and Development Committee called "
        "for a crackdown on mining.": ("crackdown", "hypothetical", False),
        "The Bank of Russia, which for years pushed for an outright ban on cryptocurrencies, has "
        "softened its stance.": ("ban", "hypothetical", False),
        "The National Development and Reform Commission and ten other departments launched a "
        "nationwide campaign in September to phase out mining.": ("crackdown", "happened", False),
    }, published="2022-01-20")
    for text, wrong in {
        # a call from people without authority is no plan
        "Norway's government has no plans for a nationwide ban on mining, the energy minister "
        "said, despite calls from environmental groups to shut down bitcoin farms.": "crackdown",
        "The Blockchain Association and the Crypto Council for Innovation met the SEC on Monday. "
        "Both bodies warned that the rules would drive firms offshore.": "warning",
        "The campaign that Binance started in March to recruit users has ended.": "crackdown",
        "A statement from the ministry eased the sector's fears of a moratorium.": "regulation",
        "Investors should remain cautious ahead of the Federal Reserve meeting, said Jane Lee, a "
        "strategist at Kestrel Bank.": "warning",
        "The Financial Conduct Authority made it clear that registration is mandatory.":
            "regulation",
        "The Hong Kong Monetary Authority announced a pilot for the tokenised settlement of "
        "interbank payments.": "penalty",
        "The Ministry of Finance set up a hotline to answer questions about the new crypto tax.":
            "crackdown",
        "The Financial Conduct Authority has removed three firms from its list of registered "
        "crypto businesses.": "regulation",
        "China failed to cut energy intensity by the targeted 13.5% last year.": "pledge",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    # still events: a crackdown escaped or turned to; a financial warrant approved
    for text, expected in {
        "Beijing shifted from warnings to a crackdown on crypto mining in 2021.":
            ("crackdown", "happened", False),
        "The Securities and Futures Commission approved derivative warrants tied to bitcoin "
        "funds.": ("approval", "happened", True),
        "Following the collapse of FTX in November 2022, the SEC charged Samuel Bankman-Fried.":
            ("prosecution", "happened", False),
        "The People's Bank of China banned ICOs as early as 2017 and later outlawed trading.":
            ("ban", "happened", False),
    }.items():
        assert expected in events_of(tag_one(tagger, text, published="2025-10-20")), text
    # who settles: the body that says so, not the state named as owner of the claims
    t = tag_one(tagger, "Kestrel Exchange agreed to pay $5 million to settle New York's claims, "
                        "the New York Department of Financial Services said.",
                published="2025-10-20")
    assert [_roles(e) & {("us-nydfs", "actor")} for e in t.events if e.type == "penalty"] == [
        {("us-nydfs", "actor")}]


def test_events_round31_vows_periods_lists_and_what_is_made_under_a_rule(tagger):
    _finds(tagger, {
        # the vow a "to" completes dates it
        "The Hainan Development and Reform Commission ordered power suppliers on Friday to cut "
        "off mining farms. The move follows a pledge last month by the State Council's Financial "
        "Stability and Development Committee, chaired by Vice Premier Li Ming, to crack down on "
        "bitcoin mining.": ("crackdown", "planned", False),
    }, published="2021-06-20")
    _finds(tagger, {
        # "over the past month" runs until now; a list's comma opens no clause
        "Iranian authorities have seized more than 900 illegal mining devices in raids over the "
        "past month, the Ministry of Energy said.": ("crackdown", "happened", True),
        "The Securities and Exchange Commission issued rules on the offering, custody and trading "
        "of digital assets in 2022.": ("regulation", "happened", False),
        # "be" is shared after "and"
        "The Securities and Exchange Commission of the Philippines said Ramon Cruz may be held "
        "criminally liable and penalized with a fine of up to five million pesos.":
            ("penalty", "hypothetical", True),
        "The State-owned Assets Supervision and Administration Commission issued a notice on "
        "Monday. Central enterprises are strictly prohibited from taking part in mining in any "
        "form.": ("ban", "happened", True),
        "The Dubai Virtual Assets Regulatory Authority said it would continue to take firm "
        "enforcement action against any entity operating without a licence.":
            ("crackdown", "planned", True),
        "Reserve Bank of India Governor Arvind Mehra said the government was finalising a "
        "discussion paper on crypto assets.": ("regulation", "planned", True),
        "The Financial Conduct Authority said on Monday it was lifting its ban on crypto "
        "exchange-traded notes.": ("regulation", "happened", True),
        # "said X, deputy director of the commission": the commission speaks
        "The Inner Mongolia Development and Reform Commission named seven companies on Thursday. "
        "\"We will maintain high pressure on cryptocurrency mining,\" said Bai Yonghong, deputy "
        "director of the commission.": ("crackdown", "planned", True),
    }, published="2025-10-20")
    # the rule reported before takes effect: one measure, one event
    t = tag_one(tagger, "The Public Utility Commission of Texas adopted a rule on large loads on "
                        "Thursday. The rule implements legislation passed by the Texas "
                        "Legislature and takes effect on January 1.", published="2025-10-20")
    assert events_of(t) == {("regulation", "happened", True)}
    for text, wrong in {
        "A person familiar with the case said Ma Jun had signed off on cheap power supply deals "
        "for several mining farms.": "regulation",
        "The Monetary Authority of Singapore reminded the public that stablecoins not issued "
        "under the framework do not enjoy the same safeguards.": "regulation",
        "The Xinjiang Commission for Discipline Inspection found that Ma Hongtao turned a blind "
        "eye to the Central Committee's decisions on rectifying virtual currency mining.":
            "crackdown",
        "A spokesman for the Ministry of Energy warned that anyone stealing electricity for "
        "mining would face heavy fines.": "penalty",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_events_review_of_rounds_29_and_30(tagger):
    """Sentences a colleague wrote against round 30's rules: each was read wrongly."""
    for text, wrong in {
        # a company's spokesman, lawmakers lobbied or told, pressure on a country, bail terms
        "Binance said on Monday it would comply with the rules. A Binance spokesman warned users "
        "that accounts without verified identities would be frozen.": "warning",
        "The Financial Conduct Authority fined Coinbase's UK unit in July. A Coinbase spokesman "
        "warned customers that some services would be paused.": "warning",
        "Industry groups lobbied lawmakers to reject the proposed ban on mining.": "ban",
        "The exchange's lawyers told senators that the company would ban US users from its "
        "platform.": "ban",
        "Beijing will keep up pressure on Taiwan over its trade policy.": "crackdown",
        "The judge imposed stricter conditions on Do Kwon's bail.": "regulation",
        "Marathon's operations in Abu Dhabi have been ordered to halt by its joint venture "
        "partner. The UAE central bank issued new rules on Monday.": "crackdown",
        "The regulation which bans crypto advertising will remain in force.": "ban",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    _finds(tagger, {
        "A CSRC spokesperson warned investors against speculating in newly listed shares.":
            ("warning", "happened", True),
        # scare quotes in an if-clause keep it a condition
        "If the exchanges fail to meet the \"fit and proper\" test, the Securities and Futures "
        "Commission will revoke their licences.": ("penalty", "hypothetical", True),
        "The EU pushed for stricter rules and on Tuesday the Council of the European Union "
        "adopted new anti-money laundering rules.": ("regulation", "happened", True),
        "Calls from the European Central Bank to ban bitcoin have been rejected by the "
        "Commission.": ("ban", "hypothetical", True),
        "Investors asked the exchange for refunds after the Thai SEC said it would block access "
        "to the platform.": ("crackdown", "planned", True),
        "The regulator lifted the suspension of cryptocurrency trading on local exchanges on "
        "Monday, the Financial Services Commission said.": ("regulation", "happened", True),
        "The SEC announced a settlement of $42.5 million with Tether.":
            ("penalty", "happened", True),
        "The Ordos government has set up a reporting hotline for illegal mining.":
            ("crackdown", "happened", True),
        "The Kazakh government repealed the two-year moratorium on new mining licences.":
            ("regulation", "happened", True),
        # just before a recent act is news too
        "Kestrel Exchange halted withdrawals on Monday, shortly after the SEC sued it.":
            ("prosecution", "happened", True),
    }, published="2025-10-20")


def test_events_round32_places_read_as_names_lists_restitution_and_closing_lines(tagger):
    _finds(tagger, {
        # a region the model reads as a person is still the place acting
        "Inner Mongolia has cut off power to 45 more suspected cryptocurrency mining sites, the "
        "region's development and reform commission said on Friday.":
            ("crackdown", "happened", True),
        "A former deputy police chief in Ulanqab was jailed for 11 years on Tuesday for taking "
        "bribes from miners, the Jining District People's Court said.":
            ("sentence", "happened", True),
        "Inspectors in the Irkutsk region have disconnected 143 illegal cryptocurrency mining "
        "sites since the start of the heating season, the regional government said.":
            ("crackdown", "happened", True),
        # an order of its own beside a jail term
        "Li Wei was sentenced to three years in prison and ordered to pay 4 million yuan in "
        "compensation to the power company, the Ya'an Intermediate People's Court said.":
            ("penalty", "happened", True),
        # a list of places between an order and its "to"
        "The Sichuan Provincial Development and Reform Commission has ordered power suppliers in "
        "Ya'an, Ganzi and Aba to stop supplying electricity to 41 mining sites.":
            ("crackdown", "happened", True),
        "The Sichuan Provincial Development and Reform Commission said Zhang Wei will be "
        "publicly named and penalised for selling power to miners.":
            ("penalty", "planned", True),
        "Users should withdraw their assets before the deadline, said Pornanong Srisawat, deputy "
        "secretary-general of the Securities and Exchange Commission of Thailand.":
            ("warning", "happened", True),
        # a release's closing line and "had earlier" are history
        "A Katy man was sentenced to 97 months in prison for a mining fraud, the U.S. Attorney's "
        "Office said. The FBI investigated the case.": ("investigation", "happened", False),
        "The procuratorate approved the arrest of Zhao Ming. Zhao had earlier been placed under "
        "investigation by the Xinjiang Commission for Discipline Inspection.":
            ("investigation", "happened", False),
    }, published="2025-10-20")
    for text, wrong in {
        "The spokesman for the judiciary added that all seized mining devices would be handed "
        "over to the Ministry of Industry, Mine and Trade.": "crackdown",
        "The Russian government on Tuesday approved a ban on cryptocurrency mining in ten "
        "regions.": "approval",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_events_review_of_round_31(tagger):
    """Sentences a colleague wrote against round 31's rules: each was read wrongly."""
    _finds(tagger, {
        # a date inside what was vowed is not the vow's
        "The Sichuan government pledged on Monday to keep mines that were closed in 2021 shut "
        "and to crack down on any that restart.": ("crackdown", "planned", True),
        # the conduct's date after a comma is not the suit's
        "The SEC sued Kestrel Exchange, accusing it of misleading investors and diverting client "
        "funds in 2022.": ("prosecution", "happened", True),
        # "pushed for X and fined": the fine is its own act
        "The SEC pushed for the settlement and fined the firm $2 million on Friday.":
            ("penalty", "happened", True),
        "The State Council issued new policies on cracking down on illegal fund-raising on "
        "Friday.": ("crackdown", "happened", True),
        "If investors receive calls asking for deposits, \"it is a scam\", the police warned.":
            ("warning", "happened", True),
        "In 2021, shortly after China banned mining, many miners moved to Kazakhstan, and on "
        "Monday the Kazakh parliament passed a law raising their power tariffs.":
            ("regulation", "happened", True),
    }, published="2025-10-20")
    t = tag_one(tagger, "China will keep up pressure on crypto mining, said Eswar Prasad, a "
                        "former head of the IMF's China division.", published="2025-10-20")
    assert not any(("intl-imf", "actor") in _roles(e) for e in t.events)
    t = tag_one(tagger, "The SEC lifted the suspension of trading in Kestrel shares on Monday.",
                published="2025-10-20")
    assert "regulation" not in {e.type for e in t.events}
    t = tag_one(tagger, "The Ministry of Energy threatened on Monday to shut down all illegal "
                        "mining farms in the country.", published="2025-10-22")
    assert [e.date for e in t.events] == ["2025-10-20"]


def test_events_round33_rumoured_drafts_custody_networks_and_dated_calls(tagger):
    _finds(tagger, {
        "The Ya'an Municipal Supervisory Commission has taken retention measures against Zhou "
        "Ming, the former head of a county development and reform bureau.":
            ("prosecution", "happened", True),
        "The Ministry of Energy of the Republic of Kazakhstan said 36 illegal mining farms have "
        "been identified and disconnected from electricity networks since January.":
            ("crackdown", "happened", True),
    }, published="2025-04-30")
    # a call dated by the date opening its sentence is history
    _finds(tagger, {
        "In November the heads of the Swedish Financial Supervisory Authority and the Swedish "
        "Environmental Protection Agency called for an EU-wide ban on proof-of-work mining.":
            ("ban", "hypothetical", False),
    }, published="2022-04-21")
    for text, wrong in {
        # what social media claims is being drafted is no plan
        "Shares jumped on Monday after posts on social media claimed that the People's Bank of "
        "China was drafting rules to let banks issue offshore yuan stablecoins.": "regulation",
        # what an object is, in a relative clause
        "The Bank of Russia said transactions will be conducted through infrastructure it has "
        "approved.": "approval",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    # a plan announced by "it has" is still one ("announced that it has granted licences")
    t = tag_one(tagger, "The Hong Kong Monetary Authority announced that it has granted "
                        "stablecoin issuer licences to two applicants.", published="2025-10-20")
    assert ("approval", "happened", True) in events_of(t)


def test_events_round34_risks_care_pursuits_pronouns_and_bills_that_allow(tagger):
    _finds(tagger, {
        # a purpose far from its "will" shares its modality
        "The Financial Supervisory Service will work closely with the Supreme Prosecutors' "
        "Office and the National Police Agency to keep up pressure on illegal crypto exchanges "
        "this year.": ("crackdown", "planned", True),
        "Tokenised deposits pose serious risks to monetary sovereignty, the European Central "
        "Bank said on Monday.": ("warning", "happened", True),
        # advice to take care is given, though "urged" is a call's word
        "The Monetary Authority of Singapore urged consumers to verify that any payment service "
        "provider they use is licensed.": ("warning", "happened", True),
        "The Securities and Exchange Board of India said it would go after unregistered "
        "finfluencers and the platforms that host them.": ("crackdown", "planned", True),
        "The Central Commission for Discipline Inspection vowed to intensify its pursuit of "
        "officials who take bribes in cryptocurrency.": ("crackdown", "planned", True),
        # "will not hesitate to" is a resolve, not a denial
        "The Securities and Futures Commission will not hesitate to go after unlicensed "
        "platforms that target Hong Kong investors.": ("crackdown", "planned", True),
        # the second verb of a passive ("was placed under ... and expelled")
        "Li Wei was placed under investigation by the Inner Mongolia Commission for Discipline "
        "Inspection in 2023 and expelled from the party in 2024.":
            ("expulsion", "happened", False),
        # "administrative" is no one acting: the fines were imposed
        "The Securities Commission Malaysia said administrative fines totalling RM1 million have "
        "been imposed on two unlicensed exchanges.": ("penalty", "happened", True),
        "The Central Bank of the Russian Federation said amendments to the rules for crypto "
        "exchange licensing have been approved.": ("regulation", "happened", True),
        "The Cyberspace Administration of China will launch an operation aimed at crypto "
        "promotion on short-video platforms next month.": ("crackdown", "planned", True),
        # a partner named in an opening phrase is not who acts, and a body the text names is
        # named again by its kind
        "Working together with the Ya'an Municipal Public Security Bureau and State Grid Ya'an "
        "Power Supply Company, the county energy bureau has cut off power to 12 mining sites.":
            ("crackdown", "happened", True),
        "The International Monetary Fund's executive board completed the second review of "
        "Pakistan's loan programme on Friday, approving the release of $1 billion.":
            ("approval", "happened", True),
        "Under the plan issued by the National Development and Reform Commission, coal "
        "consumption is to fall by 5 percent by 2027.": ("pledge", "happened", True),
    }, published="2025-10-20")
    # "warning that X could pose risks" is one warning, and it happened
    t = tag_one(tagger, "The Bank of England warned on Tuesday that stablecoins could pose risks "
                        "to financial stability.", published="2025-10-20")
    assert events_of(t) == {("warning", "happened", True)}
    # "It warned": the body named last
    t = tag_one(tagger, "Dubai's Virtual Assets Regulatory Authority fined three firms on Monday. "
                        "It warned residents to deal only with licensed providers.",
                published="2025-10-20")
    assert ("ae-vara", "actor") in _roles(next(e for e in t.events if e.type == "warning"))
    # "..., the minister warned": the minister named before
    t = tag_one(tagger, "Energy Minister Taalaibek Ibraev said on Monday that mining farms would "
                        "be disconnected until March. Farms that ignore the order will lose their "
                        "equipment, the minister warned.", published="2025-10-20")
    assert ("warning", "happened", True) in events_of(t)
    for text, wrong in {
        # what a warning says people would face is the warning
        "The Ministry of Energy warned that households running mining rigs would face fines and "
        "disconnection.": "penalty",
        # what a bill allows others to do is the bill's
        "The State Duma passed a bill on Tuesday banning the use of subsidised power for mining. "
        "The bill also allows the Interior Ministry to seize mining equipment found at illegal "
        "sites.": "crackdown",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_events_review_of_round_34(tagger):
    """Sentences a colleague wrote against round 34's rules: each was read wrongly."""
    for text in [
        # a body named by its kind is a public one the text names, not a firm's or a club's
        "The company's compliance department has reviewed the trades and warned employees not "
        "to trade the token.",
        "The club's disciplinary committee has banned the fan for life after the pitch invasion.",
        "The family office has pledged to invest $50 million in green mining.",
        # what a body's rule is said to pose is no warning of that body's
        "Moody's said the SEC's new custody rule poses risks to smaller banks.",
        # calls on lawmakers and regulators to act are no advice to take care
        "The Securities and Exchange Commission urged Congress to treat most tokens as "
        "securities.",
        "Senator Elena Ruiz urged the SEC to exercise restraint in its enforcement against "
        "crypto firms.",
        "The government stepped up its pursuit of economic growth in the third quarter.",
        "The ministry authorized the release of 2,000 tonnes of pork from state reserves.",
        # "It" is the firm the sentence before is about
        "Tether said the SEC had no jurisdiction. It warned that the lawsuit could harm millions "
        "of users.",
        # a former or shadow minister speaks for no ministry
        "Former Prime Minister Liz Redfern criticised the policy on Monday. Bitcoin is a bubble "
        "that will burst, the minister warned.",
    ]:
        assert not tag_one(tagger, text, published="2025-10-20").events, text
    t = tag_one(tagger, "The SEC fined Kraken $30 million in February. Kraken said it would "
                        "appeal. It warned customers that staking rewards would end in the US.",
                published="2025-10-20")
    assert "warning" not in {e.type for e in t.events}
    t = tag_one(tagger, "The SEC approved spot ether ETFs on Thursday. \"We warned our clients "
                        "months ago that volatility would rise,\" said Ana Lopez, a strategist at "
                        "Redwood Partners.", published="2025-10-20")
    assert "warning" not in {e.type for e in t.events}
    # an active verb after "was praised ... and" keeps its subject as the actor
    t = tag_one(tagger, "The SEC was praised by investor groups on Tuesday and charged two "
                        "promoters with fraud.", published="2025-10-20")
    assert ("us-sec", "actor") in _roles(t.events[0])
    # "plans" inside a relative clause does not make the agreed penalty a plan
    t = tag_one(tagger, "Kraken which plans to list its shares in New York next year agreed on "
                        "Thursday to pay a $30 million penalty to settle SEC charges over its "
                        "staking programme.", published="2025-10-20")
    assert ("penalty", "happened", True) in events_of(t)
    # a fine the body says a firm will face, in a clause of its own, is still planned
    t = tag_one(tagger, "The FCA warned consumers about the app and said the firm behind it "
                        "will face a fine of £2 million.", published="2025-10-20")
    assert ("penalty", "planned", True) in events_of(t)


def test_entities_names_the_model_misreads_next_to_a_post(tagger):
    """Names the statistical model reads as a place, a work of art or nothing, beside a post."""
    cases = {
        # a place in apposition with a post ("Bai Zhigang" read as a GPE)
        "The regional discipline commission said Bai Zhigang, former deputy director of the "
        "Inner Mongolia Development and Reform Commission, has been expelled from the Communist "
        "Party.": ("person:bai-zhigang", "former deputy director of the Inner Mongolia "
                                         "Development and Reform Commission"),
        # a work of art after a closing quote, before "told"
        '"Our policy has not changed," Deputy Governor Xu Mingde told the meeting.':
            ("person:xu-mingde", "Deputy Governor"),
        # nothing, after a post's head word
        "The agency fined the firm. Superintendent Adrienne Caldwell said the firm's compliance "
        "program had failed.": ("person:adrienne-caldwell", "Superintendent"),
    }
    for text, official in cases.items():
        assert official in titles_of(tag_one(tagger, text, published="2025-10-20")), text


def test_events_round36_work_with_to_curb_first_to_pass_and_proposed_bans(tagger):
    _finds(tagger, {
        "The Tianjin Municipal People's Procuratorate said it would work closely with the police "
        "to curb the use of stablecoins in telecom fraud.": ("crackdown", "planned", True),
        "The National Energy Administration ordered grid companies in Xinjiang to find hidden "
        "mining farms and cut off their power supply by December.":
            ("crackdown", "happened", True),
        "The Nanshan District People's Court in Shenzhen on Monday jailed 7 members of a ring "
        "that sold bank cards to money launderers.": ("sentence", "happened", True),
        "Promoters who push unlicensed crypto schemes should expect to be held to account, the "
        "Financial Conduct Authority said on Monday.": ("warning", "happened", True),
        "The Office of the Comptroller of the Currency said on Monday it was withdrawing "
        "guidance that had required banks to seek approval before holding crypto.":
            ("regulation", "happened", True),
        # the year of the letter rescinded is not when it was rescinded
        "The Federal Reserve Board on Monday rescinded a 2022 supervisory letter on crypto-asset "
        "activities.": ("regulation", "happened", True),
        "The Korea Financial Intelligence Unit suspended the exchange for three months and said "
        "a fine would be decided at a later date.": ("penalty", "planned", True),
        # "the first state to pass" a law did pass it
        "Washington in 2021 became the first state to pass such a law, but the pause has since "
        "lapsed.": ("regulation", "happened", False),
        # a rule proposed that would bar something is a regulation proposed (not nothing)
        "The Financial Crimes Enforcement Network on Monday proposed a rule barring U.S. banks "
        "from dealing with a Cambodian payments firm.": ("regulation", "happened", True),
    }, published="2025-10-20")


def test_events_and_names_review_of_rounds_35_and_36(tagger):
    """Sentences a colleague wrote against rounds 35 and 36: each was read wrongly."""
    for text, person in {
        # a company post cut short is no official, and "Of Research" no name
        "Tom Baxter, Head Of Research at Coinshares, said outflows slowed.": None,
        "SEC Chair Slams Crypto Lenders": None,  # a headline's capitals
        '"We will appeal," Coinbase Global said after the SEC sued the company.': None,
        '"Fraud is rampant," the Conservatives warned.': None,
        # "..., the regional governor said" is who says so; a place after "in" stays a place
        "Protests spread to Santa Cruz, the regional governor said.": None,
        "Police seized 300 rigs in Port Harcourt, a police spokesman said.": None,
        # and the names the repairs are for
        '"Firms must be ready by January," ESMA Chair Elena Marchetti said.':
            ("person:elena-marchetti", "ESMA Chair"),
    }.items():
        t = tag_one(tagger, text, published="2025-10-20")
        officials = {o for o in titles_of(t) if not o[0].startswith("person:tom")}
        assert officials == ({person} if person else set()), text
    assert ("person:tom-baxter", "Head Of Research at Coinshares") in titles_of(tag_one(
        tagger, "Tom Baxter, Head Of Research at Coinshares, said outflows slowed.",
        published="2025-10-20"))
    _finds(tagger, {
        "Police urged citizens to avoid unlicensed crypto exchanges.":
            ("warning", "happened", True),
        "The Ministry of Public Security will intensify its pursuit of money launderers.":
            ("crackdown", "planned", True),
        # "It" after a leading time phrase in the sentence before
        "Last week the Hong Kong Securities and Futures Commission named three suspicious "
        "platforms. It urged investors to verify licences before trading.":
            ("warning", "happened", True),
        # a body named by a word only firms do not share
        "The bureau hereby reminds the public to beware of illegal fund-raising in the name of "
        "virtual currencies.": ("warning", "happened", True),
        # a body's own alert speaks for it
        "The SEC's investor alert warns investors about pump-and-dump schemes on social media.":
            ("warning", "happened", True),
        # a weekday after the second verb of a passive is no object
        "The former mayor was detained in March and sentenced Monday to 12 years in prison.":
            ("sentence", "happened", True),
        # a law made in 2021 is history, unlike a letter rescinded now
        "Congress passed a 2021 infrastructure law that added crypto broker reporting.":
            ("regulation", "happened", False),
    }, published="2025-10-20")
    for text, wrong in {
        "The court approved the release of the detained executives on bail.": "approval",
        "The Ministry of Energy warned, a spokesman said, that households running rigs would "
        "face fines.": "penalty",
        "The Reserve Bank of India said it was working with the government to curb food "
        "inflation.": "crackdown",
        "Israel cut off its electricity supply to Gaza in October 2023.": "crackdown",
        "Authorities jailed 12 people overnight pending investigation.": "sentence",
        "The ECB is withdrawing its forward guidance on interest rates.": "regulation",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    # a penalty the words themselves say is to come is not dated in the past
    t = tag_one(tagger, "EU sanctions will be announced at the summit in December.",
                published="2025-10-20")
    assert all(e.is_news for e in t.events if e.type == "penalty")


def test_events_round38_background_laws_counted_results_and_unnamed_parties(tagger):
    _finds(tagger, {
        # a named law with its maker after "by"; a framework proposed; restrictions passed
        "The decree follows the Law on Payment Services, passed by the State Duma in March.":
            ("regulation", "happened", False),
        "The European Commission proposed the legal framework for crypto custody in May 2022.":
            ("regulation", "happened", False),
        "The Texas Legislature passed the siting restrictions in May, after residents "
        "complained about noise.": ("regulation", "happened", False),
        "Wyoming lawmakers exempted crypto mining equipment from property taxes in 2022.":
            ("regulation", "happened", False),
        "The Monetary Authority of Singapore set out new requirements for stablecoin issuers "
        "in 2023.": ("regulation", "happened", False),
        "The Federal Deposit Insurance Corporation lifted a requirement it imposed in 2022 that "
        "banks notify it before any crypto activity.": ("regulation", "happened", False),
        "Draft legislation that HM Treasury laid before Parliament in September covers "
        "stablecoins.": ("regulation", "happened", False),
        # a body's own rules that took effect before are history, not a follow-up
        "The Central Bank of the UAE's payment token rules, which took effect last year, "
        "restrict foreign stablecoins.": ("regulation", "happened", False),
        "The Dubai Financial Services Authority recognised the token for use in the DIFC.":
            ("approval", "happened", True),
        "The Central Bank of Bahrain granted authorisation to a local custodian on Monday.":
            ("approval", "happened", True),
        "The Central Bank of Nigeria renewed its warning to banks about dealing in crypto "
        "assets.": ("warning", "happened", True),
        "The State Bank of Pakistan issued a statement on Monday urging citizens not to trade "
        "on offshore platforms.": ("warning", "happened", True),
        "The New York State Department of Financial Services announced a $3 million penalty "
        "against Blue Harbor Custody LLC.": ("penalty", "happened", True),
        "The Capital Market Authority said it would take legal action against violators.":
            ("crackdown", "planned", True),
        "Kazakhstan's Ministry of Energy said it would keep up spot checks of data centres "
        "until March.": ("crackdown", "planned", True),
        "The National Development and Reform Commission aims to limit growth in coal "
        "consumption to 1% next year.": ("pledge", "happened", True),
        "Thailand's Securities and Exchange Commission said it was reviewing cases of "
        "influencers who promoted unlicensed exchanges.":
            ("investigation", "happened", True),
        # a party the text describes but does not name
        "The Arkansas Attorney General sued a crypto mining company near Greenbrier on "
        "Tuesday.": ("prosecution", "happened", True),
        "Nine people, including two foreigners, were detained after the raids, the Royal "
        "Malaysia Police said.": ("prosecution", "happened", True),
        # "The commission said it would" is the commission named before
        "The Xilinhot Municipal Commission for Discipline Inspection released two cases on "
        "Monday. The commission said it would maintain high pressure on graft in the power "
        "sector.": ("crackdown", "planned", True),
        "Vice Minister of Energy Aidar Bekov presented the bill. \"Miners who hide from the grid "
        "will be cut off,\" the vice minister warned.": ("warning", "happened", True),
    }, published="2025-10-20")
    # a year's results opening the text are its news; "the five" were counted before
    _finds(tagger, {
        "Police in Guangdong cracked 420 cases of crypto fraud last year, the Ministry of "
        "Public Security said on Tuesday.": ("crackdown", "happened", True),
        "Prosecutors in Shanghai charged the five with illegal business operations last "
        "August.":
            ("prosecution", "happened", False),
    }, published="2026-01-20")
    t = tag_one(tagger, "The Supreme People's Procuratorate vowed to step up the fight against "
                        "laundering through crypto assets.", published="2025-10-20")
    assert events_of(t) == {("crackdown", "planned", True)}
    t = tag_one(tagger, "The Financial Conduct Authority on Tuesday published rules setting "
                        "out a regime due to take effect in 2027.", published="2025-10-20")
    assert events_of(t) == {("regulation", "happened", True)}
    for text, wrong in {
        # a fine in the verdict is part of the sentence
        "The Intermediate People's Court of Changsha sentenced Li Wei to ten years in prison "
        "and fined him 2 million yuan.": "penalty",
        "The lawsuit says the mine breached a state law barring foreign-owned firms from owning "
        "crypto mines.": "ban",
        "Under the Financial Conduct Authority's proposals, exchanges would have to publish "
        "their order-matching rules.": "regulation",
        "The Capital Markets Tribunal approved the settlement with the platform on Monday.":
            "approval",
        "The Monetary Authority of Singapore urged investors to check that a provider is "
        "registered or authorised.": "approval",
        "The State Bank of Pakistan said no entity has been authorised to deal in crypto.":
            "approval",
        "The promoters of Coinvest Global, who promised monthly returns, were arrested by the "
        "Enforcement Directorate.": "pledge",
        "Egypt has yet to set out rules for crypto custody, the Central Bank of Egypt said.":
            "regulation",
        "The province has been at the centre of a long-running crackdown on mining.":
            "crackdown",
        "The judge said he had ignored repeated warnings from the Financial Conduct "
        "Authority.": "warning",
        "The Texas Senate voted to pass a bill that would require miners to shut down during "
        "grid emergencies.": "crackdown",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_events_round39_terms_of_a_decision_classes_and_names_read_as_firms(tagger):
    _finds(tagger, {
        "Oregon's attorney general sued three of the largest operators of crypto kiosks on "
        "Monday.": ("prosecution", "happened", True),
        "The Jiangxi Provincial Energy Bureau will carry out a special inspection of all data "
        "centres by the end of the year.": ("investigation", "planned", True),
        "The Sichuan Provincial Development and Reform Commission will complete the clean-up "
        "and shutdown of all mining projects by June.": ("crackdown", "planned", True),
        "The Anhui Provincial Development and Reform Commission has revoked the energy-saving "
        "review approvals of three data centres.": ("penalty", "happened", True),
        "Investors who hold funds on the platform are advised to withdraw them, the "
        "Securities Commission Malaysia said.": ("warning", "happened", True),
        "The Central Bank of Nigeria alerts the public that unlicensed platforms may be "
        "fraudulent.": ("warning", "happened", True),
        "The government of El Salvador reaffirmed its commitment not to buy more bitcoin, the "
        "International Monetary Fund said.": ("pledge", "happened", True),
        "The Bank of Thailand has no plans to allow digital assets to be used for payments.":
            ("regulation", "denied", True),
        "Through a board resolution, a new tariff has been established for mining consumers "
        "connected to the high-voltage grid, the National Electricity Administration said.":
            ("regulation", "happened", True),
        "The Comissão de Valores Mobiliários has determined the immediate suspension of any "
        "offer by Solara Yield Ltd. to Brazilian investors.": ("penalty", "happened", True),
        # the vehicle an act was made in dates it
        "The State Bank of Vietnam banned the use of virtual currencies for payments in a "
        "2018 circular.": ("ban", "happened", False),
    }, published="2025-10-20")
    # a name the model reads as a firm before "as" and a post is a person
    t = tag_one(tagger, "Thailand's cabinet approved the appointment of Somchai Rattanakul as "
                        "secretary-general of the Securities and Exchange Commission.",
                published="2025-10-20")
    assert ("appointment", "happened", True) in events_of(t)
    assert any(m.entity_id == "person:somchai-rattanakul" for m in t.mentions)
    # the terms of a decision reported before are that decision
    t = tag_one(tagger, "The Commodity Futures Trading Commission today issued an order "
                        "settling charges against Orion Markets Ltd. The order requires Orion to "
                        "pay a $3 million civil monetary penalty.", published="2025-10-20")
    assert [e.type for e in t.events].count("penalty") == 1
    t = tag_one(tagger, "Attorney General Letitia James announced a $5 million settlement with "
                        "Gotham Coin LLC. Under the agreement, Gotham Coin is barred from serving "
                        "New York customers.", published="2025-10-20")
    assert "ban" not in {e.type for e in t.events}
    t = tag_one(tagger, "Senator Maria Lopez submitted a bill to amend the fintech law on "
                        "Tuesday.", published="2025-10-20")
    assert events_of(t) == {("regulation", "happened", True)}
    for text, wrong in {
        "The U.S. Senate voted 51-47 to approve Daniel Hargrove as chairman of the Commodity "
        "Futures Trading Commission.": "regulation",
        "A federal judge struck down the rule, handing a win to industry groups that sued to "
        "block it.": "prosecution",
        "The State Bank of Vietnam reaffirmed its warning that the use of virtual currencies "
        "as a means of payment is prohibited.": "ban",
        "Under the revised measures, local authorities must not approve energy reviews for "
        "mining projects, the National Development and Reform Commission said.": "approval",
        "State-owned enterprises must not allow their data centres to be used for mining, the "
        "State-owned Assets Supervision and Administration Commission said.": "regulation",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_events_round40_cbdc_counted_inquiries_grants_received_and_review_of_round_38(tagger):
    _finds(tagger, {
        "The Bank of Ghana has ruled out issuing a central bank digital currency in the near "
        "term.": ("regulation", "denied", True),
        "The Reserve Bank of Australia has no plans to issue a retail central bank digital "
        "currency.": ("regulation", "denied", True),
        "Fines totalling 2 billion soums were imposed on four exchanges, the National Agency of "
        "Perspective Projects said.": ("penalty", "happened", True),
        "The Economic and Financial Crimes Commission said it had initiated 37 criminal "
        "investigations into crypto fraud.": ("investigation", "happened", True),
        "The Senate of the Philippines set up a special committee to investigate the collapse "
        "of the exchange.": ("investigation", "happened", True),
        "The exchange said it had received a full licence from the Virtual Assets Regulatory "
        "Authority.": ("approval", "happened", True),
        "The European Securities and Markets Authority issued a statement reminding investors "
        "that crypto-assets remain risky.": ("warning", "happened", True),
        "The Bank of Russia proposed on Wednesday allowing qualified investors to buy "
        "cryptocurrencies.": ("regulation", "happened", True),
        "The Canadian Securities Administrators set out expectations for crypto trading "
        "platforms in 2022.": ("regulation", "happened", False),
        "The ministry vowed to step up the fight against money laundering.":
            ("crackdown", "planned", True),
    }, published="2025-10-20")
    # a month's counted results opening the text are its news
    _finds(tagger, {
        "The Oversight and Anti-Corruption Authority said it had arrested 128 people during "
        "August.": ("prosecution", "happened", True),
    }, published="2025-09-03")
    # what the round 38 review found: a fine on another party, or by another body, stands
    for text in ("The Supreme People's Court sentenced the exchange's chief executive to six "
                 "years and fined the exchange 500 million yuan.",
                 "Ahmed Musa was sentenced to six years in prison on Monday, while the Securities "
                 "and Exchange Commission fined his firm 2 million naira."):
        assert "penalty" in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    _finds(tagger, {
        # "settlement" as payments words, and a settlement mentioned later, leave an approval
        "The Reserve Bank of India approved a settlement mechanism for rupee trade.":
            ("approval", "happened", True),
        "The Securities and Exchange Commission approved Grayscale's bitcoin ETF on Wednesday, "
        "a year after a settlement of its lawsuit.": ("approval", "happened", True),
        # "a decree banning" after "the text of" is the news, not a law in force
        "The Ministry of Justice published the text of a decree banning crypto mining in 10 "
        "regions on Monday.": ("ban", "happened", True),
        "Prosecutors in Manhattan charged the 12 with wire fraud on Wednesday.":
            ("prosecution", "happened", True),
    }, published="2025-10-20")
    for text, wrong in {
        "The Federal Reserve set out its expectations for interest rates over the coming year.":
            "regulation",
        "Regulators said they had been warned by whistleblowers months before the collapse.":
            "warning",
        "The opposition Democratic Alliance Party criticised the plan on Monday. The party said "
        "it would take legal action against those responsible for the scheme.": "crackdown",
        "The Ministry of Natural Resources approved 12 mining projects that met environmental "
        "requirements.": "regulation",
        "The Reserve Bank of Australia examined the case against raising rates in its minutes.":
            "investigation",
        "A federal judge granted approval for the liquidators to sell the shares.": "approval",
        "A court in Seoul overturned a 3 billion won fine on Upland Exchange.": "penalty",
        "The Federal Reserve reiterated its caution about cutting rates too early.": "warning",
        "The Financial Conduct Authority's annual report, laid before Parliament on Thursday, "
        "showed enforcement fines doubled.": "regulation",
        "No crypto firm has been authorised by the central bank to offer custody, the Bank of "
        "Ghana said.": "approval",
        "The Supreme Court exempted Tanvir Mining from paying the tax arrears assessed in 2022.":
            "regulation",
        "The ministry pledged to step up the fight against inflation this year.": "crackdown",
        "Only participants that have received a licence from the Astana Financial Services "
        "Authority may exchange digital assets.": "approval",
        "The Virtual Asset User Protection Act also introduces criminal penalties of up to life "
        "imprisonment.": "penalty",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    # a year's results reported in the autumn, or a sum of money, are not this year's news
    t = tag_one(tagger, "In 2024 the Securities and Exchange Commission imposed a $14 million "
                        "penalty on Arcwell Capital.", published="2025-11-10")
    assert ("penalty", "happened", False) in events_of(t)


def test_entities_round41_bracketed_portfolios_posts_in_names_and_hyphenated_given_names(tagger):
    """Titles with a portfolio in brackets, a post the model keeps inside a name, a title
    going on after "X and Y", and a hyphenated given name before a post."""
    cases = {
        "The licences were announced by Grace Lam, Executive Director (Banking Conduct) of the "
        "HKMA.": ("person:grace-lam", "Executive Director (Banking Conduct) of the HKMA"),
        '"Firms must comply," said Lim Hui Min, Assistant Managing Director (Capital Markets), '
        "MAS.": ("person:lim-hui-min", "Assistant Managing Director (Capital Markets), MAS"),
        '"The rules take effect in July," said ASIC Deputy Chair Morgan Ellery.':
            ("person:morgan-ellery", "ASIC Deputy Chair"),
        "Wong Kai Ming, deputy managing director for policy and supervision at the Monetary "
        "Authority of Singapore, said the rules were ready.":
            ("person:wong-kai-ming", "deputy managing director for policy and supervision at "
                                     "the Monetary Authority of Singapore"),
        "Kim Min-jun, a former deputy governor of the Financial Supervisory Service, was "
        "indicted on Monday.": ("person:kim-min-jun", "former deputy governor of the Financial "
                                                     "Supervisory Service"),
    }
    for text, official in cases.items():
        assert official in titles_of(tag_one(tagger, text, published="2025-10-20")), text
    # a bracket that is no portfolio ends the title
    t = tag_one(tagger, "Chair Elena Marchetti (pictured) said the rules were final.",
                published="2025-10-20")
    assert all("(" not in (title or "") for _, title in titles_of(t))


def test_entities_round41_listed_portfolios_owners_by_kind_and_glosses(tagger):
    """A portfolio listed with commas, a body named by its kind owning the post, an ordinal
    before the post, a one-word gloss in brackets, "X and Y Minister"."""
    cases = {
        "Ivan Koval, chairman of the Verkhovna Rada's finance, tax and customs policy "
        "committee, said the law would pass.":
            ("person:ivan-koval", "chairman of the Verkhovna Rada's finance, tax and customs "
                                  "policy committee"),
        "Minister of Energy, Mines and Low Carbon Innovation Paul Hendry said the pause would "
        "end.": ("person:paul-hendry", "Minister of Energy, Mines and Low Carbon Innovation"),
        "Anna Petrova, the ministry's press secretary, said the farms would be checked.":
            ("person:anna-petrova", "ministry's press secretary"),
        "Bilal Anwar, the authority's first chairman, said the rules were ready.":
            ("person:bilal-anwar", "authority's first chairman"),
        "Police detained Yerlan Sadykov, deputy akim (mayor) of Ekibastuz, on Monday.":
            ("person:yerlan-sadykov", "deputy akim (mayor) of Ekibastuz"),
        "Treasury and Finance Minister Mehmet Aksoy said the rules would be tightened.":
            ("person:mehmet-aksoy", "Treasury and Finance Minister"),
    }
    for text, official in cases.items():
        assert official in titles_of(tag_one(tagger, text, published="2025-10-20")), text
    # a name after the comma ends the post
    t = tag_one(tagger, "Minister of Energy, Paul Hendry and two deputies attended the meeting.",
                published="2025-10-20")
    assert all("Hendry" not in (title or "") for _, title in titles_of(t))


def test_events_review_of_rounds_39_and_40(tagger):
    """Sentences a colleague wrote against rounds 39 and 40: each was read wrongly."""
    _finds(tagger, {
        # what a body "said it" did, other than a passive or a copula
        "The regulator said it banned three unlicensed platforms from advertising on social "
        "media.": ("ban", "happened", True),
        "The watchdog said it fined Kestrel Markets 2 million pounds for failing to protect "
        "client money.": ("penalty", "happened", True),
        # an act under rules is still an act
        "Under the pilot rules, the Hong Kong Monetary Authority granted licences to two "
        "stablecoin issuers on Friday.": ("approval", "happened", True),
        # a ban in a clause of its own after a warning
        "The Central Bank of Nigeria warned banks against dealing in crypto and directed that "
        "all such accounts are prohibited with immediate effect.": ("ban", "happened", True),
        # narrowed patterns keep their events
        "The Monetary Authority of Singapore set out a framework for stablecoin issuers on "
        "Tuesday.": ("regulation", "happened", True),
        "The National Assembly of Vietnam adopted curbs on crypto advertising on Friday.":
            ("regulation", "happened", True),
        "The Monetary Authority of Singapore issued a S$1.2 million penalty against Kestrel Pay "
        "for AML breaches.": ("penalty", "happened", True),
        "The Central Bank of Nigeria repeated its caution to the public about crypto trading.":
            ("warning", "happened", True),
        "The Financial Conduct Authority reviewed cases against 14 firms suspected of "
        "mis-selling crypto products.": ("investigation", "happened", True),
        "The Ministry of Finance of Kazakhstan exempted crypto miners from paying value-added "
        "tax until 2027.": ("regulation", "happened", True),
        "The National Assembly voted to approve Kim Do-hyun's bill on virtual asset users on "
        "Thursday.": ("regulation", "happened", True),
        "The Senate voted 52-46 to approve Jonathan Keel as chairman of the Commodity Futures "
        "Trading Commission.": ("appointment", "happened", True),
        "Two exchanges that did not provide records were fined 5 million rupees each by the "
        "Financial Intelligence Unit on Monday.": ("penalty", "happened", True),
        "The Bank of Canada has no plans to issue a CBDC, Governor Tiff Macklem said on "
        "Wednesday.": ("regulation", "denied", True),
        "Nigeria's Senate formed a committee to probe the collapse of Bitzon Exchange.":
            ("investigation", "happened", True),
    }, published="2025-10-20")
    for text, wrong in {
        # the settlement a tribunal approves is the penalty's, not an approval
        "The Capital Markets Tribunal approved the settlement agreement, under which Bitwave "
        "will pay C$1.2 million.": "approval",
        "Bitzon has not received a licence from Dubai's Virtual Assets Regulatory Authority, "
        "the regulator said.": "approval",
        "If Bitzon obtains a licence from the Financial Conduct Authority, it will open a London "
        "office.": "approval",
        "The Securities and Exchange Commission said Bitzon operated in contravention of a state "
        "law prohibiting foreign-owned exchanges.": "ban",
        "The Supreme Court of Pakistan upheld the validity of a law banning crypto trading.":
            "ban",
        "A court in Shanghai jailed Chen Hao for six years, fined him 500,000 yuan and "
        "confiscated his illegal gains.": "penalty",
        "A Hanoi court sentenced Nguyen Van An to eight years in prison; the court also fined "
        "him 200 million dong.": "penalty",
        "A judge allowed the seized bitcoin to be used to compensate victims of the fraud.":
            "regulation",
        "Kazakhstan's Ministry of Energy said power shortages forced the shutdown of mining "
        "sites across the country.": "crackdown",
        "The Competition Commission of India said Bitzon's trading fees had been set well above "
        "those of its rivals.": "regulation",
        "The Monetary Authority of Singapore set up a taskforce to review its rules on "
        "stablecoins.": "investigation",
        "The Reserve Bank of India said it would continue the fight against high inflation.":
            "crackdown",
        "Regulators are investigating all possible ways to curb the use of dollars in retail "
        "payments.": "investigation",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    # a sum of money is no count of a month's results
    t = tag_one(tagger, "The Central Bank of Nigeria imposed a 50 million naira penalty on First "
                        "Coast Bank in September, the bank said.", published="2025-10-09")
    assert ("penalty", "happened", False) in events_of(t)
    # one verdict: the sentenced official's post between does not make the fine a penalty
    t = tag_one(tagger, "The Intermediate People's Court of Nanchang sentenced Zhao Min, former "
                        "deputy director of the Jiangxi Provincial Energy Bureau, to 11 years in "
                        "prison and fined him 2 million yuan.", published="2025-10-20")
    assert "penalty" not in {e.type for e in t.events}


def test_entities_review_of_round_41(tagger):
    """Sentences a colleague wrote against round 41's titles: each was read wrongly."""
    for text, person, title in [
        # a list after a post that ends in a verb, a place or a body is no portfolio
        ("Andrew Bailey, governor of the Bank of England, finance ministers and central bank "
         "governors gathered in Washington on Friday.", "person:andrew-bailey",
         "governor of the Bank of England"),
        ("Ivan Horvat, minister of economy, Croatia and Slovenia signed the deal.",
         "person:ivan-horvat", "minister of economy"),
        # "and" then no portfolio word ends the post
        ("Tim Scott, chairman of the Senate Banking Committee and author of the bill, said it "
         "would pass.", "person:tim-scott", "chairman of the Senate Banking Committee"),
        # two parties joined by "and", not one title
        ("The Federal Reserve and Treasury Secretary Scott Bessent have clashed over rates.",
         "person:scott-bessent", "Treasury Secretary"),
        ("The Bank of Japan and Finance Minister Katsunobu Kato met on Monday.",
         "person:katsunobu-kato", "Finance Minister"),
        # a photo direction or a party code in brackets is no portfolio
        ("Paul Atkins, SEC Chairman (pictured), said the rules were final.",
         "person:paul-atkins", "SEC Chairman"),
        ("Ted Cruz, the Senate Commerce Committee chairman (R-Texas), said the bill would pass.",
         "person:ted-cruz", "Senate Commerce Committee chairman"),
        # "the press" is no post
        ("Speaking to the press Finance Minister Muhammad Aurangzeb said the budget was final.",
         "person:muhammad-aurangzeb", "Finance Minister"),
    ]:
        got = dict(titles_of(tag_one(tagger, text, published="2025-10-20")))
        assert got.get(person) == title, (text, got)
    for text in ("Speaking at the Anti-corruption Summit, the deputy minister of justice said "
                 "the law would pass.",
                 "Members of the Anti-graft Panel, a former judge among them, resigned."):
        t = tag_one(tagger, text, published="2025-10-20")
        assert not [m for m in t.mentions if m.entity_id.startswith("person")], text
    # a post a firm owns is no public office
    t = tag_one(tagger, "The company's head of compliance, Laura Chen, resigned on Monday.",
                published="2025-10-20")
    assert all(m.rule_id.endswith(":private") for m in t.mentions if m.title)


def test_entities_round42_offices_ranks_and_opening_given_names(tagger):
    """A post the registry lists as an office before a name, a post in apposition after a
    military rank, and the first part of a name opening a sentence that the model drops."""
    for text, person, title in [
        ("Comptroller of the Currency Daniel Marsh said the charters would be granted.",
         "person:daniel-marsh", "Comptroller of the Currency"),
        ("Acting Comptroller of the Currency Helen Pryor said the letter was withdrawn.",
         "person:helen-pryor", "Acting Comptroller of the Currency"),
        ("Lieutenant General Tran Van Minh, Deputy Minister of Public Security, said 40 people "
         "were arrested.", "person:tran-van-minh", "Deputy Minister of Public Security"),
        ("Ana Lucia Moreira, the Federal Police delegate in charge of the case, said 12 people "
         "were arrested.", "person:ana-lucia-moreira",
         "Federal Police delegate in charge of the case"),
    ]:
        got = dict(titles_of(tag_one(tagger, text, published="2025-10-20")))
        assert got.get(person) == title, (text, got)
    # a post that is no rank keeps its place before a post in apposition that names no body
    got = dict(titles_of(tag_one(tagger, "Finance Minister Bilal Anwar, a close ally of the "
                                         "president, said the rules were ready.",
                                 published="2025-10-20")))
    assert got.get("person:bilal-anwar") == "Finance Minister", got
    # a word opening the sentence that names no one stays out of the name
    t = tag_one(tagger, "Yesterday Paula Ferreira, the Federal Police delegate, said 12 people "
                        "were arrested.", published="2025-10-20")
    assert "person:paula-ferreira" in {m.entity_id for m in t.mentions}


def test_events_round43_sweeps_unnamed_parties_dates_of_other_things_and_maximum_fines(tagger):
    _finds(tagger, {
        "The Sichuan Provincial Development and Reform Commission ordered cities to carry out "
        "inspections for cryptocurrency mining at industrial parks.":
            ("crackdown", "happened", True),
        "The Financial Supervisory Service found the breaches during an on-site inspection of "
        "the exchange in March.": ("investigation", "happened", False),
        "The Dubai Financial Services Authority launched its licensing regime for crypto firms "
        "in 2022.": ("regulation", "happened", False),
        "The Central Bank of Kuwait has no plans to license crypto exchanges, its governor "
        "said.": ("approval", "denied", True),
        "The settlement resolves charges the SEC filed against the company in 2024.":
            ("prosecution", "happened", False),
        "Mark Dalton pleaded guilty to wire fraud on Monday. He faces up to 20 years in prison "
        "when he is sentenced in March.": ("sentence", "planned", True),
        "The State Duma passed a law on mining on Tuesday. The regional government would also "
        "be able to ban mining in border districts.": ("ban", "hypothetical", True),
        "Deputy Energy Minister Pavel Sorokin said the ministry would impose a year-round ban in "
        "more districts of the region if illegal mining continued to grow.":
            ("ban", "hypothetical", True),
        "Police detained a deputy minister of finance on Tuesday.":
            ("prosecution", "happened", True),
        "Prosecutors opened an investigation into suspected bribery at the energy ministry.":
            ("investigation", "happened", True),
        "Companies that host mining rigs would be investigated, the State-owned Assets "
        "Supervision and Administration Commission said.": ("investigation", "planned", True),
        "The activity of 40 mining farms with a combined capacity of 300 MW has been suspended, "
        "the Financial Monitoring Agency said.": ("crackdown", "happened", True),
        "The Ministry of Energy lifted the ban on Monday. The ban, imposed in March to save "
        "power, had closed 60 farms.": ("ban", "happened", False),
        "Iran's Ministry of Energy said the moratorium could be reinstated if demand rises "
        "again.": ("ban", "hypothetical", True),
        '"Unlicensed promotion will not be tolerated," said Rashid Al Falasi, head of '
        "enforcement at the Virtual Assets Regulatory Authority.": ("warning", "happened", True),
        "Energy Minister Ivan Petrov was detained on Monday. The cabinet said on Tuesday it had "
        "dismissed Petrov.": ("expulsion", "happened", True),
        "The Reserve Bank of India dismissed market rumours that it could lift its ban on crypto "
        "payments.": ("regulation", "denied", True),
        "The People's Bank of China said the prohibition, which was imposed in 2019, would "
        "stay.": ("ban", "happened", False),
        "The Inner Mongolia Development and Reform Commission has drafted ten measures on "
        "cracking down on illegal mining.": ("regulation", "happened", True),
        # the year of the case the lapses were linked to is not the fine's
        "The Monetary Authority of Singapore fined two banks S$3 million for lapses linked to a "
        "laundering case uncovered in 2023.": ("penalty", "happened", True),
    }, published="2025-10-20")
    t = tag_one(tagger, "The commission for discipline inspection decided to give Li Wenbo the "
                        "punishment of expulsion from the Party.", published="2025-10-20")
    assert [("expulsion", {("person:li-wenbo", "target")})] == [
        (e.type, _roles(e)) for e in t.events], t.events
    for text, wrong in {
        "Iran's Ministry of Energy lifted its three-month ban on mining on Monday.": "ban",
        "A local official, who asked not to be named, said the farms had moved.": "appointment",
        "The police chief warned that offenders faced fines of up to $50,000.": "penalty",
        "The Enforcement Directorate seized phones and cash during the searches.": "crackdown",
        "FinCEN proposed designating the exchange a money laundering concern, a step that bars "
        "banks from serving it.": "ban",
        "The Ministry of Energy allowed about 50 authorised farms to reconnect to the grid.":
            "approval",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_entities_round43_company_officers_association_posts_and_a_verb_after_a_place(tagger):
    """A company's officer and an association's chairman hold no public office; a title
    given a sentence before stops at the verb after its place."""
    for text in ("Chief financial officer Maria Lindqvist said orders had doubled.",
                 "The miner's Chief Operating Officer, Tomas Berg, said the site was ready.",
                 '"The rules will drive out honest firms," association chairman Nurlan Abenov '
                 "said."):
        t = tag_one(tagger, text, published="2025-10-20")
        assert all(m.rule_id.endswith(":private") for m in t.mentions if m.title), text
    # a police officer is still an official
    t = tag_one(tagger, "Police officer Jamal Idris said 12 rigs were seized.",
                published="2025-10-20")
    assert [m.rule_id.endswith(":private") for m in t.mentions if m.title] == [False]
    # a state legislator's title opens the sentence and is no part of her name
    got = dict(titles_of(tag_one(tagger, "Assemblywoman Rosa Delgado on Monday introduced a bill "
                                         "to tax miners.", published="2025-10-20")))
    assert got.get("person:rosa-delgado") == "Assemblywoman", got
    got = dict(titles_of(tag_one(
        tagger, "A former county commissioner in western Texas pleaded guilty on Monday to "
                "taking bribes. Gary Pruitt, who led the county from 2018 to 2022, admitted "
                "that he took cash.", published="2025-10-20")))
    assert got.get("person:gary-pruitt") == "former county commissioner in western Texas", got


def test_events_round44_counted_cases_named_documents_tax_authorities_and_review_of_round_43(
        tagger):
    _finds(tagger, {
        "A Federal High Court in Abuja sentenced a 42-year-old man to five years in prison for "
        "fraud. The judge also ordered that two houses and a car belonging to the convict be "
        "forfeited to the Federal Government.": ("penalty", "happened", True),
        "A Federal High Court in Abuja sentenced a 42-year-old man to five years in prison for "
        "fraud.": ("sentence", "happened", True),
        "Police in Henan solved more than 900 cases of telecom fraud last year, the Ministry of "
        "Public Security said.": ("crackdown", "happened", False),
        "Since January, the CSRC has worked with the police to shut down 85 illegal websites, "
        "the commission said.": ("crackdown", "happened", True),
        # "that year" is the year named before
        "Local records show the farms in Hami ran on coal power until 2021. Authorities in "
        "Xinjiang shut down dozens of mining farms that year.": ("crackdown", "happened", False),
        "The Bank of England softened a plan the Bank first floated in 2023.":
            ("regulation", "happened", False),
        'The Financial Supervisory Commission issued the "Rules Governing Virtual Asset Service '
        'Providers" on Tuesday.': ("regulation", "happened", True),
        "Denmark's tax minister said he will present a bill on crypto taxation in the autumn.":
            ("regulation", "planned", True),
        "The Finnish Tax Administration has updated its guidance on the taxation of crypto "
        "staking.": ("regulation", "happened", True),
        "The Swedish Tax Agency said it would begin auditing crypto traders next year.":
            ("investigation", "planned", True),
        "The Swedish Tax Agency audited Nordic Hash AB in 2023.":
            ("investigation", "happened", False),
        "The FSCA declared crypto assets a financial product in October 2022.":
            ("regulation", "happened", False),
        '"Unregistered platforms will face enforcement action," said Unathi Kamlana, '
        "commissioner of the Financial Sector Conduct Authority.": ("warning", "happened", True),
        "China's state planner has proposed listing crypto mining among industries to be "
        "eliminated.": ("regulation", "happened", True),
        # a board's name, after its body is named, is no company's executive
        "The European Central Bank published its review. Speaking in Frankfurt, ECB Executive "
        "Board member Anna Richter warned that stablecoins could drain bank deposits.":
            ("warning", "happened", True),
        "The Kenya Revenue Authority warned platforms that failure to remit the tax would "
        "attract penalties.": ("warning", "happened", True),
        # what the review of round 43 found: "decide later if" asks whether; a fine imposed
        # "of up to" an amount; farms dismantled during searches; a date after "after"
        "The Central Bank of Nigeria said it would ban crypto payments by banks from January 1 "
        "and decide later if other firms are covered.": ("ban", "planned", True),
        "The Securities and Exchange Commission imposed fines of up to $100,000 on each of "
        "three brokers.": ("penalty", "happened", True),
        "Police dismantled 25 illegal mining farms during searches in three districts, the "
        "interior ministry said.": ("crackdown", "happened", True),
        "Iran banned mining for four months shortly after power cuts started in May 2021.":
            ("ban", "happened", False),
    }, published="2025-10-20")
    # the next hearing's date is not the remand's
    _finds(tagger, {
        "The EFCC on Monday arraigned three promoters of Zentra Global. Justice Ade Bello "
        "adjourned the matter to June 24 and ordered that the defendants be remanded in "
        "custody.": ("prosecution", "happened", True)}, published="2025-05-19")
    t = tag_one(tagger, "The EFCC on Monday arraigned three promoters of Zentra Global. Justice "
                        "Ade Bello adjourned the matter to June 24 and ordered that the "
                        "defendants be remanded in custody.", published="2025-05-19")
    assert {e.is_news for e in t.events} == {True}, t.events
    for text, wrong in {
        "The central bank said it wanted to regulate the activity rather than prohibit it.": "ban",
        "The tax cut, if approved by parliament, would take effect in January.": "approval",
        "In a statement, the EFCC vowed to continue to go after fraudulent platforms.": "pledge",
        "Exchanges were charged higher fees by the grid operator.": "prosecution",
        "The minister dismissed Bitcoin as a fad.": "expulsion",
        "The committee carried out background checks for the nominees.": "crackdown",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_entities_round44_national_bodies_and_names_shared_with_other_countries(tagger):
    """Tax authorities and other national bodies the registry lacked; a name other countries'
    bodies bear resolves only in a text about the registry's country."""
    for text, body in [
        ("The Malta Financial Services Authority granted the licence.", "mt-mfsa"),
        ("The Kenya Revenue Authority (KRA) warned platforms. KRA said the rate falls.",
         "ke-kra"),
        ("Skatteverket, the Swedish Tax Agency, audited the miner.", "se-skatteverket"),
        ("Thailand's Revenue Department said crypto gains are taxable. The Revenue Department "
         "will issue guidance.", "th-rd"),
        ("Kenya's parliament passed the bill. The National Treasury said the tax would fall.",
         "ke-treasury"),
    ]:
        t = tag_one(tagger, text, published="2025-10-20")
        assert body in {e.id for e in t.entities if e.kind == "agency"}, text
    for text in ("Britain's Financial Services Authority fined the bank in 2010.",
                 "The Revenue Department of Andhra Pradesh seized the land.",
                 "The Department of Economic Affairs in Pakistan issued a notice."):
        t = tag_one(tagger, text, published="2025-10-20")
        assert not {e.id for e in t.entities if e.kind == "agency"} & {
            "om-fsa", "th-rd", "in-dea"}, text


def test_events_round45_documents_by_number_rescinded_policies_and_unnamed_ringleaders(tagger):
    _finds(tagger, {
        "The People's Court of Hanoi on Thursday sentenced the ringleader of a token scam to 20 "
        "years in prison.": ("sentence", "happened", True),
        "A federal grand jury indicted Dale Ruston in May 2023 on wire fraud charges.":
            ("prosecution", "happened", False),
        # an agreed payment "to resolve findings" is done
        "Harbor Digital LLC will pay a $9 million penalty and hire an independent monitor to "
        "resolve findings by the New York Department of Financial Services.":
            ("penalty", "happened", True),
        "The Office of the Comptroller of the Currency published Interpretive Letter 1184 on "
        "Friday.": ("regulation", "happened", True),
        "The Securities and Exchange Commission on Thursday rescinded a staff accounting "
        "bulletin on crypto custody.": ("regulation", "happened", True),
        # the participle after the comma is what the body did; the policy's year is its own
        "The Federal Deposit Insurance Corp said banks may offer crypto custody without its "
        "approval, reversing a 2022 policy.": ("regulation", "happened", True),
        "The Georgia General Assembly gave final passage to a bill exempting data centres from "
        "sales tax.": ("regulation", "happened", True),
        "The Manitoba government is introducing a regulation to pause new mining connections.":
            ("regulation", "planned", True),
        "Kyrgyzstan's State Committee for National Security said it had uncovered 12 illegal "
        "mining farms in Osh region.": ("crackdown", "happened", True),
        "A pre-trial investigation has been launched under Article 214 of the Criminal Code, "
        "Kazakhstan's Financial Monitoring Agency said.": ("investigation", "happened", True),
        "The ministry had suspended the licences of six miners in February over unpaid bills.":
            ("penalty", "happened", False),
        "FIRs have been registered against 200 people, the Federal Investigation Agency said.":
            ("prosecution", "happened", True),
        "The Finance Ministry expected to license the first exchanges early next year, Deputy "
        "Finance Minister Tran Quoc Bao said.": ("approval", "planned", True),
        # a tariff approved is a rule
        "Kyrgyzstan's Cabinet of Ministers has approved a separate electricity tariff for "
        "cryptocurrency miners.": ("regulation", "happened", True),
    }, published="2025-10-20")
    for text, wrong in {
        "The head of Dagestan has vowed that the raids will continue until illegal mining "
        "ends.": {"pledge"},
        # what a bill introduces, and the standing ban where mining stays illegal
        "The State Duma passed a bill introducing fines for mining in regions where it is "
        "banned.": {"ban", "penalty"},
        "The Uzbek agency fined an unregistered miner 400 million sums and confiscated its "
        "equipment.": {"crackdown"},
        "The Texas bill requires large mines to disclose how quickly they can shut down when "
        "the grid is strained.": {"crackdown"},
        "The commission approved the contract after the miner agreed to post a letter of credit "
        "in case it shuts down early.": {"crackdown"},
    }.items():
        assert not wrong & {e.type for e in tag_one(tagger, text, published="2025-10-20")
                            .events}, text
    # a second ban after one reported is the same measure
    t = tag_one(tagger, "The government banned mining in ten regions on Tuesday. A year-round "
                        "ban will apply in Dagestan from January 1.", published="2025-10-20")
    assert events_of(t) == {("ban", "happened", True)}, t.events


def test_events_review_of_round_44(tagger):
    """What the review of round 44 found: the narrowings of round 44 went too far in places,
    and short abbreviations of the new national bodies named other countries' bodies."""
    _finds(tagger, {
        "Traders were jailed for running the scheme, the Supreme People's Court said.":
            ("sentence", "happened", True),
        "Police detained a former port authority chairman on Tuesday.":
            ("prosecution", "happened", True),
        "President Tokayev dismissed Arman Zhakupov, the head of the state grid operator.":
            ("expulsion", "happened", True),
        "The Central Bank of Bahrain launched a regulatory sandbox for crypto custody firms.":
            ("regulation", "happened", True),
        "Pakistan's regulator will begin to license crypto brokers next month.":
            ("approval", "planned", True),
        "If approved by the Financial Services Regulatory Authority, the licence would let "
        "the exchange serve retail clients.": ("approval", "hypothetical", True),
        "Forty mining facilities across Kazakhstan have been closed following inspections by "
        "the Financial Monitoring Agency.": ("crackdown", "happened", True),
        "Police arrested the former mayor of Bratsk after the fraud surfaced in 2023.":
            ("prosecution", "happened", True),
        "Kazakhstan shut down 106 illegal mining farms weeks after protests erupted in January "
        "2022.": ("crackdown", "happened", False),
    }, published="2025-10-20")
    for text, wrong in {
        "Banks were charged with monitoring crypto transactions under the new guidelines.":
            "prosecution",
        "Binance fired Chen Liwei, its head of compliance, after the breach.": "expulsion",
        "The ministry presented figures showing that the new law had cut fraud.": "regulation",
        'The Securities and Futures Commission released the "Annual Report" on Monday.':
            "regulation",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    for text in ("The Commonwealth Bank of Australia (CBA) reported record profits.",
                 "The Community Reinvestment Act (CRA) requires banks to lend locally.",
                 "Residents of Vero Beach voted on the measure.",
                 "Taiwan's Criminal Investigation Bureau raided the offices."):
        t = tag_one(tagger, text, published="2025-10-20")
        assert not {e.id for e in t.entities if e.kind == "agency"} & {
            "am-cba", "ca-cra", "fi-vero", "tw-mjib"}, text
    # a board's name after the central bank is named is no company's executive
    got = dict(titles_of(tag_one(
        tagger, "The European Central Bank kept rates unchanged. Executive Board member Karla "
                "Weiss said a digital euro would be ready by 2029.", published="2025-10-20")))
    assert got.get("person:karla-weiss") == "Executive Board member", got
    t = tag_one(tagger, "Deutsche Bank reported higher profits. Executive Board member Lars "
                        "Hoffmann said costs fell.", published="2025-10-20")
    assert all(m.rule_id.endswith(":private") for m in t.mentions if m.title), t.mentions


def test_events_review_of_round_45(tagger):
    """What the review of round 45 found, narrowed: dismissals need a full name, campaigns
    extended need a crackdown, a court reversing an order is no rule rescinded, a passive
    "were shut down in" is a crackdown, and so are farms "closed since January"."""
    _finds(tagger, {
        "Nine crypto exchanges were shut down in Thailand on Monday, the Securities and "
        "Exchange Commission said.": ("crackdown", "happened", True),
        "Forty mining farms have been closed since January, the Financial Monitoring Agency of "
        "Kazakhstan said.": ("crackdown", "happened", True),
    }, published="2025-10-20")
    for text, wrong in {
        "The finance minister dismissed Bitcoin, citing its volatility.": "expulsion",
        "The marketing campaign was extended to Brazil.": "crackdown",
        "An appeals court reversed the order freezing the exchange's accounts.": "regulation",
        "Britain's Treasury launched a review of the regulatory framework for crypto assets.":
            "regulation",
        "Unless approved by the Financial Services Regulatory Authority, firms cannot serve "
        "retail clients.": "approval",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text
    for text, body in [("Ghana's GRA will begin taxing crypto gains in January.", "gh-gra"),
                       ("Indonesia's criminal police arrested two suspects.", "id-police")]:
        t = tag_one(tagger, text, published="2025-10-20")
        assert body in {e.id for e in t.entities if e.kind == "agency"}, text


def test_events_round46_long_objects_relative_laws_and_lobbies(tagger):
    """Round 46 (blind82+83): a jail term after a long object, sentences received, laws a
    body passed or issued named without "the", loosening rules, raids on homes, two levels of
    regulators acting together, and a sentence-opening name the model missed."""
    _finds(tagger, {
        "A court in Fujian has jailed the organiser of a purported crypto mining fund for nine "
        "years.": ("sentence", "happened", True),
        "The court jailed Li Wei for ten years. Three accomplices received sentences of two to "
        "four years.": ("sentence", "happened", True),
        "The scheme broke rules under a law Congress passed in 2021.":
            ("regulation", "happened", False),
        "Exchanges must follow rules Banxico issued in 2020.": ("regulation", "happened", False),
        "The fee cap is part of the Money Transmission Act, which lawmakers passed in 2022.":
            ("regulation", "happened", False),
        "Mexico's central bank said it had no plans to relax rules that bar lenders from holding "
        "bitcoin.": ("regulation", "denied", True),
        "Police raided more than 40 houses suspected of hosting mining rigs, the ministry said.":
            ("crackdown", "happened", True),
        "A Lyon court on Monday handed a four-year prison sentence to Marc Duval, the head of a "
        "firm that sold fake mining contracts.": ("sentence", "happened", True),
        "Federal and state regulators on Monday warned investors about fake crypto recovery "
        "services.": ("warning", "happened", True),
        "The Longgang District People's Procuratorate said it would work with police to curb "
        "money laundering through virtual currencies.": ("crackdown", "planned", True),
    }, published="2025-10-20")
    for text, wrong in {
        # a lobby's call is no event, however its country is named
        "Kazakhstan's mining industry association has called on the government to loosen the "
        "rules that cap miners' grid power.": "regulation",
        "The licence was issued under the module, which was first introduced in 2019.":
            "regulation",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_events_round47_referrals_formal_investigations_honorifics_and_promised_returns(tagger):
    """Round 47 (blind90+91): a referral to prosecutors was written as one alternative with
    "judicial organs" and never matched alone; France's formal investigation and house arrest;
    a name after "Dame" or "Sir"; a proposal to hand a body powers; calls to regulate; a
    transition period cut; members of the public alerted or advised; a charge in court to come;
    and a scheme's promised returns are no pledge."""
    _finds(tagger, {
        "The Financial Supervisory Service said it would refer the case to prosecutors.":
            ("prosecution", "planned", True),
        "A French investigating judge has placed the founder of a failed crypto lending app "
        "under formal investigation for fraud, prosecutors said.":
            ("prosecution", "happened", True),
        "Officers of the Guardia di Finanza placed a regional councillor under house arrest on "
        "Monday.": ("prosecution", "happened", True),
        "The Treasury said the Chancellor has appointed Sir Edmund Hale as Chair of the "
        "Prudential Regulation Authority.": ("appointment", "happened", True),
        "The European Commission proposed on Wednesday to give ESMA direct supervision of the "
        "largest crypto exchanges.": ("regulation", "happened", True),
        "MPs have urged the government to regulate crypto trading as gambling.":
            ("regulation", "hypothetical", True),
        "Portugal's securities regulator CMVM said it plans to shorten the transitional period "
        "for crypto firms to six months.": ("regulation", "planned", True),
        "The Securities and Futures Commission is alerting members of the public to a "
        "suspicious trading platform.": ("warning", "happened", True),
        "A 29-year-old woman will be charged in court on Friday for her suspected role in a "
        "crypto scam, the Singapore Police Force said.": ("prosecution", "planned", True),
        "The Monetary Authority of Singapore said it has no plans to license such businesses.":
            ("approval", "denied", True),
        "The European Public Prosecutor's Office has uncovered a suspected customs fraud worth "
        "80 million euros.": ("investigation", "happened", True),
        "The Hong Kong government released a policy statement, pledging to issue tokenised "
        "bonds regularly.": ("pledge", "happened", True),
        "Regional prosecutors said Harju County Court had sentenced two Latvian businessmen to "
        "four years in prison.": ("sentence", "happened", True),
    }, published="2025-10-20")
    # a decision's coordinated infinitive is done, however far back "decided" is
    t = tag_one(tagger, "In accordance with the regulations, it was decided to expel Zhou Lin "
                        "from the Party and dismiss him from public office; and to transfer his "
                        "suspected crimes to the procuratorate in accordance with the law.",
                published="2025-10-20")
    assert ("prosecution", "planned", True) not in events_of(t)
    for text, wrong in {
        "The sites promised returns of up to 25% a month, the regulator said.": "pledge",
        "He warned that owners of illegal farms would be referred to the judiciary.":
            "prosecution",
    }.items():
        assert wrong not in {e.type for e in tag_one(tagger, text, published="2025-10-20")
                             .events}, text


def test_events_round48_sandboxes_permits_and_decisions(tagger):
    """Round 48 (blind92+93): firms approved to run pilots are an approval, not an
    appointment; admission to a sandbox and permits granted are approvals; a decision
    regulating an activity is a regulation."""
    for text, expected in {
        "The Cambodian government has approved four companies to run pilot projects in "
        "cryptocurrency mining.": ("approval", "happened", True),
        "Uganda's Capital Markets Authority has admitted three fintech firms into its regulatory "
        "sandbox.": ("approval", "happened", True),
        "Turkey's Capital Markets Board on Monday published a list of licensed platforms, "
        "granting full operating permits to nine exchanges.": ("approval", "happened", True),
        "The UAE's Securities and Commodities Authority has issued a decision regulating the "
        "custody of virtual assets.": ("regulation", "happened", True),
    }.items():
        events = events_of(tag_one(tagger, text, published="2025-10-20"))
        assert expected in events and not any(e[0] == "appointment" for e in events), text


def test_events_alternatives_of_different_lengths_each_match(tagger):
    """A pattern position holds one token's alternatives: patterns that wrote "clean - up|
    rectification", "has|have|had been|was|were" or "a|an financial product|security" as one
    list of phrases matched only their longest reading (an audit of all 533 patterns)."""
    _finds(tagger, {
        "The Inner Mongolia government said it would continue the rectification into next "
        "year.": ("crackdown", "planned", True),
        "The Sichuan government will complete the cleanup and shutdown of all mining projects "
        "by June.": ("crackdown", "planned", True),
        "The Securities Commission declared tokenised gold a security on Tuesday.":
            ("regulation", "happened", True),
        "A criminal case was opened under Article 159 of the Criminal Code, Kazakhstan's "
        "Financial Monitoring Agency said.": ("investigation", "happened", True),
        "China will cut its carbon emissions by 65% by 2030, President Xi Jinping said.":
            ("pledge", "happened", True),
        "Former deputy governor Wang Li was stripped of all his posts, the Central Commission "
        "for Discipline Inspection said.": ("expulsion", "happened", True),
    }, published="2025-10-20")


def test_events_real_news_wars_suits_bills_duties_honours_and_questions(tagger):
    """A reading of every event tagged in the 181 real article bodies and the real feeds and
    government texts of ../shared/corpus found these false kinds (the sentences here are
    new ones of the same kinds): war is no crackdown, a victims' suit no prosecution, an
    invoice no bill, a duty no charge, an honour no appointment, a question no event; a
    pending Act's "would" is hypothetical, a fear is no act, and "worked with X to
    investigate" was done."""
    for text in (
        "The army has trained local militias to fight against Islamic State in the east.",
        "Donors pledged money for the country's own fight against poverty and disease.",
        "The allies discussed the coalition campaign against Daesh in northern Iraq.",
        "Families of the victims who are suing the airline met the transport minister.",
        "Importers that miss the deadline are sent a new bill by the customs office.",
        "The brigade, which the defence ministry set up in 2019, is charged with securing "
        "the border crossings.",
        "In 2020 the central bank's governor was named “Banker of the Year” by a magazine.",
        "What steps has the Justice Department taken to investigate the leak?",
    ):
        events = events_of(tag_one(tagger, text, published="2025-10-20"))
        assert not events & {(t, m, n) for t in ("crackdown", "prosecution", "regulation",
                                                  "appointment", "investigation")
                             for m in ("happened", "planned") for n in (True, False)}, text
    _finds(tagger, {
        "The Digital Assets Act, under consideration by the US Senate, would impose a ban on "
        "algorithmic stablecoins.": ("ban", "hypothetical", True),
        "The county sheriff said his deputies worked with the FBI to investigate the "
        "exchange.": ("investigation", "happened", True),
        "The People's Bank of China said it had stepped up its fight against unlicensed "
        "crypto exchanges.": ("crackdown", "happened", True),
    }, published="2025-10-20")
    fear = events_of(tag_one(tagger, "The founder cited his fear of being extradited to the "
                                     "United States by the Justice Department."))
    assert not any(m == "happened" for _, m, _ in fear), fear


def test_events_central_bank_guidance_holds_and_purchases(tagger):
    """A central bank's statement (read on the FOMC statements of ../shared/corpus, half of
    the 40 labelled ones; the other half measured the gain): guidance on its own future
    policy is a pledge, a rate left unchanged, a discount-rate cut approved and a slower pace
    of purchases are regulations, and "it will be appropriate to raise" is guidance, not a
    planned rate rise; so are older statements' "pressure on reserve positions" and "a
    directive biased toward" a move."""
    _finds(tagger, {
        "The Federal Open Market Committee decided on Wednesday to leave its target for the "
        "federal funds rate unchanged at 3 percent.": ("regulation", "happened", True),
        "The Federal Reserve said economic conditions are likely to warrant low levels of the "
        "federal funds rate for some time.": ("pledge", "happened", True),
        "The Central Bank of Chile said it would respond to changes in the outlook as "
        "needed.": ("pledge", "happened", True),
        "The Federal Reserve Board approved a cut in the discount rate to 4 percent.":
            ("regulation", "happened", True),
        "The Federal Reserve said it had decided to slow the pace of its asset purchases.":
            ("regulation", "happened", True),
        # older wording
        "The Federal Open Market Committee decided on Tuesday to increase slightly the degree "
        "of pressure on reserve positions.": ("regulation", "happened", True),
        "The Federal Open Market Committee adopted a directive biased toward a possible easing "
        "of policy.": ("pledge", "happened", True),
    }, published="2025-10-20")
    events = events_of(tag_one(tagger, "The Federal Reserve said it anticipates that it will "
                                       "be appropriate to raise the target range for the "
                                       "federal funds rate next year.",
                               published="2025-10-20"))
    assert ("regulation", "planned", True) not in events, events


def test_events_tariffs_and_measures_struck_down(tagger):
    """Trade measures and courts striking a measure down are regulations (the blind labels
    of the 181 real article bodies); a ban struck down is no ban."""
    _finds(tagger, {
        "India's commerce ministry said it would raise tariffs on imported steel if talks with "
        "Beijing failed.": ("regulation", "hypothetical", True),
        "Kazakhstan's Constitutional Court on Monday declared the government's mining tax "
        "unconstitutional.": ("regulation", "happened", True),
    }, published="2025-10-20")
    events = events_of(tag_one(tagger, "Kazakhstan's Supreme Court on Monday struck down the "
                                       "ban on cryptocurrency mining in Ekibastuz.",
                               published="2025-10-20"))
    assert ("regulation", "happened", True) in events and not any(
        t == "ban" for t, _, _ in events), events


def test_events_initials_of_a_body_named_before_and_dashed_datelines(tagger):
    """Round 49 (blind88+89): a body's later initials ("DFS" after "New York State
    Department of Financial Services") act for it; an unnamed party after a dateline with
    an en dash ("ALEXANDRIA, Va. – A Fairfax County man was sentenced") is a target."""
    t = tag_one(tagger, "The New York State Department of Financial Services on Monday fined "
                        "Halcyon Trust $2 million. DFS had previously fined Halcyon Trust "
                        "$1 million in 2020 for reporting failures.", published="2025-10-20")
    assert ("penalty", "happened", False) in events_of(t)
    assert any(m.entity_id == "us-nydfs" and m.surface == "DFS" for m in t.mentions)
    _finds(tagger, {
        "RICHMOND, Va. – A Henrico County woman was sentenced today to five years in prison "
        "for running an unlicensed bitcoin exchange.": ("sentence", "happened", True),
    }, published="2025-10-20")


def test_events_confiscated_gains_and_counted_cases(tagger):
    """Round 49: "his illegal gains have been confiscated" in a discipline notice is a penalty
    the notice's body imposed (a court's "will be recovered" stays part of its verdict);
    "four suspected cases of ... have been placed on file for investigation" has counted
    cases as its target."""
    _finds(tagger, {
        "The Leshan Municipal Commission for Discipline Inspection said Zhou Ming had been "
        "expelled from the party. His illegal income has been confiscated.":
            ("penalty", "happened", True),
        "Three suspected cases of electricity theft have been placed on file for investigation "
        "by the Aba Prefecture Public Security Bureau.": ("investigation", "happened", True),
    }, published="2025-10-20")
    verdict = events_of(tag_one(tagger, "The Aba Intermediate People's Court sentenced Zhou "
                                        "Ming to six years in prison. His illegal gains will "
                                        "be recovered.", published="2025-10-20"))
    assert not any(t == "penalty" for t, _, _ in verdict), verdict


def test_entities_the_start_of_a_named_body_is_that_body(tagger):
    """"The Federal Reserve ... The Board of Governors approved": a name that opens the full
    name of a body the text names (the Fed's registry name is "Board of Governors of the
    Federal Reserve System") is that body, so it acts."""
    t = tag_one(tagger, "The Federal Reserve on Tuesday announced two policy actions. The Board "
                        "of Governors approved an increase in the discount rate to 6 percent.",
                published="2025-10-20")
    assert ("regulation", "happened", True) in events_of(t)
    assert any(m.entity_id == "us-fed" and m.surface.endswith("Board of Governors")
               for m in t.mentions), [(m.entity_id, m.surface) for m in t.mentions]


def test_events_commitments_with_an_adverb_or_underlined(tagger):
    """Government statements (the re3d texts): "remain firmly committed to" and "underlined
    its commitment to" are commitments."""
    _finds(tagger, {
        "The Australian Government remains firmly committed to supporting Iraq's economic "
        "reforms, the foreign minister said.": ("pledge", "happened", True),
        "Japan's finance minister underlined the government's commitment to cutting its "
        "deficit.": ("pledge", "happened", True),
    }, published="2016-10-20")


def test_events_undated_text_dates_its_history_by_its_latest_date(tagger):
    """A text with no publication date (a page without one): an act dated years before the
    latest date the text names is background."""
    t = tag_one(tagger, "On 12 May 2016 the Iraqi government announced new security measures "
                        "for Basra. Ali Hassan was appointed governor of Basra by Prime Minister "
                        "Nouri al-Maliki in February 2007.", published=None)
    assert ("appointment", "happened", False) in events_of(t), events_of(t)


def test_events_round49_orders_appositions_pronouns_and_decisions_to_arrest(tagger):
    """Round 49 (blind88+89): firms that "will pay" under consent orders pay the penalty of the
    body named before; "confirmed X, a former official and lawyer, as chairman of" is an
    appointment however long the apposition; "plans to propose" a measure is a planned
    regulation; a pronoun opening a clause after a semicolon, or inside the trigger ("removed
    him from his post"), is the person named before; "has decided to arrest" is an arrest."""
    _finds(tagger, {
        "The California Department of Financial Protection and Innovation on Tuesday announced "
        "actions against two kiosk operators. Under consent orders, Northgate ATM LLC and Kiosk "
        "Lane Inc. will pay $600,000 in penalties.": ("penalty", "happened", True),
        "The U.S. Senate on Tuesday confirmed Laura Benning, a former bank examiner and "
        "securities lawyer, as chair of the Securities and Exchange Commission.":
            ("appointment", "happened", True),
        "The Bank of England plans to propose next year a cap on individual holdings of "
        "systemic stablecoins, Deputy Governor Sarah Breeden said.":
            ("regulation", "planned", True),
        "Wang Lei, former deputy director of the Golmud Municipal Natural Resources Bureau, "
        "approved land for a mining site; he was given a serious warning within the party and "
        "removed from his post.": ("expulsion", "happened", True),
        "The Shanxi Provincial People's Procuratorate has decided to arrest Hu Ping, former "
        "director of the Datong Municipal Energy Bureau, on suspicion of accepting bribes.":
            ("prosecution", "happened", True),
        "Zhao Gang, Party secretary of Wuhai, is under disciplinary review. The Inner Mongolia "
        "Party Committee has removed him from his post.": ("expulsion", "happened", True),
    }, published="2025-10-20")


def test_entities_a_name_the_model_left_unread_after_a_trigger(tagger):
    """"opened an investigation into Stackfield, a crypto app": a capitalised name right after
    "into", "against", "sued", "charged" or "fined", or opening a sentence before a passive
    of such an act, that neither the model nor the registries read is an organisation, so
    the act has its target (not "Mr Harcourt", not "Munich-based")."""
    t = tag_one(tagger, "Ohio Attorney General Dave Yost said Monday his office has opened an "
                        "investigation into Brookhaven, a crypto app that pays 9% interest.",
                published="2025-10-20")
    assert any(r.entity_id == "org:brookhaven" and r.role == "target"
               for e in t.events if e.type == "investigation" for r in e.roles)
    fined = tag_one(tagger, "BaFin fined Munich-based custodian Vaultline 2 million euros.",
                    published="2025-10-20")
    assert not any(m.entity_id == "org:munich" for m in fined.mentions)
    # a sentence's opening name as the subject of a passive of such an act
    probed = tag_one(tagger, "Quillcrest is reportedly being investigated by the New York "
                             "State Attorney General.", published="2025-10-20")
    assert any(r.entity_id == "org:quillcrest" and r.role == "target"
               for e in probed.events for r in e.roles), probed.events
