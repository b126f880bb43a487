"""Documents with labelled items and labelled non-items, written by the tests for fitting and
checking the item scorer (bench/fit_items.py, tests/test_item_scorer.py).

Each document is Markdown in one of many house styles (prose learning briefings, news items
with findings in prose, minutes and committee papers, practice reviews, 7-minute briefings,
annual and yearly reports with priorities and next steps, regional board, child protection
committee, NHS trust and national panel reports, news of inspections and research), and pages
that hold no items at all (event pages, statistics stories, procedures chapters, minutes of
resolutions, news of a seminar, contents pages), built from parts in many wordings, with
the items a careful reader would list (kind, text). Everything else in it is not an item.
``documents(seed, n)`` is deterministic.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

TOPICS = [
    "neglect", "domestic abuse", "parental mental health", "child sexual exploitation", "criminal exploitation",
    "safer sleep", "information sharing", "pre-birth assessment", "children who go missing", "self-harm",
    "online harm", "bruising in babies who are not mobile", "school attendance", "parental substance misuse",
    "disabled children", "private fostering", "professional curiosity", "early help", "transition to adult services",
    "fathers and male carers", "adolescent neglect", "emotional abuse", "coercive control", "home schooling",
    "serious youth violence", "female genital mutilation", "non-accidental head injury", "dental neglect",
]
PROFS = ["professionals", "practitioners", "health visitors", "social workers", "frontline staff", "GPs",
         "school staff", "midwives", "police officers", "staff in all agencies", "managers", "early help workers",
         "professionals from all agencies", "adult and children's services"]
ORGS = ["The Partnership", "The Board", "Safeguarding partners", "The local authority", "The ICB", "Partner agencies",
        "Commissioners", "The LSCB", "The Trust", "The Regional Safeguarding Board", "The Child Protection Committee",
        "The Safeguarding Children Partnership", "Health commissioners", "The Department for Education"]
SOURCES = ["The review", "The reviews", "Case reviews", "Published case reviews", "The audit", "The thematic review",
           "The Panel's review", "Our analysis", "The learning review", "Inspectors", "The rapid reviews",
           "Local reviews", "The multi-agency audit", "The practice review"]
# (base form, -ing form, rest with {t} for a topic)
VERBS = [
    ("seek assurance", "seeking assurance", "that {t} is considered in every assessment"),
    ("review", "reviewing", "the multi-agency guidance on {t}"),
    ("develop", "developing", "a multi-agency strategy for {t}"),
    ("ensure", "ensuring", "that training on {t} is available to all staff"),
    ("audit", "auditing", "the quality of assessments where {t} is a concern"),
    ("raise", "raising", "awareness of {t} among families and staff"),
    ("strengthen", "strengthening", "the local response to {t}"),
    ("share", "sharing", "concerns about {t} with partner agencies the same day"),
    ("escalate", "escalating", "concerns when a plan for {t} is not working"),
    ("consider", "considering", "the impact of {t} on the child's daily life"),
    ("ask", "asking", "about {t} at every contact with the family"),
    ("record", "recording", "the details of everyone who cares for the child, including when {t} is known"),
    ("improve", "improving", "the quality of referrals where {t} is suspected"),
    ("embed", "embedding", "the new practice guidance on {t}"),
    ("commission", "commissioning", "specialist services for families affected by {t}"),
    ("agree", "agreeing", "clear expectations for risk assessment where there is {t}"),
    ("understand", "understanding", "the cumulative impact of {t} on children"),
    ("recognise", "recognising", "the early signs of {t}"),
    ("include", "including", "fathers and other male carers in assessments of {t}"),
    ("keep", "keeping", "the focus on the child when {t} dominates the work with parents"),
    ("use", "using", "the agreed tools for {t} consistently"),
    ("listen", "listening", "to what children say about {t}"),
    ("challenge", "challenging", "decisions about {t} that do not seem right"),
    ("publish", "publishing", "a practice guide on {t}"),
    ("launch", "launching", "a campaign on {t} for parents"),
    ("implement", "implementing", "the revised pathway for {t}"),
]
SHORTFALLS = [
    "did not recognise the signs of {t}", "did not share what they knew about {t}",
    "sometimes struggle to keep the child in focus when {t} is present",
    "underestimated the risk that {t} posed to the children", "were not always clear about thresholds for {t}",
    "focused on the parents' needs rather than on {t} and its effect on the child",
    "missed opportunities to ask about {t}", "lacked confidence in challenging parents about {t}",
    "relied on what parents said about {t} without checking it",
]
NOUN_GAPS = ["a lack of professional curiosity about {t}", "insufficient information sharing about {t}",
             "limited use of the tools designed for {t}", "too little attention to {t}",
             "no shared understanding of {t} across agencies", "an over-focus on the mother when {t} was present"]
NAMES = ["Helen Marsh", "Ravi Patel", "Sian Okafor", "Tom Bright", "Ayesha Khan", "Gareth Lewis", "Morag Reid",
         "Claire Dunn", "Owen Price", "Niamh Kelly"]
ROLES = ["Safeguarding Partnership Manager", "Director of Children's Services", "Independent Chair",
         "Designated Nurse", "Business Manager", "Head of Safeguarding", "Detective Inspector", "Vice-Chair",
         "Principal Social Worker", "Cabinet Member for Children"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November",
          "December"]
AREAS = ["Kingsmere", "Northmoor", "Easthaven", "Wexcombe", "Ashvale", "Fernley", "Cresswell", "Dunmore",
         "Thornbury", "Marshby", "Glenrith", "Penhallow", "Lowbridge", "Cwm Tawel", "Strathmoor"]


@dataclass
class Doc:
    """One written document: its Markdown and its items as (kind, text)."""

    name: str
    text: str
    items: list[tuple[str, str]] = field(default_factory=list)


class _W:
    """Writes one document: lines of Markdown, and the items among them."""

    def __init__(self, rng: random.Random):
        self.r = rng
        self.lines: list[str] = []
        self.items: list[tuple[str, str]] = []
        self.topic = rng.choice(TOPICS)
        self.area = rng.choice(AREAS)
        self.year = rng.randint(2012, 2025)

    # -- helpers --------------------------------------------------------------------------
    def c(self, xs):
        return self.r.choice(xs)

    def t(self):
        return self.topic if self.r.random() < 0.6 else self.c(TOPICS)

    def vp(self, form=0):
        v = self.c(VERBS)
        return f"{v[form]} {v[2].format(t=self.t())}"

    def h(self, level, text):
        self.lines += ["#" * level + " " + text, ""]

    def p(self, *sentences, items=()):
        """A paragraph: sentences, some of them items (kind, text) in ``items`` order; now and
        then one paragraph a sentence, as web pages write them."""
        if len(sentences) > 1 and self.r.random() < 0.3:
            for x in sentences:
                self.lines += [x, ""]
        else:
            self.lines += [" ".join(sentences), ""]
        self.items += list(items)

    def lead_in(self, text):
        """A line that introduces the list after it; now and then set as a heading of its own, as
        some web pages style it ("## Practitioners should:")."""
        if self.r.random() < 0.25:
            self.h(self.c([2, 3]), text)
        else:
            self.lines += [text, ""]

    def bullets(self, entries, kind=None, marker=None):
        if kind and self.r.random() < 0.2 and self.lines and self.lines[-2].startswith("#"):
            self.p(self.c(["The table below shows our progress at the end of the year.",
                           "The following sets out each point in turn.", "Each point is listed with its lead agency.",
                           "Our plan sets out what we will focus on and how we will know it has made a difference.",
                           "This section summarises the main points."]))
        marker = marker or self.c(["-", "*", "•", "·", "1."])
        if self.lines and self.lines[-2:-1] and self.lines[-2].endswith(":") and self.r.random() < 0.15:
            marker = ""  # a web page that lost its list markers: one point a line
            self.lines.pop()
        if kind and self.r.random() < 0.15:
            # many lists run on from their lead-in in lower case ("Emerging findings included: improved …")
            entries = [e[0].lower() + e[1:] if e[1:2].islower() else e for e in entries]
        entries = [(e, kind) for e in entries]
        if kind and self.r.random() < 0.15:
            entries.insert(self.r.randint(0, len(entries)), (self.quote(), None))
        for n, (e, k) in enumerate(entries, start=1):
            m = f"{n}." if marker == "1." else marker
            self.lines.append(f"{m} {e}" if m else e)
            if k:
                self.items.append((k, e))
        self.lines.append("")

    def cap(self, s):
        return s[0].upper() + s[1:]

    def groups(self, make, kind):
        """Points in groups, each under a short label naming its topic ("Early help:"), as a
        subheading would; the labels themselves are not items."""
        for t in self.r.sample(TOPICS, self.r.randint(2, 3)):
            self.lines += [self.c([f"{self.cap(t)}:", f"{self.cap(t)} and {self.c(['partnership working', 'assessment', 'the voice of the child'])}:"]), ""]
            self.bullets([make() for _ in range(self.r.randint(1, 3))], kind)

    def date(self):
        return f"{self.r.randint(1, 28)} {self.c(MONTHS)} {self.year}"

    def fy(self):
        return self.c([f"{self.year}/{str(self.year + 1)[2:]}", f"{self.year}-{self.year + 1}",
                       f"{self.year} to {self.year + 1}", f"{self.year}-{str(self.year + 1)[2:]}"])

    def body(self):
        return self.c([f"{self.area} Safeguarding Children Partnership", f"{self.area} LSCB",
                       f"{self.area} Regional Safeguarding Children Board", f"{self.area} Child Protection Committee",
                       f"NHS {self.area} Integrated Care Board", f"{self.area} Children's Safeguarding Partnership"])

    def longer(self, sentence: str) -> str:
        """Sometimes a clause more: real sentences run long, items and others alike."""
        if self.r.random() < 0.45 and sentence.endswith("."):
            clause = self.c([
                f" in households where {self.t()} is part of daily life",
                f", particularly where {self.t()} is also present", " and the effect it has on children",
                f", including {self.t()} and {self.t()}", " across the whole partnership and in every agency",
                f", and not make assumptions about {self.t()} within the family",
                " so that children are seen and heard", " in the months before the incident"])
            return sentence[:-1] + clause + "."
        return sentence

    # -- sentences that are items ---------------------------------------------------------
    def finding(self):
        return self.longer(self._finding())

    def learning(self):
        return self.longer(self._learning())

    def recommendation(self):
        return self.due(self.longer(self._recommendation()))

    def due(self, sentence: str) -> str:
        """Now and then a deadline: plans and recommendations carry dates as often as news does."""
        if self.r.random() >= 0.15:
            return sentence
        when = self.c([f" by March {self.year + 1}", f" by the end of {self.year + 1}", " within six months",
                       f" by {self.c(MONTHS)} {self.year + 1}", " before the next annual report"])
        return sentence[:-1] + when + "." if sentence.endswith(".") else sentence + when

    def _finding(self):
        r = self.r.random()
        t = self.t()
        prof = self.c(PROFS)
        if r < 0.2:
            return f"{self.c(SOURCES)} {self.c(['found', 'showed', 'identified', 'highlight', 'highlighted', 'suggest', 'tell us'])} that {prof} {self.c(SHORTFALLS).format(t=t)}."
        if r < 0.35:
            return f"There {self.c(['was', 'had been'])} {self.c(NOUN_GAPS).format(t=t)}."
        if r < 0.5:
            return f"{self.cap(prof)} {self.c(SHORTFALLS).format(t=t)}."
        if r < 0.6:
            return f"{self.cap(t)} was not {self.c(['recognised', 'assessed', 'considered', 'discussed'])} in {self.c(['most', 'many', 'several', 'half of the'])} cases{self.c(['', ' we looked at', ' reviewed'])}."
        if r < 0.7:
            return f"It {self.c(['identified', 'found', 'showed'])} that {prof} {self.c(SHORTFALLS).format(t=t)}."
        if r < 0.8:
            return f"In too many cases {prof} {self.c(SHORTFALLS).format(t=t)}."
        if r < 0.9:
            return f"{self.cap(t)} is a {self.c(['serious', 'common', 'recurring'])} feature of {self.c(['case reviews', 'the cases we audited', 'serious incidents'])}, and {prof} {self.c(['can become overwhelmed by it', 'do not always recognise it', 'find it hard to challenge'])}."
        if r < 0.95:
            return f"{self.c(['This report', 'This briefing', 'The report', 'This review'])} {self.c(['highlights', 'shows', 'found'])} that {prof} {self.c(SHORTFALLS).format(t=t)}."
        return f"{self.c(['Good', 'Effective', 'Strong'])} practice was seen in {self.c(['the response to', 'assessments of', 'the work on'])} {t}, although {self.c(NOUN_GAPS).format(t=self.t())} remained."

    def counted_finding(self):
        """A finding that gives its count: numbers in a findings section are what was found."""
        n = self.r.randint(8, 60)
        k = self.r.randint(1, n // 2)
        return self.c([
            f"Only {k} of the {n} children reviewed ({round(100 * k / n)}%) had a plan that addressed {self.t()}.",
            f"Fewer than half of the cases audited showed that {self.c(PROFS)} had considered {self.t()}.",
            f"In {round(100 * k / n)}% of cases {self.c(PROFS)} {self.c(SHORTFALLS).format(t=self.t())}.",
            f"The number of reviews involving {self.t()} has risen, but the learning is not yet reflected in practice.",
            f"Most of the {n} cases were closed too early or lacked the help the family needed.",
        ])

    def finding_phrase(self):
        return self.c(NOUN_GAPS).format(t=self.t())

    def _learning(self):
        r = self.r.random()
        prof = self.c(PROFS)
        if r < 0.25:
            return f"The learning from {self.c(['these reviews', 'the review', 'case reviews', 'this audit'])} {self.c(['highlights', 'shows', 'tells us', 'is'])} that {prof} {self.c(['need to', 'must', 'should'])} {self.vp()}."
        if r < 0.55:
            return f"{self.cap(prof)} {self.c(['need to', 'must', 'should', 'have to', 'are expected to'])} {self.vp()}."
        if r < 0.7:
            return f"It is {self.c(['important', 'essential', 'vital'])} that {prof} {self.vp()}."
        if r < 0.85:
            return f"{self.cap(self.vp())}."
        return f"{self.c(['Remember', 'Be aware', 'Think about whether'])} {self.c(['that', ''])} {self.t()} can {self.c(['escalate quickly', 'be hidden', 'change the risk to the child'])}.".replace("  ", " ")

    def _recommendation(self):
        r = self.r.random()
        org = self.c(ORGS)
        if r < 0.45:
            return f"{org} should {self.vp()}."
        if r < 0.6:
            return f"{org} {self.c(['must', 'needs to', 'is asked to'])} {self.vp()}."
        if r < 0.75:
            return f"We recommend that {org[0].lower() + org[1:]} {self.vp()}."
        return f"That {org[0].lower() + org[1:]} {self.vp()}."

    def rec_phrase(self):
        return self.cap(self.vp(self.c([0, 1])))

    def priority(self):
        r = self.r.random()
        if r < 0.35:
            return self.c(TOPICS).title() if self.r.random() < 0.5 else self.cap(self.c(TOPICS))
        if r < 0.5:
            return f"To {self.vp()}" + self.c(["", "."])
        if r < 0.6:
            return self.cap(self.vp()) + self.c(["", "."])
        if r < 0.8:
            return self.cap(self.vp(1)) + self.c(["", "."])
        if r < 0.9:
            return f"{self.cap(self.t())} will {self.c(['be a priority', 'remain a focus', 'be a golden thread'])} for the coming year."
        return f"The focus {self.c(['will continue to be', 'for next year will be', 'remains'])} on {self.vp(1)}."

    def action(self, past=False):
        return self._action(past) if past else self.due(self._action())

    def _action(self, past=False):
        r = self.r.random()
        if past:
            return self.c([
                f"A {self.t()} conference took place and was well attended.",
                f"The {self.t()} toolkit was launched and rolled out to {self.c(PROFS)}.",
                f"{self.c(['The Board', 'The Partnership'])} {self.c(['completed', 'conducted', 'undertook'])} a multi-agency audit of {self.t()}.",
                f"New guidance on {self.t()} has been implemented across the partnership.",
            ])
        if r < 0.2:
            return self.cap(self.vp()) + self.c(["", "."])
        if r < 0.35:
            return f"We will {self.vp()}" + self.c([".", ".", ".", " by March {}.".format(self.year + 1)])
        if r < 0.55:
            return f"{self.c(['The Partnership', 'The Board', 'The LSCB'])} will {self.vp()}."
        if r < 0.8:
            return self.cap(self.vp(1)) + self.c(["", "."])
        return f"{self.c(['Development', 'Delivery', 'Review', 'Completion'])} of {self.c(['a', 'the'])} {self.t()} {self.c(['strategy', 'protocol', 'audit', 'training programme'])}"

    # -- sentences that are not items -----------------------------------------------------
    def intro(self):
        return self.longer(self.c([
            f"This briefing summarises the learning from {self.r.randint(3, 40)} case reviews published since {self.year - 3}.",
            f"This report sets out the work of the partnership between April {self.year} and March {self.year + 1}.",
            f"This briefing is based on reviews where {self.topic} was a key factor.",
            f"This briefing draws on {self.c(['six', 'ten', 'twelve'])} reviews completed in the last three years.",
            f"The audit was completed in {self.c(MONTHS)} {self.year} and reported to the Board.",
            f"{self.c(['Twelve', 'Eight', 'Four'])} reviews have been completed since {self.year - 2}.",
            "The review was conducted by an independent reviewer with a panel of local managers.",
            "It pulls together the learning from the reports published so far.",
            f"The Board met {self.c(['four', 'six', 'five'])} times between April {self.year} and March {self.year + 1}.",
            f"The chart below shows referrals by month up to {self.c(MONTHS)} {self.year}.",
            f"The table below shows each point and its rating at the end of March {self.year}.",
            "The review was commissioned after a child was seriously harmed.",
            "Each section below describes what we did and what difference it made.",
            "The following sections set out our progress.",
            "This page explains how the partnership works.",
            "Reviews follow the death or serious injury of a child where maltreatment is a factor.",
            f"{self.cap(self.topic)} is a complex issue that affects many families.",
            "Each briefing in this collection draws together what reviews on one subject have taught us.",
            "We work with local partners to ensure that learning from reviews can be shared nationally.",
        ]))

    def furniture(self):
        return self.c([
            f"Published: {self.c(MONTHS)} {self.year}", f"Date of meeting: {self.date()}",
            "Download the full report (PDF)", f"Read more about {self.topic}",
            "Sign up to our newsletter to receive monthly updates on new reviews.",
            "See how teams have used review findings in their day-to-day work.",
            "Browse our full list of learning briefings.", "View our full series of thematic briefings.",
            "Subscribe to our monthly email alerting you to new case reviews.",
            f"Please contact {self.c(NAMES)} if you require any further information.",
            f"Sent on behalf of {self.c(NAMES)}, {self.c(ROLES)}", f"Report of {self.c(NAMES)}, {self.c(ROLES)}",
            "The full report can be found on our website.", "Back to top", "Share this page",
            f"Last updated: {self.date()}", "Full reports and short learning notes are available to download below.",
            "Looking for other reviews? Search the national library by topic, year or place.",
            f"Search our library for briefings on {self.t()}.", "Documentation relating to these reviews has been published.",
            "We also publish learning briefs for each review.", f"Learn how our helpline supports families affected by {self.t()}.",
            "The learning is highlighted below for everyone to use in practice.",
        ])

    def resource(self):
        return self.c([
            f"{self.cap(self.t())}: learning from case reviews",
            f"Working with families affected by {self.t()} – practice pointers for {self.c(PROFS)}",
            f"{self.c(['The Institute', 'Research in Practice', 'A national charity'])} – a guide to {self.t()} for {self.c(PROFS)}",
            f"{self.cap(self.t())} toolkit (opens new window)", f"Becoming a parent: a guide to {self.t()}",
        ])

    def narration(self):
        s = self.c(["he", "she"])
        return self.longer(self.c([
            f"Child {self.c('ABCDFGHJKLMNPQRST')} was {self.r.randint(2, 16)} {self.c(['months', 'years'])} old when {s} was admitted to hospital.",
            f"{self.cap('his' if s == 'he' else 'her')} mother had a history of depression and had moved to the area in {self.year - 2}.",
            f"The family were known to children's social care from {self.year - 4}.",
            f"In {self.year}, the family moved to a new address and the school place was lost.",
            "The baby was born prematurely and spent three weeks in the neonatal unit.",
            f"{self.cap(s)} had been excluded from school in Year 9.",
        ]))

    def procedural(self):
        n = self.c(NAMES)
        return self.c([
            "The Board is recommended to receive and note the annual report.",
            "The Committee is asked to consider the report and comment on its findings.",
            "RESOLVED that the report be noted.", f"The Chair thanked {n} for the report.",
            f"The {self.c(ROLES)} explained that the figures were provisional.",
            f"Councillor {n.split()[1]} asked whether schools had been consulted.",
            "Apologies were received from the Director of Public Health.",
            "The minutes of the previous meeting were agreed as a true record.",
            f"The {self.c(ROLES)} reported that professionals in schools did not always know how to escalate concerns.",
            "Members welcomed the report and noted the progress made.",
            f"Referring to page {self.r.randint(5, 60)} of the agenda, a member queried the attendance figures.",
            "The Board considered a report on the work of the partnership.",
        ])

    def describe(self):
        """A plain sentence about how things are done: most of a report, and never an item."""
        subj = self.c(["The subgroup", "The LADO service", "The Child Death Overview Panel", "The training programme",
                       "Case audits", "The MASH", "The Board's business unit", "Partners", "The independent chair",
                       "Schools", "Health providers", "The voluntary sector forum", "The performance group",
                       "Our multi-agency team", "The designated nurse", "Each agency"])
        verb = self.c(["met quarterly and reviewed", "received", "has continued to oversee", "provides",
                       "worked closely with partners on", "contributed to", "reported regularly on",
                       "has developed", "oversaw", "considered", "is responsible for", "took part in",
                       "has strengthened its links with partners through", "led", "supported"])
        obj = self.c(["the performance dashboard", "reports from each agency", "the multi-agency training offer",
                      f"cases where {self.t()} was a concern", "the work of the partnership",
                      f"referrals about {self.t()}", "the annual report", f"a range of courses on {self.t()}",
                      f"data on {self.t()}", "the section 11 process", "the local safeguarding procedures",
                      f"the response to {self.t()}", "the quality assurance framework"])
        return self.longer(f"{subj} {verb} {obj}.")

    def feedback(self):
        return self.c(["It was really useful to hear from other agencies.", "The session was well organised and informative.",
                       f"I now feel more confident about {self.t()}.", "Great training, very relevant to my role.",
                       "Multi-agency discussions were rich and valuable opportunities to learn from each other.",
                       "Now I am aware of the procedures it is much easier to ask for advice."])

    def neutral_section(self):
        """A section under a heading that names no kind: description, feedback, data."""
        self.h(self.c([2, 3]), self.c(["Training", "Membership", "Child Death Overview Panel", "LADO", "Early help",
                                       "Impact", "Outcomes", "Governance", "Commentary on effectiveness",
                                       "Voice of the child", "Quality assurance", f"{self.cap(self.t())} subgroup",
                                       "Multi-agency training", "Community members", "Financial arrangements"]))
        sents = [self.c([self.describe, self.describe, self.describe, self.stat, self.data])()
                 for _ in range(self.r.randint(2, 5))]
        self.p(*sents)
        r = self.r.random()
        if r < 0.3:
            self.p(self.c(["Feedback from the sessions included:", "Delegates said:", "Comments included:"]))
            self.bullets([self.feedback() for _ in range(self.r.randint(2, 3))])
        elif r < 0.6:
            self.p(self.c(["The group's work covered:", "This included:", "Activity during the year included:",
                           "The service provides:", "Training delivered:", f"{self.cap(self.t())}:", "Membership:",
                           "Attendance:"]))
            self.bullets([self.c([self.describe(), self.cap(f"{self.c(['quarterly', 'monthly', 'annual'])} reports on {self.t()}"),
                                  self.cap(f"multi-agency audits of {self.t()} cases")]) for _ in range(self.r.randint(2, 4))])
        elif r < 0.75:
            self.p(self.describe(), self.describe())
        elif r < 0.9:
            self.table()

    def table(self):
        """A table of data or of fields: its rows are not items."""
        kind = self.r.random()
        if kind < 0.4:
            y = self.year
            rows = [["Measure", f"{y - 1}-{str(y)[2:]}", f"{y}-{str(y + 1)[2:]}"]]
            rows += [[self.cap(f"{self.c(['referrals about', 'children on a plan for', 'contacts about'])} {self.t()}"),
                      str(self.r.randint(10, 900)), str(self.r.randint(10, 900))] for _ in range(3)]
        elif kind < 0.7:
            rows = [["Heading", "Detail"]]
            rows += [[self.c(["Financial implications", "Legal implications", "Risk assessment", "Equalities impact",
                              "Consultation", "Background papers"]),
                      self.c(["There are no direct financial implications arising from this report.",
                              "Not producing the report would be a failure to meet a statutory duty.",
                              "Performance should be monitored regularly to manage any risk to the work plan.",
                              "The report has been shared with all partner agencies.", "None."])] for _ in range(3)]
        else:
            rows = [["Name", "Role", "Agency"]]
            rows += [[self.c(NAMES), self.c(ROLES), self.c(["Police", "Health", "Local authority", "Education"])]
                     for _ in range(3)]
        self.lines += ["\t".join(r) for r in rows]
        self.lines.append("")

    def strength(self):
        return self.c([
            f"Most organisations had a named lead for {self.t()} and clear procedures in place.",
            f"Practitioners knew how to make a referral about {self.t()}.",
            f"Information about {self.t()} was shared promptly in most cases.",
            f"The quality of assessments of {self.t()} has improved since the last audit.",
        ])

    def data(self):
        return self.c([
            f"{self.cap(self.t())} was the most common category for children subject to a child protection plan.",
            f"{self.cap(self.t())} remains the most common factor in referrals to children's social care.",
            "Referrals from schools fell sharply during the first lockdown.",
            f"Contacts about {self.t()} increased steadily compared with the previous year.",
        ])

    def quote(self):
        return self.c([
            f"“I didn't know who to tell about {self.t()}.”", "“Nobody asked me what it was like at home.”",
            f"\"The training on {self.t()} helped me to ask the right questions.\"",
            "‘We were listened to for the first time.’", f"“The new pathway for {self.t()} has made a real difference.”",
        ])

    def stat(self):
        n = self.r.randint(40, 900)
        return self.c([
            f"There were {n} children subject to a child protection plan at the end of March, compared with {n + self.r.randint(-30, 30)} a year before.",
            f"The number of referrals to children's social care rose by {self.r.randint(2, 30)}%.",
            f"{n} practitioners attended multi-agency training during the year.",
            f"{self.r.randint(10, 95)} per cent of initial health assessments were completed on time.",
            f"The rate of re-referrals was {self.r.randint(10, 30)}%.",
        ])

    def legal(self):
        return self.c([
            f"Working Together to Safeguard Children {self.c(['2018', '2023'])} obliges the partners to report on their work every year.",
            "Safeguarding partners must publish their arrangements and say how they will be independently scrutinised.",
            "Each published review goes to the national Panel within a week of publication.",
            "The statutory guidance sets out what the report must contain.",
        ])

    def question(self):
        return self.c([f"How do you ask about {self.t()}?", f"What would you do if you were worried about {self.t()}?",
                       "Who else lives in the home?", f"Do you know the local procedures for {self.t()}?"])


def _briefing(w: _W):
    w.h(1, w.c([f"{w.cap(w.topic)}: learning from case reviews", f"Learning from case reviews: {w.topic}",
                f"{w.cap(w.topic)} - what case reviews tell us", f"Briefing: {w.topic}"]))
    if w.r.random() < 0.5:
        w.p(w.c([f"Risks and practice learning on {w.topic} in brief",
                 "Topics: Case reviews"]))
    if w.r.random() < 0.5:
        w.p(w.intro())
    for _ in range(w.r.randint(1, 3)):
        f = w.finding()
        if w.r.random() < 0.3:
            w.p(w.intro(), f, items=[("finding", f)])
        else:
            w.p(f, items=[("finding", f)])
    if w.r.random() < 0.5:
        lead = w.c(["Taken together, the reviews show that staff have to be able to:",
                    "Practitioners should:", "Key learning for practitioners:", "Professionals need to:"])
        w.lead_in(lead)
        w.bullets([w.vp() for _ in range(w.r.randint(2, 4))], "learning")
    else:
        ls = [w.learning() for _ in range(w.r.randint(1, 2))]
        w.p(*ls, items=[("learning", x) for x in ls])
    if w.r.random() < 0.4:
        _prose_lead(w)
    w.p(w.furniture())
    if w.r.random() < 0.6:
        w.h(2, w.c(["Reasons case reviews were commissioned", "About this briefing", "Background"]))
        w.p(w.intro(), w.intro())
        if w.r.random() < 0.5:
            w.p(w.c(["The harm these children came to took several forms:",
                     "Neglect often takes place where one or more of the following is present:",
                     "These could include:"]))
            w.bullets([w.cap(w.c(TOPICS)) for _ in range(3)])
    if w.r.random() < 0.7:
        w.h(2, w.c(["More about case reviews", "Browse our full series of briefings", "Related resources"]))
        w.p(w.intro())
        w.p(w.furniture())
        if w.r.random() < 0.5:
            w.bullets([w.resource() for _ in range(3)])


def _news(w: _W):
    org = w.c(["the national Child Safeguarding Practice Review Panel", f"{w.area} Safeguarding Children Partnership",
               "the independent reviewer"])
    w.p(f"A {w.c(['national', 'local'])} review into {w.topic} has made a series of recommendations.")
    w.p(f"The review, carried out by {org}, looked at the lives of {w.c(['two', 'three', 'several'])} children.", w.narration())
    w.p(w.c(["Read more", "Related stories"]))
    f = w.finding()
    w.p(f, items=[("finding", f)])
    if w.r.random() < 0.5:
        f2 = w.finding()
        w.p(f2, items=[("finding", f2)])
    w.p(f"{w.c(NAMES)}, {w.c(ROLES)}, said the findings would be taken seriously.")
    if w.r.random() < 0.4:
        w.p(w.quote())
    w.p(w.c(["The recommendations include:", "The local recommendations include:", "The Panel recommends:",
             "Among its recommendations are:"]))
    w.bullets([w.rec_phrase() + w.c(["", "."]) for _ in range(w.r.randint(2, 4))], "recommendation")
    if w.r.random() < 0.5:
        w.p(w.stat())


def _minutes(w: _W):
    w.p(w.c(["Agenda item", "Issue - meetings", "Decision details"]))
    w.h(1, w.c([f"{w.body()} Annual Report {w.fy()}", f"Minutes of the {w.body()}",
                f"{w.cap(w.topic)} update"]))
    w.p(w.furniture())
    w.p(w.procedural(), w.procedural())
    kind = w.c(["priority", "action"])
    if kind == "priority":
        w.p(w.c([f"The report indicated that the Board had {w.c(['four', 'five', 'three'])} priorities for {w.fy()} as follows:",
                 f"The report concluded that the priorities for {w.fy()} were:"]))
        w.bullets([w.priority() for _ in range(w.r.randint(2, 5))], "priority", marker=w.c(["·", "-", "•"]))
    w.p(w.c(["Highlights relating to the activity during the year included:", "The year’s highlights were:",
             "Achievements during the year included:"]))
    w.bullets([w.action(past=True) for _ in range(w.r.randint(1, 3))], "action")
    w.p(w.procedural(), w.procedural(), w.procedural())
    if w.r.random() < 0.5:
        w.p(w.legal(), w.legal())
    if w.r.random() < 0.5:
        rest = f"{w.c(NAMES)} to {w.vp()} by {w.c(MONTHS)} {w.year}."
        w.p(f"ACTION: {rest}", items=[("action", rest)])
    w.p(w.procedural())


def _review(w: _W):
    w.h(1, w.c([f"Child Safeguarding Practice Review: Child {w.c('ABCDFGHKLMQRS')}",
                f"Serious Case Review: Family {w.c('ABCDFGHKLMQRS')}", f"Rapid Review Summary: Baby {w.c('ABCDFGS')}",
                f"Thematic review of {w.topic}"]))
    w.p(w.body())
    w.p(f"Published: {w.c(MONTHS)} {w.year}")
    w.h(2, w.c(["Background", "The case", "Introduction", "What happened"]))
    w.p(w.narration(), w.narration(), w.narration())
    w.h(2, w.c(["Findings", "What the review found", "What did the review find?", "Key findings", "Summary of findings",
                "Conclusions"]))
    if w.r.random() < 0.3:
        w.h(3, w.c([f"What does the audit tell us about {w.topic}?", "What do the reviews tell us about the wider system?",
                    "Themes across the cases", f"The response to {w.topic}"]))
    style = w.r.random()
    fs = [w.counted_finding() if w.r.random() < 0.3 else w.finding() for _ in range(w.r.randint(2, 4))]
    if style < 0.3:
        w.bullets(fs, "finding")
    elif style < 0.45:
        w.groups(w.finding, "finding")
    elif style < 0.7:
        for f in fs:
            w.p(f, items=[("finding", f)])
    else:
        w.lead_in(w.c(["The review identified the following:", "In too many cases:", "The review found that:"]))
        w.bullets([x[0].lower() + x[1:] for x in (w.finding_phrase() for _ in range(3))], "finding")
    w.h(2, w.c(["Recommendations", "What needs to change", "Recommendations for the partnership",
                "The review recommends"]))
    rs = [w.recommendation() for _ in range(w.r.randint(2, 4))]
    if w.r.random() < 0.5:
        w.bullets(rs, "recommendation")
    else:
        for x in rs:
            w.p(x, items=[("recommendation", x)])
    if w.r.random() < 0.5:
        w.h(2, w.c(["Next steps", "What happens next"]))
        w.p(w.c(["The partnership has accepted the recommendations and an action plan is in place.",
                 "The action plan will be monitored by the Learning and Improvement subgroup."]))


def _seven_minute(w: _W):
    w.h(1, w.c([f"7 Minute Briefing: {w.topic}", f"Six Step Learning Briefing: {w.topic}",
                f"Learning Briefing: {w.topic}"]))
    w.p(f"{w.body()} | {w.c(MONTHS)} {w.year}")
    w.h(2, w.c(["1. Why it matters", "1. Background", "Why it matters"]))
    w.p(w.intro(), w.stat())
    w.h(2, w.c(["2. The case", "2. What happened", "The case"]))
    w.p(w.narration(), w.narration())
    w.h(2, w.c(["3. What we found", "3. What we learned", "3. Key messages", "What we found"]))
    kind = "finding" if "found" in w.lines[-2] else "learning"
    fs = [w.finding() if kind == "finding" else w.learning() for _ in range(w.r.randint(2, 3))]
    if w.r.random() < 0.6:
        w.bullets(fs, kind)
    else:
        for f in fs:
            w.p(f, items=[(kind, f)])
    heading, kind = w.c([("4. What should practitioners do?", "recommendation"), ("4. Practice points", "learning"),
                         ("4. What can you do?", "recommendation"), ("4. Key learning for practice", "learning")])
    w.h(2, heading)
    w.bullets([w.cap(w.vp()) + "." for _ in range(w.r.randint(2, 4))], kind)
    w.h(2, w.c(["5. Questions to reflect on", "5. Reflective questions", "5. Think about"]))
    w.bullets([w.question() for _ in range(2)])
    w.h(2, w.c(["6. Resources", "6. Further reading"]))
    w.bullets([f"{w.cap(t)} practice guidance" for t in w.r.sample(TOPICS, 2)])
    if w.r.random() < 0.5:
        w.h(2, "7. Next steps")
        w.bullets([w.action() for _ in range(2)], "action")


def _annual(w: _W):
    body = w.body()
    w.h(1, w.c([f"{body} Annual Report {w.fy()}", f"{body} Yearly Report {w.fy()}", f"Annual Report {w.fy()}"]))
    w.p(f"{body}")
    w.h(2, w.c(["Foreword", "Introduction", "About the partnership"]))
    w.p(w.intro(), w.intro(), w.stat())
    w.h(2, w.c(["Our priorities", f"Priorities for {w.fy()}", "Board priorities", "Our strategic aims",
                "Areas of focus"]))
    w.p(w.c([f"The partnership agreed its priorities for {w.fy()} in April.",
             "The board reviews the priorities at every meeting."]))
    if w.r.random() < 0.3:
        w.p(w.c(["The priorities this year are:", f"The priorities for {w.fy()} will be:", "We will focus on:"]))
    w.bullets([w.priority() for _ in range(w.r.randint(2, 5))], "priority")
    w.h(2, w.c(["Performance and data", "What the data tells us", "Training", "Membership", w.cap(w.t())]))
    w.p(w.c([w.stat, w.data])(), w.c([w.stat, w.data])())
    if w.r.random() < 0.5:
        w.h(2, w.c(["Strengths", "What worked well", "Good practice"]))
        if w.r.random() < 0.5:
            w.p(w.strength())
        else:
            w.bullets([w.strength() for _ in range(2)])
    if w.r.random() < 0.3:
        w.h(2, w.cap(w.t()))
        w.p(w.data())
    if w.r.random() < 0.5:
        w.lead_in(w.c(["Members of the Board include:", "The training covered:", "The Board's membership includes:"]))
        w.bullets(w.r.sample(["Police", "Health", "Education", "Children's social care", "Probation",
                              "Public Health", "Housing", "Youth Justice"], 3))
    w.h(2, w.c(["Learning from reviews", "What we learned", "Learning and improvement", "Key messages"]))
    w.p(w.intro())
    if w.r.random() < 0.3:
        w.groups(w.learning, "learning")
    else:
        w.bullets([w.learning() for _ in range(w.r.randint(2, 3))], "learning")
    w.h(2, w.c(["Areas for improvement", "Areas for development", "Challenges", "What we need to do better",
                "Areas of development"]))
    if "evelopment" in w.lines[-2] and w.r.random() < 0.6:
        w.bullets([w.cap(w.vp(1)) + w.c(["", "."]) for _ in range(w.r.randint(2, 4))], "priority")
    elif "evelopment" in w.lines[-2]:
        w.bullets([w.finding() for _ in range(2)], "learning")
    else:
        w.bullets([w.finding() for _ in range(2)], "learning" if "mprovement" in w.lines[-2] else "finding")
    if w.r.random() < 0.4:
        _prose_lead(w)
    if w.r.random() < 0.8:
        w.h(2, w.c(["Focus for next year", "Focus for next year:", "Our priorities for next year", "Looking forward"]))
        for _ in range(w.r.randint(1, 2)):
            x = w.c([f"The partnership is committed to {w.vp(1)}.", f"In {w.year + 1} we will focus on {w.vp(1)}.",
                     f"{w.cap(w.t())} will remain a priority, with work on {w.vp(1)}."])
            w.p(x, items=[("priority", x)])
    w.h(2, w.c(["Next steps", "Looking ahead", "Planned work for the coming year", "What we will do next year"]))
    if w.r.random() < 0.5:
        w.lead_in(w.c(["In the coming year we will:", "Our plans for next year include:", "Next year we will:"]))
    w.bullets([w.action() for _ in range(w.r.randint(2, 4))], "action")
    w.h(2, "Contact")
    w.p(w.furniture())


def _paper(w: _W):
    w.h(1, w.c([f"Report to the {w.body()}", f"{w.cap(w.topic)}: report to the Committee",
                f"{w.body()}: {w.topic} update"]))
    w.p(f"Date of meeting: {w.date()}")
    w.h(2, w.c(["Purpose of the report", "Purpose", "Summary"]))
    w.p(w.intro(), w.c(["The Board is recommended to receive and note the report.",
                        "The Committee is asked to consider the report and comment on its findings."]))
    w.h(2, w.c(["Background", "Context"]))
    w.p(w.legal(), w.legal(), w.stat())
    w.h(2, w.c(["Key issues", "Summary of findings", "What the audit found", "Issues identified"]))
    fs = [w.finding() for _ in range(w.r.randint(2, 3))]
    if w.r.random() < 0.5:
        w.bullets(fs, "finding")
    else:
        w.p(*fs, items=[("finding", x) for x in fs])
    w.h(2, w.c(["Recommendations", "Recommendation to the Board"]))
    if w.r.random() < 0.5:
        w.p(w.c(["The Board is recommended to receive and note the report.",
                 "Members are asked to note the progress made and endorse the action plan."]))
    else:
        rs = [w.recommendation() for _ in range(2)]
        w.bullets(rs, "recommendation")


def _prose_report(w: _W):
    """A summary page with its points in prose, under headings that name nothing."""
    w.h(1, w.c([f"{w.body()}: summary of the year", f"{w.cap(w.topic)} in {w.area}", "What the Panel found"]))
    w.p(w.furniture())
    w.h(2, w.c(["Summary", "Overview", "The report"]))
    sents = [w.intro()]
    items = []
    for _ in range(w.r.randint(1, 3)):
        kind = w.c(["finding", "learning", "action"])
        x = {"finding": w.finding, "learning": w.learning,
             "action": lambda: f"{w.c(['We will', 'The Partnership will', 'Next year the Board will'])} {w.vp()}."}[kind]()
        sents.append(x)
        items.append((kind, x))
    if w.r.random() < 0.5:
        sents.append(w.stat())
    w.p(*sents, items=items)
    w.p(w.narration() if w.r.random() < 0.5 else w.procedural())
    w.h(2, w.c(["Further information", "Contact us"]))
    w.p(w.furniture(), w.furniture())


def _prose_lead(w: _W):
    """A list introduced by a full sentence (no colon) that says what the entries are."""
    kind = w.c(["finding", "learning", "action", "none"])
    if kind == "finding":
        w.p(w.c([f"Two main groups of children at risk of {w.topic} have been identified in case reviews.",
                 "Reasons for this included the following.", "The audit identified several gaps in practice."]))
        w.bullets([w.cap(w.finding_phrase()) + w.c(["", "."]) for _ in range(w.r.randint(2, 3))], "finding")
    elif kind == "learning":
        w.p(w.c(["The key learning for practitioners is set out here.", "Practitioners should remember the following."]))
        w.bullets([w.cap(w.vp()) + "." for _ in range(w.r.randint(2, 3))], "learning")
    elif kind == "action":
        w.p(w.c(["A number of projects are planned in response to the reviews.",
                 "The partnership will lead campaigns to raise awareness in the coming months."]))
        w.bullets([w.cap(w.vp()) + w.c([";", "."]) for _ in range(w.r.randint(2, 3))], "action")
    elif w.r.random() < 0.5:
        w.p(w.c(["Partnership learning has been shared widely this year.", "Our actions were reported to the Board.",
                 "Findings from audits are reported to each meeting.", "Priorities were agreed at the summer meeting."]))
        w.bullets(w.r.sample([
            "The newsletter went to every school in the area", "Briefings were sent to all GP practices.",
            "A page on the website explains how to make a referral", "The Board met in public twice",
            "Most members attended every meeting.", "Reports are published on the partnership website",
            "Some items were deferred to the next meeting", "The chair visited each of the subgroups"], 3))
    else:
        w.p(w.c([f"{w.cap(w.topic)} often takes place where other problems are present in the family.",
                 "Children may face many different risks.", "The partnership brings together many agencies."]))
        w.bullets([w.cap(t) for t in w.r.sample(TOPICS, 3)])


def _reported(w: _W):
    """A news story about a report: its findings and calls in reported speech and quotes, one
    point a sentence, under a headline that may name a kind; background, process and people around them."""
    src = w.c(["The report", "The review", "The inspectorate", "The Panel", "The analysis", "Inspectors",
               "The study", "The evaluation"])
    w.h(1, w.c([f"Urgent action needed on {w.topic}, says {src.lower()[4:] if src.startswith('The ') else src.lower()}",
                f"Review finds failings in the response to {w.topic}",
                f"Lessons still not learned on {w.topic}", f"Report calls for action on {w.topic}",
                f"{w.cap(w.topic)}: what the national review found"]))
    if w.r.random() < 0.5:
        w.p(w.c(NAMES))
        w.p(w.date())
    pts = []
    for _ in range(w.r.randint(2, 5)):
        t = w.t()
        prof = w.c(PROFS)
        r = w.r.random()
        if r < 0.2:
            pts.append(("finding", f"{src} said {prof} {w.c(SHORTFALLS).format(t=t)}."))
        elif r < 0.35:
            pts.append(("finding", f"It also criticised {w.c(['agencies', 'partnerships', 'reviews', 'services'])} for {w.c(['failing to', 'not being able to'])} {w.vp()}."))
        elif r < 0.5:
            pts.append(("finding", f"{src} expressed concern about {w.finding_phrase()}."))
        elif r < 0.6:
            pts.append(("finding", f"{src} is {w.c(['highly', 'deeply', ''])} critical of the progress made on {t}.".replace("  ", " ")))
        elif r < 0.7:
            pts.append(("finding", f"Far too many {w.c(['reviews', 'assessments', 'plans'])} fail to {w.c(['say why things happened', 'consider the child', 'look at the wider family'])}."))
        elif r < 0.8:
            pts.append(("finding", w.finding()))
        elif r < 0.85:
            pts.append(("recommendation", f"{w.c(['To address this', 'In response', 'As a result'])}, {src.lower() if src.startswith('The') else src} {w.c(['has recommended', 'recommended', 'recommends'])} {w.c(['the establishment of a national group on', 'a review of the guidance on', 'new training on'])} {w.t()}."))
        elif r < 0.9:
            pts.append(("recommendation", f"{w.c(['All agencies', 'Everyone involved in child protection', 'Partners', 'Those who work with children'])} {w.c(['need to', 'must', 'should'])} {w.vp()}."))
        else:
            pts.append(("recommendation", f"Action is needed to {w.vp()}."))
    w.p(f"{w.c(['Ofsted', 'The national Panel', 'An independent review', 'The inspectorate'])} is calling for {w.c(['urgent action', 'change', 'action'])} on {w.topic}.",
        f"It {w.c(['looked at', 'examined', 'evaluated'])} {w.r.randint(12, 160)} cases {w.c(['between April and March', 'over two years', 'since the last report'])}.")
    w.p(pts[0][1], items=[pts[0]])
    if w.r.random() < 0.4:
        cap = f"{src} said that there were more poor plans than good ones. Picture: {w.c(NAMES)}"
        w.lines += [cap, cap, ""]
    rest = pts[1:]
    while rest:
        k = w.r.randint(1, min(3, len(rest)))
        chunk, rest = rest[:k], rest[k:]
        sents = [x for _, x in chunk]
        if w.r.random() < 0.3:  # a quote runs over its sentences: marks on the first and the last
            sents[0], sents[-1] = f"“{sents[0]}", f"{sents[-1]}”"
        w.p(*sents, items=[(kind, s) for (kind, _), s in zip(chunk, sents)])
        if w.r.random() < 0.4:
            w.p(w.c([f"{w.c(NAMES)}, {w.c(ROLES)}, said the findings would be studied carefully.",
                     f"Commenting on the report, {w.c(NAMES)} said:",
                     w.legal(), w.narration(), w.intro()]))
    w.p(w.c(["Under current guidance a review must be held when a child dies and abuse or neglect is suspected.",
             f"Since it was set up in {w.year - 3}, the panel has met monthly.",
             "The full report is published on the government website."]))


def _discussion(w: _W):
    """Minutes where the chair's account of a report gives its concerns, plans and focus in prose."""
    w.p(w.c(["Issue - meetings", "Agenda item", "Minutes:"]))
    w.h(2, w.c([f"Annual report of the {w.body()}", f"{w.cap(w.topic)} update", "Safeguarding children report"]))
    w.p(f"Meeting: {w.date()} - {w.c(['Overview and Scrutiny Committee', 'Children and Families Panel', 'Cabinet'])}")
    w.p(w.procedural())
    sents = [w.c([f"The Chair introduced the report and described the role of the {w.c(['board', 'partnership'])}.",
                  "Members were reminded of the statutory role of the partnership."])]
    items = []
    for _ in range(w.r.randint(2, 4)):
        r = w.r.random()
        if r < 0.3:
            x = w.c([f"A continuing challenge was to {w.vp()}.", f"Also of concern {w.c(['was', 'were'])} {w.finding_phrase()}.",
                     f"{w.cap(w.t())} remained a concern to the {w.c(['Board', 'Partnership'])}.",
                     f"Some partners had been slow to {w.vp()}."])
            items.append(("finding", x))
        elif r < 0.55:
            x = f"The {w.c(['Board', 'Partnership'])} would also focus on {w.vp(1)}."
            items.append(("priority", x))
        elif r < 0.8:
            x = f"{w.c(['Learning from the reviews', 'The action plan', 'The new strategy'])} would be {w.c(['published', 'launched', 'shared'])} in the new year and the {w.c(['Board', 'Partnership'])} would {w.vp()}."
            items.append(("action", x))
        else:
            x = w.describe()
        sents.append(x)
    sents.insert(w.r.randint(1, len(sents)), w.procedural())
    w.p(*sents, items=items)
    w.p(w.procedural(), w.procedural())


