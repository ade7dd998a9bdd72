"""The forum's categories, the same in every clinic's forum."""

from django.db import migrations

CATEGORIES = [
    # slug, name, description
    ("alcohol", "Alcohol", "Cutting down or stopping drinking with naltrexone: cravings, plans, setbacks."),
    ("opioids", "Opioids", "Staying opioid-free on naltrexone: staying safe, triggers, what helps."),
    ("the-injection", "The injection", "The monthly naltrexone injection: appointments, the site, the days after."),
    ("side-effects", "Side effects", "What you noticed and what helped. Ask your care team about anything worrying."),
    ("milestones", "Milestones", "Days, weeks and months: share what you are proud of."),
    ("family-and-friends", "Family and friends", "Telling people, getting support, supporting someone else."),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("community", "Category")
    for position, (slug, name, description) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "description": description,
                                                               "position": position})


def remove_categories(apps, schema_editor):
    apps.get_model("community", "Category").objects.filter(slug__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0001_forum_topics_posts_moderation")]
    operations = [migrations.RunPython(create_categories, remove_categories)]
