"""Demo-clinic stage of the community capability: a lively, clearly fictional forum.

Every post below was written for the demo: no real people, no real testimonials. The demo clinic's
patients with a login are the members; the demo moderator answers a few topics; three posts wait in the
moderation queue (a new member's first post, a reported post and a seller-link post).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from naltrack.web.demo import DemoContext

# category slug -> topics: (title, opening post, replies). Replies marked "MOD:" are the moderator's.
FORUM: dict[str, list[tuple[str, str, list[str]]]] = {
    "alcohol": [
        ("Evenings are the hardest part",
         "Week three on the tablets. Mornings are fine, but around six the *habit* kicks in. What do you do "
         "with that hour?",
         ["I started cooking something new every evening. It keeps my hands busy.",
          "A walk round the block, even a short one. And fizzy water in a nice glass.",
          "MOD: Many people find the early evening is the hardest time. Planning that hour in advance — a "
          "call, a walk, a meal — helps. If cravings stay strong, mention it at your next review: your "
          "prescriber can look at the whole plan with you."]),
        ("First weekend without a drink in years",
         "Made it through a **whole weekend**. Felt odd at a barbecue but I had a plan and stuck to it.",
         ["That is brilliant. The first barbecue is the toughest one.",
          "Proud of you. What was your plan?",
          "Brought my own drinks and left before the late crowd arrived."]),
    ],
    "opioids": [
        ("Staying safe: what I carry",
         "My care team gave me a wallet card saying I'm on naltrexone. I keep it next to my bank card now.",
         ["Good idea, I'll ask for one.",
          "MOD: A medication card is a good habit: it tells an emergency team that usual opioid pain relief "
          "will not work as expected. Your clinic can also talk to you about naloxone."]),
        ("Triggers when I drive past old places",
         "There's a street I avoid now. Is that silly?",
         ["Not silly at all. I changed my route to work for months.",
          "Avoiding it is a plan, not a weakness."]),
    ],
    "the-injection": [
        ("What the first injection day was like",
         "Nervous beforehand. The nurse explained everything and it was over quickly. Sore for a couple of "
         "days, like after a jab.",
         ["Mine was similar. A cool pack helped.",
          "I set a calendar reminder for the next one straight away."]),
        ("Tips for remembering the monthly appointment",
         "Calendar feed plus a note on the fridge. Anyone else?",
         ["I book the next one before I leave the clinic.",
          "The reminder in the app works for me."]),
    ],
    "side-effects": [
        ("Mild nausea in the first week",
         "Felt a bit sick the first few days on the tablets. Taking them with breakfast seems to help.",
         ["Same here, it settled after about a week.",
          "MOD: Mild nausea is one of the common side effects and often settles. Tell your care team if it "
          "does not, or straight away if you notice yellow skin or eyes, dark urine or pain under the right "
          "ribs."]),
        ("Sleep is a bit strange",
         "Vivid dreams some nights. Not bad, just odd.",
         ["Writing them down made them less weird for me.",
          "Mention it at your review if it bothers you."]),
    ],
    "milestones": [
        ("30 days today",
         "Thirty days. I didn't think I'd get here. Thank you all for the evening tips.",
         ["Congratulations!", "Thirty is huge. Well done.", "Brilliant news, keep going."]),
        ("Six months and a new hobby",
         "Six months on naltrexone. I've taken up climbing, of all things.",
         ["Climbing! That's amazing.", "Six months — that's something to be proud of."]),
    ],
    "family-and-friends": [
        ("How did you tell your family?",
         "I want to tell my sister I'm in treatment. Not sure how to start.",
         ["I wrote it down first, then read it to my partner.",
          "My brother was more supportive than I expected.",
          "MOD: There is no single right way. Some people start with one trusted person. Your counsellor "
          "can help you plan the conversation if you'd like."]),
        ("Supporting my partner on the injection",
         "My partner started the monthly injection. What helped you most from the people around you?",
         ["Not asking every day how I'm doing. Just doing normal things together.",
          "Coming with me to the first appointment."]),
    ],
}

WELCOME = ("Welcome to the demo forum",
           "Hello and welcome. This is a **demo** forum: every member and every post here is fictional, written "
           "to show how the community works.\n\n- Use your forum name only: no real names, places or numbers.\n"
           "- Be kind; we are all at different stages.\n- The moderators are healthcare professionals, but not "
           "your own care team. For anything about your treatment, ask your clinic.\n\nIf you are in crisis, "
           "please call your local emergency number or a crisis line now.")

HELD_FIRST_POST = ("Hello from a newcomer", "Just started naltrexone this week. Reading everyone's posts helps.")
HELD_SELLER = ("Cheaper option?", "Found naltrexone online cheap, no rx needed: https://cheap-rx-pharma.example/nalt")
REPORTED = "Honestly just stop taking it if you feel sick, that's what I did."


def build(context: DemoContext) -> None:
    """Add the demo clinic's forum: topics in each category, replies, moderator answers, a queue."""
    from naltrack.web.accounts.models import Role

    from .content import render_markup
    from .models import (
        Category,
        HoldReason,
        Member,
        MemberKind,
        Notification,
        NotificationKind,
        Post,
        PostStatus,
        ReadMarker,
        Report,
        ReportReason,
        Topic,
    )
    from .services.members import display_name_for

    if not context.clinics:
        return
    rng = context.rng("community")
    clinic = context.clinics[0]
    now = timezone.now()
    patients = [p for p in context.patients if p.clinic_id == clinic.id and p.user_id is not None]
    if len(patients) < 4:
        return
    members = Member.objects.bulk_create([
        Member(clinic=clinic, user=p.user, kind=MemberKind.PATIENT, display_name=p.display_name)
        for p in patients
    ])
    moderator_user = next((u for u in context.staff.values()
                           if u.memberships.filter(clinic=clinic, role=Role.MODERATOR).exists()), None)
    moderator = None
    if moderator_user is not None:
        moderator = Member.objects.create(clinic=clinic, user=moderator_user, kind=MemberKind.MODERATOR,
                                          display_name=display_name_for(moderator_user, clinic.id,
                                                                        MemberKind.MODERATOR))
    newcomer, regulars = members[-1], members[:-1]  # the newcomer has no approved post yet
    categories = {c.slug: c for c in Category.objects.all()}

    topics: list[Topic] = []
    posts: list[Post] = []

    def add_topic(category: str, author: Member, title: str, start: dt.datetime) -> Topic:
        topic = Topic(clinic=clinic, category=categories[category], author=author, title=title, is_published=True,
                      created_at=start, last_activity_at=start)
        topics.append(topic)
        return topic

    def add_post(topic: Topic, author: Member, body: str, at: dt.datetime, *, opening: bool = False,
                 status: str = PostStatus.PUBLISHED, hold: str = HoldReason.NONE) -> Post:
        post = Post(clinic=clinic, topic=topic, author=author, is_opening=opening, body=body,
                    body_html=render_markup(body), status=status, hold_reason=hold, created_at=at,
                    published_at=at if status == PostStatus.PUBLISHED else None)
        posts.append(post)
        return post

    plan: list[tuple[Topic, list[tuple[Member, str, dt.datetime, bool]]]] = []
    if moderator is not None:
        start = now - dt.timedelta(days=60)
        plan.append((add_topic("milestones", moderator, WELCOME[0], start), [(moderator, WELCOME[1], start, True)]))
    for slug, entries in FORUM.items():
        for title, opening, replies in entries:
            start = now - dt.timedelta(days=rng.randint(2, 45), hours=rng.randint(0, 12))
            # The first demo login ("patient") opened two topics, so they have replies to be notified of.
            author = regulars[0] if len(plan) < 3 else rng.choice(regulars)
            thread = [(author, opening, start, True)]
            at = start
            for text in replies:
                at += dt.timedelta(hours=rng.randint(1, 20), minutes=rng.randint(0, 59))
                if text.startswith("MOD: "):
                    if moderator is None:
                        continue
                    thread.append((moderator, text[5:], at, False))
                else:
                    thread.append((rng.choice([m for m in regulars if m is not author] or regulars), text, at, False))
            plan.append((add_topic(slug, author, title, start), thread))

    # The queue: a newcomer's first post, a seller link, and a reported reply.
    start = now - dt.timedelta(hours=5)
    held_topic = add_topic("alcohol", newcomer, HELD_FIRST_POST[0], start)
    held_topic.is_published = False
    seller = rng.choice(regulars)
    seller_topic = add_topic("side-effects", seller, HELD_SELLER[0], now - dt.timedelta(hours=3))
    seller_topic.is_published = False

    Topic.objects.bulk_create(topics)
    for topic, thread in plan:
        for author, body, at, is_opening in thread:
            add_post(topic, author, body, at, opening=is_opening)
    add_post(held_topic, newcomer, HELD_FIRST_POST[1], start, opening=True, status=PostStatus.HELD,
             hold=HoldReason.FIRST_POST)
    add_post(seller_topic, seller, HELD_SELLER[1], now - dt.timedelta(hours=3), opening=True,
             status=PostStatus.HELD, hold=HoldReason.SELLER_LINK)
    side_effect_topic = next(t for t, _ in plan if t.title == "Mild nausea in the first week")
    reported = add_post(side_effect_topic, rng.choice(regulars), REPORTED, now - dt.timedelta(hours=8))
    Post.objects.bulk_create(posts)

    reporters = [m for m in regulars if m.pk != reported.author_id][:2]
    Report.objects.bulk_create([
        Report(clinic=clinic, post=reported, reporter=reporters[0], reason=ReportReason.HARMFUL,
               detail="Stopping without talking to the clinic doesn't sound safe.",
               created_at=now - dt.timedelta(hours=7)),
        Report(clinic=clinic, post=reported, reporter=reporters[1], reason=ReportReason.HARMFUL,
               created_at=now - dt.timedelta(hours=6)),
    ])

    # Topic counters from the posts just written.
    by_topic: dict[int, list[Post]] = {}
    for post in posts:
        by_topic.setdefault(post.topic_id, []).append(post)
    for topic in topics:
        published = [p for p in by_topic.get(topic.pk, []) if p.status == PostStatus.PUBLISHED]
        topic.reply_count = sum(1 for p in published if not p.is_opening)
        if published:
            topic.last_post_id = max(p.pk for p in published)
            topic.last_activity_at = max(p.created_at for p in published)
    Topic.objects.bulk_update(topics, ["reply_count", "last_post_id", "last_activity_at"])

    # The first demo patient has read most topics and has a few unread replies waiting.
    first = members[0]
    markers, notes = [], []
    for topic in topics:
        published = [p for p in by_topic.get(topic.pk, []) if p.status == PostStatus.PUBLISHED]
        if not published or rng.random() < 0.3:
            continue
        markers.append(ReadMarker(member=first, topic=topic, last_read_post_id=min(p.pk for p in published),
                                  read_at=now - dt.timedelta(days=1)))
        if topic.author_id == first.pk:
            for reply in [p for p in published if not p.is_opening and p.author_id != first.pk][-2:]:
                notes.append(Notification(recipient=first, kind=NotificationKind.REPLY, topic=topic, post=reply,
                                          text=f"{reply.author.display_name} replied in “{topic.title}”.",
                                          created_at=reply.created_at))
    ReadMarker.objects.bulk_create(markers)
    Notification.objects.bulk_create(notes)