def _aims(w: _W):
    """A partnership's plan as questions and answers: its aims, what it wants to change, what it will do."""
    w.h(1, w.c(["What are our priorities?", "Our priorities", "Our plan"]))
    themes = w.r.sample(TOPICS, w.r.randint(2, 4))
    for t in themes:
        if w.r.random() < 0.6:
            w.p(w.cap(t))
        x = w.c([f"The aim is to {w.vp()}", f"We aim to {w.vp()}", f"Our ambition is that children are safe from {t}"])
        x += w.c(["", "."])
        w.p(x, items=[("priority", x)])
    w.h(2, w.c(["What are we trying to achieve?", "What do we want to achieve?", "What we want to see",
                "How will we know we have made a difference?"]))
    for t in themes[:w.r.randint(1, len(themes))]:
        if w.r.random() < 0.5:
            w.p(w.cap(t))
        outs = [w.c([f"{w.c(['Reduce', 'Increase', 'Improve'])} the {w.c(['number', 'percentage', 'proportion'])} of {w.c(['children', 'families', 'cases', 'referrals'])} {w.c(['affected by', 'where there is', 'assessed for'])} {w.t()}",
                     f"{w.cap(w.c(PROFS))} feel confident to {w.vp()}", f"Better {w.c(['information sharing', 'joint working', 'planning'])} on {w.t()}"])
                for _ in range(w.r.randint(2, 3))]
        for n, o in enumerate(outs, 1):
            o += w.c(["", "."])
            w.p(f"{n}. {o}" if w.r.random() < 0.6 else o, items=[("priority", o)])
    w.h(2, w.c(["What are we going to do?", "What will we do?", "What we will do", "How we will get there"]))
    for _ in range(w.r.randint(2, 4)):
        a = w.c([f"{w.cap(w.vp())}", f"{w.c(['Prevent', 'Protect', 'Understand', 'Respond'])} – {w.vp()}"])
        a += w.c(["", "."])
        w.p(a, items=[("action", a)])


# -- pages that hold no items: what a careful reader lists from them is nothing ----------------
def _event(w: _W):
    """An event page: date, time, venue, a quoted line from a report, booking, context with figures."""
    w.p(w.c(["Menu", "Events", "Home > Events"]))
    w.h(1, w.c([f"{w.cap(w.topic)}: {w.c(['working together', 'a multi-agency conference', 'practice in focus'])}",
                f"Safeguarding Children Conference {w.year}", f"Annual {w.c(['Safeguarding', 'Partnership'])} Conference: {w.topic}"]))
    w.p(w.date())
    w.p(w.c(["9:00 am - 4:00 pm", "9.30am to 1pm", "10:00 - 15:30"]))
    w.p(f"{w.c(['Town Hall', 'Civic Centre', 'Conference Centre', 'Community Hall'])}, {w.r.randint(1, 90)} High Street, {w.area}.")
    if w.r.random() < 0.6:
        w.p(w.c([f"“If we want children to be safe from {w.t()}, every agency must play its part.”",
                 "“Practitioners need time and support to do the work that keeps children safe.”",
                 f"“We must listen to children and act on what they tell us about {w.t()}.”"]))
        w.p(f"({w.c(['Foreword to the national review', 'Keynote address', 'Review of local arrangements'])}, {w.year - 1})")
    w.p(w.c(["Book tickets here", "Book your place", "Register now"]))
    w.p(w.c([f"The recommendations of the {w.year - 1} national review set the scene for changes to local arrangements.",
             f"This conference looks at {w.topic} and how partners respond to it."]),
        w.c([f"The key focus is a more joined-up response to {w.t()} across health, the police and the council.",
             f"The day will bring together {w.c(PROFS)} from across {w.area}."]),
        w.c([f"Speakers will include {w.c(NAMES)}, {w.c(ROLES)}.", "Workshops run in the afternoon."]))
    w.p(w.stat(), w.stat())
    if w.r.random() < 0.5:
        w.p(w.c(["Programme:", "The day includes:", "Sessions:"]))
        w.bullets([w.c([f"Keynote: {w.t()}", f"Workshop: {w.t()} in practice", f"Panel discussion on {w.t()}",
                        "Lunch and networking", "Questions and close"]) for _ in range(3)])
    w.p(w.furniture())


def _stats_news(w: _W):
    """A statistics story: rises and falls, rates and the most common categories."""
    w.h(1, w.c([f"{w.c(['Increase', 'Rise', 'Fall', 'Sharp rise'])} in children on child protection plans",
                f"Latest figures on {w.topic} published", f"Child protection statistics {w.fy()}"]))
    w.p(f"The number of {w.c(['referrals', 'assessments', 'children in need', 'children on plans'])} has {w.c(['risen', 'fallen', 'increased'])} in the last year, {w.c(['Department for Education', 'official', 'national'])} statistics show.")
    for _ in range(w.r.randint(3, 6)):
        a, b = w.r.randint(1000, 90000), w.r.randint(1000, 90000)
        w.p(w.c([
            f"The number of {w.c(['referrals', 'assessments', 'section 47 enquiries', 'initial conferences'])} {w.c(['increased', 'decreased', 'rose', 'fell'])} by {w.r.randint(1, 20)}.{w.r.randint(0, 9)}% from {a:,} to {b:,}.",
            f"There were {a:,} children in need at 31 March, compared with {b:,} a year earlier.",
            f"{w.cap(w.t())} was the most common {w.c(['initial category', 'reason', 'factor'])} ({w.r.randint(10, 60)}%), followed by {w.t()} ({w.r.randint(5, 30)}%).",
            f"{w.c(AREAS)} had the highest rate of children in need per 10,000 while {w.c(AREAS)} had the lowest.",
            f"Of the {a:,} children on plans, {b // 10:,} ({w.r.randint(5, 25)}%) had been on a plan before.",
            f"However, the number of children looked after has {w.c(['decreased', 'stayed the same', 'risen slightly'])}.",
            f"Social workers completed {w.r.randint(60, 95)}% of assessments within {w.c(['45 working days', 'the timescale'])}, compared with {w.r.randint(60, 95)}% the year before.",
        ]))
    if w.r.random() < 0.5:
        w.p(f"To ask ministers how they explain the growth in {w.t()} over the last five years.")
        w.p(f"The Department considers that figures can only be compared from {w.year - 6} because the data were collected differently.")
    w.p(w.c(["Have your say in the comments below", "Sign up to our Friday news by email",
             f"Tel: 01{w.r.randint(100, 999)} {w.r.randint(100000, 999999)} Contact us", "Comments are closed."]))
    if w.r.random() < 0.5:
        w.h(2, "Related articles")
        w.p(f"Number of children in care up {w.r.randint(2, 9)}% in a year")
        w.p(f"{w.c(AREAS)}: referrals about {w.t()} up again")


def _procedure(w: _W):
    """A chapter of the safeguarding procedures: duties and steps every practitioner follows, not
    what one review found or recommended."""
    w.h(1, w.c(["Child Protection Enquiries", f"Responding to {w.topic}", "Strategy Discussions", "Making a referral",
                f"{w.cap(w.topic)} procedure"]))
    if w.r.random() < 0.5:
        w.h(2, w.c(["Scope of this chapter", "SCOPE OF THIS CHAPTER"]))
        w.p(w.c(["This chapter sets out the steps to take when a child may be at risk of significant harm.",
                 f"This chapter provides the steps for responding to {w.topic}."]))
        w.h(2, w.c(["Amendment", "AMENDMENT"]))
        w.p(f"This chapter was {w.c(['updated', 'revised throughout', 'refreshed'])} in {w.c(MONTHS)} {w.year}.")
    if w.r.random() < 0.4:
        w.h(2, "Contents")
        w.bullets([f"{n}. {x}" for n, x in enumerate(w.r.sample(["Introduction", "Duty to make enquiries", "Immediate protection",
                                                                     "Strategy discussion", "Timescales", "Recording",
                                                                     "Further information"], 4), 1)], marker="")
    for n in range(1, w.r.randint(2, 4)):
        w.h(2, f"{n}. {w.c(['Duty to Conduct Section 47 Enquiries', 'Immediate Protection', 'Strategy Discussion', 'Timescales', 'Responsibilities of all agencies', 'Recording decisions'])}")
        w.p(w.c([
            "When there is cause to think a child is being harmed, or may soon be, the council is required by section 47 of the Children Act 1989 to look into it.",
            f"Each agency has a duty to help with enquiries about {w.t()} and to share what it knows.",
            "Responsibility for the enquiries lies with children's social care in the area where the child lives or is found.",
        ]), w.c([
            "The social worker and their manager must decide whether to seek the parents' permission and must record the reasons for the decision.",
            f"A strategy discussion should be held whenever there is reasonable cause to suspect that a child is suffering harm from {w.t()}.",
            "The assessment must be completed within 45 working days of the referral.",
            "If a child's life may be in danger, an agency with legal powers should step in straight away to make the child safe.",
            "The police, health practitioners and school staff should help the local authority with its enquiries.",
        ]), w.c([
            "'Found' means the place where the child was when the harm happened, such as a school or a hospital.",
            "If the manager goes ahead without asking the parents, they must write down why.",
            "See the protocol for children who move across local authority borders for more information.",
            f"Working Together to Safeguard Children {w.c(['2018', '2023'])} sets out these duties.",
        ]))
        if w.r.random() < 0.4:
            w.lead_in(w.c(["The strategy discussion is used to:", "Matters for the discussion include:",
                           "The record shows how the group decided to:"]))
            w.bullets([w.c(["Share the information known about the child and family",
                            "Agree what action is needed now to keep the child safe",
                            "Decide whether enquiries under section 47 should start",
                            "Agree who will tell the parents and when",
                            "Record the decisions and the reasons for them"]) for _ in range(3)])
    w.p(w.furniture())


def _meeting_record(w: _W):
    """Minutes that record attendance, apologies and resolutions: what was received, noted and approved."""
    w.p(w.c([f"{w.area} Council", f"{w.body()}"]))
    w.p(f"MINUTES of the Meeting of the {w.c(['Safeguarding Committee', 'Board', 'Governing Body', 'Executive Group'])} held on {w.c(['Monday', 'Tuesday', 'Thursday'])} {w.date()} at {w.r.randint(1, 7)}.00 pm.")
    w.p(w.c(["PRESENT:", "P R E S E N T:-", "Present:"]))
    w.p(", ".join(w.r.sample(NAMES, 4)))
    if w.r.random() < 0.5:
        w.table()
    n = w.r.randint(10, 60)
    for title in w.r.sample(["APOLOGIES FOR ABSENCE", "MINUTES", "MATTERS ARISING", "ELECTION OF CHAIR",
                             f"{w.topic.upper()} REPORT", "INCLUSION POLICY", "REVISED CODE OF CONDUCT",
                             "ANY OTHER BUSINESS", "DATE OF NEXT MEETING"], w.r.randint(4, 6)):
        w.p(f"{n} {title}")
        n += 1
        w.p(w.c([
            f"An apology for absence was received from {w.c(NAMES)}.",
            f"RESOLVED: that the minutes of the meeting held on {w.date()} be approved and signed by the Chair.",
            f"The {w.c(['governors', 'members', 'Board'])} considered the {w.c(['policy', 'report', 'revised code'])}.",
            f"{w.c(NAMES)} reported that the cost of the training was £{w.r.randint(200, 900)} for {w.r.randint(5, 20)} people.",
            f"The {w.c(['governors', 'members'])} received a report from {w.c(NAMES)} on {w.t()}, which had already been discussed with the {w.c(ROLES)}.",
            f"The next meeting will be held on {w.date()}.",
        ]))
        if w.r.random() < 0.6:
            w.p(w.c(["RESOLVED: that the policy be approved.", "RESOLVED: that the report be noted.",
                     f"RESOLVED: a) that {w.c(NAMES)} be elected Chair for this meeting;",
                     "RESOLVED: that the item be deferred to the next meeting."]))
    w.p(w.c(["Chair's Initials", "Signed ........ Chair", "-2-"]))


def _event_news(w: _W):
    """A news story about a seminar or conference: who came, who spoke, what they said in quotes."""
    w.p(f"Published on {w.date()}")
    w.p(f"Keeping every child in {w.area} safe is everyone’s job, says a {w.c(['seminar', 'conference', 'safeguarding week'])} {w.c(['next month', 'this week', 'held yesterday'])}.")
    w.p(f"The {w.c(['seminar', 'conference', 'event'])} {w.c(['will be held', 'was held'])} at the {w.c(['Civic Centre', 'Town Hall', 'Municipal Offices'])} and {w.c(['will include', 'included'])} {w.c(['presentations and workshops', 'a keynote speech and workshops'])}.")
    w.p(f"{w.c(['Over 300', 'About fifty', 'More than 100'])} {w.c(PROFS)} {w.c(['attended', 'are expected to attend'])}, including {w.c(['youth workers', 'school governors', 'volunteers'])} and officers from the police and the fire service.",
        f"The {w.area} Safeguarding Forum, where charities and public services meet, is running it.")
    w.p(f"{w.c(NAMES)}, who chairs the forum, said: “{w.c(['We are all responsible for keeping children safe and this event is part of that work.', f'Events like this are a fantastic way of sharing what we know about {w.t()}.', 'I am proud of what local agencies are doing together.'])}")
    w.p(f"“{w.c(['We must continue to work together to support families who are struggling.', 'It is vital that every service plays its part for children.', f'We need to be sure that our policies on {w.t()} are up to date.'])}”")
    w.p(f"{w.c(['Councillor', 'Cllr'])} {w.c(NAMES)}, {w.c(ROLES)}, {w.c(['sponsors the forum', 'opened the event'])}.")
    if w.r.random() < 0.5:
        w.p(w.c(["Students from the local college supported the team on the day.",
                 "Information stalls gave advice on services for families.",
                 "A video made by young people showed the dangers of online grooming."]))
    w.p(w.furniture())


def _contents(w: _W):
    """A contents page or an index of documents: chapter titles, page numbers and links."""
    w.h(1, w.c([f"{w.body()} Annual Report {w.fy()}", f"{w.body()} Strategic Plan {w.fy()}", "Reviews and briefings"]))
    w.p(w.c(["Contents", "INDEX", "Table of contents"]))
    titles = ["Introduction", "Foreword from the Chair", "Governance and accountability", "Local demographics",
              "Our priorities", "Learning from reviews", "Training and development", "Recommendations",
              "Next steps", "Key findings", "Effectiveness of local services", "Useful information", "Budget"]
    for n, t in enumerate(w.r.sample(titles, w.r.randint(6, 10)), 1):
        w.lines += [w.c([f"{t} ... {n * 3}", f"{n} {t} {n * 3}", f"Chapter {n}: {t}...{n * 3}", f"{t} {n * 2 + 1}"]), ""]
    if w.r.random() < 0.5:
        w.p(w.c(["View briefings here", "View full reports and 7-minute briefings.",
                 "Further reviews will appear on this page once published."]))
    w.p(w.intro())


# -- pages whose items are in prose with no heading naming them --------------------------------
def _inspection_news(w: _W):
    """A news story on inspection results: per council, what inspectors praised, found and advised."""
    councils = w.r.sample(AREAS, w.r.randint(3, 5))
    w.p(f"None of the {len(councils)} councils most recently inspected has been judged outstanding.")
    w.p(f"Ofsted {w.c(['today released', 'has published'])} the results of {w.c(['its latest inspections', 'a series of focused visits'])} of {', '.join(councils)}.")
    w.p(f"{councils[0]} and {councils[1]} were rated good, but {councils[2]} was judged {w.c(['inadequate', 'to require improvement'])}.")
    for a in councils:
        t, t2 = w.t(), w.t()
        opts = [
            ("finding", f"{a} was praised for its work on {t} but was told its {w.c(['work with care leavers', 'early help offer', 'response to ' + t2])} needs improvement."),
            ("finding", f"In {a}, {w.c(['Ofsted', 'inspectors'])} found that {w.c(PROFS)} {w.c(['were recording their work effectively', 'knew the children well', 'do not always get together when enquiries begin', 'did not always visit children often enough'])}."),
            ("finding", f"{a} was also criticised for {w.c(['a lack of', 'delays in', 'poor'])} {w.c(['advocacy for children at conferences', 'management oversight', 'planning for children in need'])}."),
            ("finding", f"{a} was found to need improvement in {w.c(['all areas', 'most areas', 'its front door'])}."),
            ("finding", f"They found that since the last inspection the {w.c(['support', 'oversight', 'quality of practice'])} for children in need of help and protection {w.c(['has strengthened', 'has not improved', 'is inconsistent'])}."),
            ("finding", f"Inspectors reported {w.c(['reduced caseloads for some, but not all, teams', 'a positive shift in the morale of staff', 'too many changes of social worker for some children'])}."),
            ("recommendation", f"The inspectorate said the council should {w.vp()}."),
            ("recommendation", f"It also advised {a} to {w.vp()}."),
        ]
        chosen = w.r.sample(opts, w.r.randint(1, 3))
        if w.r.random() < 0.4:
            w.h(2, f"{a} {w.c(['Council', 'Borough Council', 'County Council'])}")
            w.p(f"Inspectors visited {a}'s children's services on {w.date()} to look at {w.c(['children in need', 'the front door', 'care leavers'])}.")
        w.p(*[x for _, x in chosen], items=chosen)
        if w.r.random() < 0.3:
            w.p(w.c(["The whole report can be found here.", f"{w.c(NAMES)}, {w.c(ROLES)}, said: “Our teams are putting everything into the changes the service needs.”"]))
    w.p(w.c(["In a letter, the lead inspector said: “Things have moved on since we last visited.”",
             "The council said it welcomed the report.", "Comments are closed."]))


def _research_news(w: _W):
    """A news item on a research report: its findings and its call in prose, after who published it."""
    w.h(1, w.c([f"Shift needed in the response to {w.topic}", f"New research on {w.topic}", f"What the research says about {w.topic}"]))
    w.p(f"Published: {w.r.randint(1, 28):02d}/{w.r.randint(1, 12):02d}/{w.year}")
    w.p(f"Author: {w.c(['Research in Practice', 'The national Panel', 'The research team', w.c(NAMES)])}")
    w.p(f"Research shows that changing how we handle {w.t()} could make {w.c(['reviews', 'assessments', 'services'])} more useful.")
    w.p(w.c([f"A new report published by the {w.c(['national Panel', 'research centre', 'Department'])} explores how {w.t()} is handled, and what could help.",
             f"The study looked at {w.r.randint(10, 200)} cases from {w.r.randint(5, 40)} areas."]))
    pts = [
        ("finding", f"Findings include {w.c(['notable variability in', 'limited evidence of', 'gaps in'])} {w.c(['capacity', 'practice', 'the response to ' + w.t()])} across {w.c(['partnerships', 'agencies', 'areas'])}."),
        ("finding", f"The research found {w.c(['highly variable', 'low', 'mixed'])} levels of confidence in {w.c(['assessing', 'responding to', 'talking about'])} {w.t()}."),
        ("finding", f"The impact of {w.c(['reviews', 'training', 'the new guidance'])} on outcomes is hard to {w.c(['capture', 'measure', 'see'])} in view of the complexity of the work."),
        ("finding", f"{w.cap(w.t())} is not {w.c(['a linear process', 'always recognised', 'simply a matter of procedure'])}, and is {w.c(['often missed', 'not simply the plan at the end of a review'])}."),
        ("recommendation", f"The research {w.c(['emphasises a clear need for', 'argues for', 'calls for'])} {w.c(['better support for', 'improved infrastructure for', 'national leadership on'])} {w.t()}."),
        ("recommendation", f"{w.cap(w.c(PROFS))} would benefit from {w.c(['reviewing', 'reading', 'discussing'])} the report's {w.c(['findings', 'key messages'])} on {w.t()}."),
    ]
    chosen = w.r.sample(pts, w.r.randint(2, 4))
    for kind, x in chosen:
        if w.r.random() < 0.4:
            w.p(x, w.c([f"It draws on interviews with {w.c(PROFS)}.", "The report is available on the website."]),
                items=[(kind, x)])
        else:
            w.p(x, items=[(kind, x)])


STYLES = [_briefing, _news, _minutes, _review, _seven_minute, _annual, _paper, _prose_report, _reported, _discussion,
          _aims, _event, _stats_news, _procedure, _meeting_record, _event_news, _contents, _inspection_news,
          _research_news]


_LONG = (_annual, _minutes, _paper)  # styles that come with pages of description around their items


def documents(seed: int = 0, n: int = 240) -> list[Doc]:
    """``n`` documents in the styles above, the same for the same seed."""
    out = []
    for i in range(n):
        rng = random.Random(seed * 100003 + i)
        w = _W(rng)
        style = STYLES[i % len(STYLES)]
        style(w)
        for _ in range(rng.randint(2, 5) if style in _LONG else rng.randint(0, 1)):
            w.neutral_section()
        out.append(Doc(f"g{seed}-{i:03d}-{style.__name__.strip('_')}", "\n".join(w.lines), w.items))
    return out
